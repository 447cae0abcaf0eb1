import { listenerKey } from '../graph/build.js';
import { byAge } from '../graph/gateways.js';
import { compareHostnameSpecificity, hostnameMatches } from '../api/hostnames.js';
import type { Graph, GraphGateway, GraphListener, GraphRoute, ResolvedBackend, RouteAttachment } from '../graph/model.js';
import type { BackendRef, GRPCRouteMatch, GRPCRouteRule, HTTPRouteFilter, HTTPRouteMatch, HTTPRouteRule } from '../api/spec.js';
import type {
  IRBackendTLS,
  IRSessionPersistence,
  IRTrafficPolicy,
  IRExtAuth,
  IRClientValidation,
  IR,
  IRBackend,
  IRBackendRef,
  IRFilter,
  IRGateway,
  IRHTTPRule,
  IRListener,
  IRMatch,
  IRPort,
  IRRouteRef,
  IRStreamRoute,
  IRVirtualHost,
  PortMode,
} from './model.js';
import { compareRules, type Ranked } from './precedence.js';
import type { IRMemo } from './memo.js';
import type { EffectivePolicy, PolicyResolution } from '../graph/traffic-policies.js';
import type { ExtAuthSettings } from '../graph/policy-auth.js';
import type { ListenerSettings } from '../graph/listener-policies.js';

const DEFAULT_MATCH: IRMatch = { path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [] };

function routeRef(route: GraphRoute): IRRouteRef {
  return { kind: route.kind as IRRouteRef['kind'], namespace: route.object.metadata.namespace ?? 'default', name: route.object.metadata.name };
}

type NameMatch = IRMatch['headers'][number];

/**
 * Of matches naming equivalent headers (case-insensitive) or the same query parameter only the
 * first counts (spec); dropping the rest here also keeps them out of precedence ranking.
 */
export function firstOfEachName(list: readonly { type?: NameMatch['type']; name: string; value: string }[] | undefined, caseInsensitive: boolean): NameMatch[] {
  const seen = new Set<string>();
  const out: NameMatch[] = [];
  for (const m of list ?? []) {
    const key = caseInsensitive ? m.name.toLowerCase() : m.name;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ type: m.type ?? 'Exact', name: m.name, value: m.value });
  }
  return out;
}

function httpMatch(m: HTTPRouteMatch): IRMatch {
  return {
    path: { type: m.path?.type ?? 'PathPrefix', value: m.path?.value ?? '/' },
    headers: firstOfEachName(m.headers, true),
    queryParams: firstOfEachName(m.queryParams, false),
    ...(m.method ? { method: m.method } : {}),
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A gRPC method match is a match on the request path "/service/method". */
function grpcMatch(m: GRPCRouteMatch): IRMatch {
  const headers = firstOfEachName(m.headers, true);
  const service = m.method?.service;
  const method = m.method?.method;
  let path: IRMatch['path'];
  if (m.method?.type === 'RegularExpression') {
    path = { type: 'RegularExpression', value: `/${service ?? '[^/]+'}/${method ?? '[^/]+'}` };
  } else if (service && method) {
    path = { type: 'Exact', value: `/${service}/${method}` };
  } else if (service) {
    path = { type: 'PathPrefix', value: `/${service}` };
  } else if (method) {
    path = { type: 'RegularExpression', value: `/[^/]+/${escapeRegex(method)}` };
  } else {
    path = { type: 'PathPrefix', value: '/' };
  }
  return { path, headers, queryParams: [] };
}

/** The cookie or header Portico names a session with when the rule gives no sessionName. */
export const DEFAULT_SESSION_NAME = { Cookie: 'portico-session', Header: 'x-portico-session' } as const;

function sessionPersistenceIR(p: NonNullable<HTTPRouteRule['sessionPersistence']>): IRSessionPersistence {
  const type = p.type === 'Header' ? 'Header' : 'Cookie';
  return {
    type,
    name: p.sessionName ?? DEFAULT_SESSION_NAME[type],
    ...(p.absoluteTimeout ? { absoluteTimeout: p.absoluteTimeout } : {}),
    permanent: type === 'Cookie' && p.cookieConfig?.lifetimeType === 'Permanent',
  };
}

function backendTLS(policy: NonNullable<ResolvedBackend['tlsPolicy']>): IRBackendTLS {
  const t = policy.tls;
  if (!t) return { unusable: `BackendTLSPolicy ${policy.key} cannot be carried out` };
  return { ...(t.systemCAs ? {} : { caPem: t.caPem ?? '' }), sni: t.sni, verifyName: t.verifyName };
}

class BackendTable {
  readonly backends: Record<string, IRBackend> = {};
  /** A route's rules do not depend on the listener, so each route is translated once per Gateway. */
  readonly rulesByRoute = new Map<GraphRoute, IRHTTPRule[]>();

  constructor(
    readonly policies: PolicyResolution,
    readonly memo?: IRMemo,
  ) {}

  add(b: ResolvedBackend): string | undefined {
    if (b.problem || b.port === undefined) return undefined;
    if (!this.backends[b.id]) {
      this.backends[b.id] = {
        id: b.id,
        namespace: b.namespace,
        service: b.name,
        port: b.port,
        protocol: (b.appProtocol ?? 'http') as IRBackend['protocol'],
        endpoints: b.tlsPolicy && !b.tlsPolicy.tls ? [] : b.endpoints,
        ...(b.source ? { source: b.source } : {}),
        ...(b.resolve ? { resolve: b.resolve } : {}),
        ...(b.tlsPolicy ? { tls: backendTLS(b.tlsPolicy) } : {}),
      };
    }
    return b.id;
  }
}

function filtersOf(list: readonly HTTPRouteFilter[] | undefined, route: GraphRoute, where: string, table: BackendTable): IRFilter[] {
  const out: IRFilter[] = [];
  (list ?? []).forEach((f, i) => {
    switch (f.type) {
      case 'RequestHeaderModifier':
        if (f.requestHeaderModifier) out.push({ type: 'RequestHeaderModifier', modifier: f.requestHeaderModifier });
        break;
      case 'ResponseHeaderModifier':
        if (f.responseHeaderModifier) out.push({ type: 'ResponseHeaderModifier', modifier: f.responseHeaderModifier });
        break;
      case 'RequestRedirect':
        if (f.requestRedirect) out.push({ type: 'RequestRedirect', ...f.requestRedirect, statusCode: f.requestRedirect.statusCode ?? 302 });
        break;
      case 'URLRewrite':
        if (f.urlRewrite) out.push({ type: 'URLRewrite', ...f.urlRewrite });
        break;
      case 'RequestMirror': {
        const resolved = route.mirrorBackends.get(`${where}/${i}`);
        const id = resolved && table.add(resolved);
        const m = f.requestMirror;
        if (id && m) {
          const percent = m.percent ?? (m.fraction ? (100 * m.fraction.numerator) / (m.fraction.denominator ?? 100) : 100);
          out.push({ type: 'RequestMirror', backend: id, percent });
        }
        break;
      }
      case 'CORS':
        if (f.cors) out.push({ type: 'CORS', cors: f.cors });
        break;
      case 'ExtensionRef': {
        const d = route.directResponses.get(`${where}/${i}`);
        if (d) out.push({ type: 'DirectResponse', ...d });
        break;
      }
      default:
        break; // unsupported filters make the rule invalid in the graph; they never get here
    }
  });
  return out;
}

function backendRefs(route: GraphRoute, ruleIndex: number, refs: readonly BackendRef[], table: BackendTable): { backends: IRBackendRef[]; invalidWeight: number } {
  const resolved = route.ruleBackends[ruleIndex] ?? [];
  const backends: IRBackendRef[] = [];
  let invalidWeight = 0;
  resolved.forEach((b, bi) => {
    const id = table.add(b);
    if (!id) {
      invalidWeight += b.weight;
      return;
    }
    backends.push({ backend: id, weight: b.weight, filters: filtersOf(refs[bi]?.filters, route, `${ruleIndex}/${bi}`, table) });
  });
  return { backends, invalidWeight };
}

/** How a delegated child rule is served: the matches, settings and policy it takes from its parent. */
interface Delegated {
  matches: IRMatch[];
  /** The delegating rule's filters: they apply before the child's, which win where only one can. */
  parentFilters: IRFilter[];
  inherited: Pick<HTTPRouteRule, 'timeouts' | 'retry'>;
  policy: EffectivePolicy | undefined;
  policyScope: string;
}

/** Filters of which a rule can carry out one only: a child's replaces its parent's. */
const SINGLE_FILTERS = new Set<IRFilter['type']>(['URLRewrite', 'RequestRedirect', 'CORS', 'DirectResponse']);

/** A delegated rule's filters: its parent rule's first (header changes and mirrors add up), then its own. */
function withParentFilters(parent: readonly IRFilter[], own: readonly IRFilter[]): IRFilter[] {
  const taken = new Set(own.map((f) => f.type).filter((t) => SINGLE_FILTERS.has(t)));
  return [...parent.filter((f) => !taken.has(f.type)), ...own];
}

/** The IR rules (one per match) of one rule of a route. */
function ruleIR(route: GraphRoute, ruleIndex: number, table: BackendTable, delegated?: Delegated): IRHTTPRule[] {
  const raw = (route.object.spec.rules ?? [])[ruleIndex] as HTTPRouteRule | GRPCRouteRule;
  const failClosed = route.closedRules.has(ruleIndex);
  const refs = failClosed ? [] : (raw.backendRefs ?? []);
  const { backends, invalidWeight } = failClosed ? { backends: [], invalidWeight: 0 } : backendRefs(route, ruleIndex, refs, table);
  const own = failClosed ? [] : filtersOf((raw as HTTPRouteRule).filters, route, `${ruleIndex}`, table);
  const filters = delegated && !failClosed ? withParentFilters(delegated.parentFilters, own) : own;
  const matches: IRMatch[] =
    delegated?.matches ?? (route.kind === 'GRPCRoute' ? ((raw as GRPCRouteRule).matches ?? [{}]).map(grpcMatch) : ((raw as HTTPRouteRule).matches ?? []).map(httpMatch));
  const rule = raw as HTTPRouteRule;
  const timeouts = rule.timeouts ?? delegated?.inherited.timeouts;
  const retry = rule.retry ?? delegated?.inherited.retry;
  const policy = delegated ? delegated.policy : table.policies.rules.get(route)?.get(ruleIndex);
  const policyIR = policy && !failClosed ? trafficPolicyIR(policy, delegated?.policyScope ?? `${route.kind}/${route.key}#${ruleIndex}`, table) : undefined;
  return (matches.length > 0 ? matches : [DEFAULT_MATCH]).map((match) => ({
    route: routeRef(route),
    ruleIndex,
    ...(raw.name ? { ruleName: raw.name } : {}),
    match,
    filters,
    backends,
    invalidWeight,
    noBackends: refs.length === 0,
    ...(failClosed ? { failClosed: true as const } : {}),
    ...(timeouts && !failClosed ? { timeouts } : {}),
    ...(retry && !failClosed ? { retry } : {}),
    ...(rule.sessionPersistence && !failClosed ? { sessionPersistence: sessionPersistenceIR(rule.sessionPersistence) } : {}),
    ...(policyIR ? { policy: policyIR } : {}),
  }));
}

/** The policy in effect at a child route's rule (the child may be known under another GraphRoute of the same object). */
function childPolicy(policies: PolicyResolution, child: GraphRoute, ruleIndex: number): EffectivePolicy | undefined {
  const direct = policies.rules.get(child);
  if (direct) return direct.get(ruleIndex);
  for (const [route, rules] of policies.rules) if (route.object === child.object) return rules.get(ruleIndex);
  return undefined;
}

/** A delegated rule's policy: the child's fields over its parent rule's, as kgateway does by default. */
function mergedPolicy(child: EffectivePolicy | undefined, parent: EffectivePolicy | undefined): EffectivePolicy | undefined {
  if (!child || !parent) return child ?? parent;
  const failClosed = child.failClosed ?? parent.failClosed;
  return { settings: { ...parent.settings, ...child.settings }, from: { ...parent.from, ...child.from }, ...(failClosed ? { failClosed } : {}) };
}

function httpRules(a: RouteAttachment, table: BackendTable): IRHTTPRule[] {
  const route = a.route;
  const out: IRHTTPRule[] = [];
  (route.object.spec.rules ?? []).forEach((raw, ruleIndex) => {
    if (route.invalidRules.has(ruleIndex)) return;
    const children = route.delegated?.get(ruleIndex);
    // A rule that delegates is served by its children's rules; with none, it answers 500.
    if (!children || children.length === 0) {
      out.push(...ruleIR(route, ruleIndex, table));
      return;
    }
    const policy = table.policies.rules.get(route)?.get(ruleIndex);
    const parentFilters = route.closedRules.has(ruleIndex) ? [] : filtersOf((raw as HTTPRouteRule).filters, route, `${ruleIndex}`, table);
    for (const d of children) {
      const own = childPolicy(table.policies, d.route, d.ruleIndex);
      const scope = own ? `${d.route.kind}/${d.route.key}#${d.ruleIndex}@${route.key}#${ruleIndex}` : `${route.kind}/${route.key}#${ruleIndex}`;
      out.push(...ruleIR(d.route, d.ruleIndex, table, { matches: d.matches.map(httpMatch), parentFilters, inherited: d.inherited, policy: mergedPolicy(own, policy), policyScope: scope }));
    }
  });
  return out;
}

function virtualHosts(listener: GraphListener, table: BackendTable): IRVirtualHost[] {
  const byHost = new Map<string, Ranked[]>();
  for (const a of listener.routes) {
    if (a.route.kind !== 'HTTPRoute' && a.route.kind !== 'GRPCRoute') continue;
    let rules = table.rulesByRoute.get(a.route);
    if (!rules) {
      const cached = table.memo?.routeRules.get(a.route.object);
      if (cached) {
        // The rules are reused; the backends they name must still enter this Gateway's table.
        for (const b of a.route.ruleBackends.flat()) table.add(b);
        for (const b of a.route.mirrorBackends.values()) table.add(b);
        rules = cached;
      } else {
        rules = httpRules(a, table);
        table.memo?.routeRules.set(a.route.object, rules);
      }
      table.rulesByRoute.set(a.route, rules);
    }
    const created = a.route.object.metadata.creationTimestamp ?? '';
    for (const host of a.anyHost ? ['*'] : a.hostnames) {
      const list = byHost.get(host) ?? [];
      for (const rule of rules) list.push({ rule, created });
      byHost.set(host, list);
    }
  }
  return withFallThrough(byHost);
}

/** Whether route hostname pattern `outer` ("*" for any) covers every host `inner` stands for. */
function covers(outer: string, inner: string): boolean {
  return outer === '*' || (outer !== inner && outer.startsWith('*.') && hostnameMatches(outer, inner));
}

/**
 * Virtual hosts from the rules grouped by route hostname. Hostname specificity is a precedence,
 * not a partition: a request for a.example.com that no rule of the a.example.com routes matches
 * is still matched against the routes for *.example.com, then those for any host. So each virtual
 * host lists its own rules first, then those of every less specific pattern covering it (a route
 * listed once, under its most specific matching hostname); each group in rule precedence order.
 */
export function withFallThrough(byHost: ReadonlyMap<string, readonly Ranked[]>): IRVirtualHost[] {
  const hosts = [...byHost.keys()].sort(compareHostnameSpecificity);
  const sorted = new Map(hosts.map((h) => [h, [...(byHost.get(h) ?? [])].sort(compareRules)]));
  // Only wildcards and "*" cover other patterns; there are few of them, whatever the host count.
  const wide = hosts.filter((h) => h === '*' || h.startsWith('*.'));
  return hosts.map((hostname) => {
    const own = (sorted.get(hostname) ?? []).map((r) => r.rule);
    const wider = wide.filter((h) => covers(h, hostname));
    if (wider.length === 0) return { hostname, rules: own };
    const rules = [...own];
    const routes = new Set(own.map((r) => routeKey(r.route)));
    for (const group of wider) {
      const fresh = (sorted.get(group) ?? []).filter((r) => !routes.has(routeKey(r.rule.route)));
      for (const r of fresh) rules.push(r.rule);
      for (const r of fresh) routes.add(routeKey(r.rule.route));
    }
    return { hostname, rules };
  });
}

function routeKey(r: IRRouteRef): string {
  return `${r.kind}/${r.namespace}/${r.name}`;
}

/**
 * A listener's TLSRoutes and TCPRoutes, oldest route first, then by namespace/name: where routes
 * compete for the same connections (the same SNI hostname, or any TCP connection) the Gateway API
 * gives them to the oldest.
 */
function streams(listener: GraphListener, table: BackendTable): IRStreamRoute[] {
  const out: { stream: IRStreamRoute; object: GraphRoute['object'] }[] = [];
  const seen = new Set<GraphRoute>();
  for (const a of listener.routes) {
    if (a.route.kind !== 'TLSRoute' && a.route.kind !== 'TCPRoute' && a.route.kind !== 'UDPRoute') continue;
    if (seen.has(a.route)) continue; // attached twice (two parentRefs naming this listener): same answer
    seen.add(a.route);
    (a.route.object.spec.rules ?? []).forEach((raw, ruleIndex) => {
      const { backends, invalidWeight } = backendRefs(a.route, ruleIndex, raw.backendRefs ?? [], table);
      out.push({ stream: { route: routeRef(a.route), hostnames: a.anyHost ? [] : a.hostnames, backends, invalidWeight }, object: a.route.object });
    });
  }
  // A stable sort keeps each route's rules in order.
  out.sort((x, y) => byAge(x.object, y.object));
  return out.map((s) => s.stream);
}

function clientValidationIR(l: GraphListener): { clientValidation?: IRClientValidation } {
  const v = l.clientValidation;
  return v ? { clientValidation: { caPem: v.caPems.join(''), insecureFallback: v.mode === 'AllowInsecureFallback' } } : {};
}

function extAuthIR(s: ExtAuthSettings | false, table: BackendTable): IRExtAuth | false | undefined {
  if (s === false) return false;
  const backend = table.add(s.service);
  if (backend === undefined) return undefined;
  const { service: _service, ...rest } = s;
  return { ...rest, backend };
}

/** A policy in effect as the IR carries it; `scope` names the rate limit's bucket. */
function trafficPolicyIR(p: EffectivePolicy, scope: string, table: BackendTable): IRTrafficPolicy {
  const { headerModifiers, rateLimit, basicAuth, jwtAuth, apiKeyAuth, rbac, cors, timeouts, retry, buffer, compression, urlRewrite, csrf } = p.settings;
  const extAuth = p.settings.extAuth !== undefined ? extAuthIR(p.settings.extAuth, table) : undefined;
  // The service resolved in the graph, so this does not happen; should it, nothing may pass unasked.
  const failClosed = p.failClosed ?? (p.settings.extAuth !== undefined && extAuth === undefined ? `the authorization service of ${p.from.extAuth ?? 'a TrafficPolicy'} has no usable port` : undefined);
  return {
    ...(headerModifiers ? { headerModifiers } : {}),
    ...(rateLimit ? { rateLimit: { ...rateLimit, scope: `${p.from.rateLimit ?? ''}@${scope}` } } : {}),
    ...(extAuth !== undefined ? { extAuth } : {}),
    ...(basicAuth !== undefined ? { basicAuth } : {}),
    ...(jwtAuth !== undefined ? { jwtAuth } : {}),
    ...(apiKeyAuth !== undefined ? { apiKeyAuth } : {}),
    ...(rbac ? { rbac } : {}),
    ...(cors !== undefined ? { cors } : {}),
    ...(timeouts ? { timeouts } : {}),
    ...(retry !== undefined ? { retry } : {}),
    ...(buffer !== undefined ? { buffer } : {}),
    ...(compression ? { compression } : {}),
    ...(urlRewrite ? { urlRewrite } : {}),
    ...(csrf ? { csrf } : {}),
    ...(failClosed ? { failClosed } : {}),
  };
}

function listenerIR(l: GraphListener, table: BackendTable): IRListener {
  const policy = table.policies.listeners.get(l);
  return {
    id: listenerKey(l),
    name: l.name,
    protocol: l.protocol as IRListener['protocol'],
    ...(l.hostname ? { hostname: l.hostname } : {}),
    ...(l.tlsMode ? { tls: { mode: l.tlsMode, certificates: l.certificates.map((c) => ({ ...c })), ...clientValidationIR(l) } } : {}),
    virtualHosts: l.protocol === 'HTTP' || l.protocol === 'HTTPS' ? virtualHosts(l, table) : [],
    streams: l.protocol === 'TLS' || l.protocol === 'TCP' || l.protocol === 'UDP' ? streams(l, table) : [],
    ...(policy ? { policy: trafficPolicyIR(policy, listenerKey(l), table) } : {}),
  };
}

function portMode(protocol: string): PortMode {
  return protocol === 'HTTP' ? 'HTTP' : protocol === 'TCP' ? 'TCP' : protocol === 'UDP' ? 'UDP' : 'TLS';
}

/** What a Gateway's IR depends on beyond the inputs the memo's InputTracker watches. */
function signature(gw: GraphGateway, listeners: readonly GraphListener[], policies: PolicyResolution): unknown[] {
  // Authorization services are no route's backends: the routes' inputs do not cover them.
  const out: unknown[] = [...(gw.bindAddresses ?? gw.addresses), policies.serviceFingerprint, '|'];
  for (const l of listeners) {
    out.push(l.listenerSet?.object ?? gw.object, l.name);
    for (const a of l.routes) out.push(a.route.object, a.parentIndex);
  }
  return out;
}

function sameSignature(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function gatewayIR(gw: GraphGateway, policies: PolicyResolution, portSettings: ReadonlyMap<number, ListenerSettings> | undefined, memo: IRMemo | undefined): IRGateway {
  const listeners = [...gw.listeners, ...gw.listenerSets.filter((s) => s.accepted).flatMap((s) => s.listeners)].filter((l) => l.valid);
  // A delegating route serves other routes' rules, which the memo's inputs do not follow.
  if (listeners.some((l) => l.routes.some((a) => a.route.delegated))) memo = undefined;
  const sig = memo ? signature(gw, listeners, policies) : [];
  const known = memo?.gatewayIR.get(gw.object);
  // Still valid while the same routes attach and none of their Services changed since.
  const fresh = known && sameSignature(known.signature, sig) && listeners.every((l) => l.routes.every((a) => memo?.inputs.unchangedSince(a.route.object, known.tick)));
  if (known && fresh) return known.ir;
  const ir = freshGatewayIR(gw, listeners, policies, portSettings, memo);
  if (memo) memo.gatewayIR.set(gw.object, { signature: sig, ir, tick: memo.inputs.tick });
  return ir;
}

function freshGatewayIR(gw: GraphGateway, listeners: readonly GraphListener[], policies: PolicyResolution, portSettings: ReadonlyMap<number, ListenerSettings> | undefined, memo: IRMemo | undefined): IRGateway {
  const table = new BackendTable(policies, memo);
  const ports = new Map<number, IRPort>();
  for (const l of listeners) {
    let port = ports.get(l.port);
    if (!port) {
      const settings = portSettings?.get(l.port);
      port = { port: l.port, mode: portMode(l.protocol), ...(settings && Object.keys(settings).length > 0 ? { settings } : {}), listeners: [] };
      ports.set(l.port, port);
    }
    port.listeners.push(listenerIR(l, table));
  }
  for (const p of ports.values()) p.listeners.sort((a, b) => compareHostnameSpecificity(a.hostname, b.hostname));
  const process = gw.parameters && processParameters(gw.parameters);
  return {
    name: gw.key,
    className: gw.gatewayClass.object.metadata.name,
    addresses: gw.bindAddresses ?? gw.addresses,
    ports: [...ports.values()].sort((a, b) => a.port - b.port),
    backends: table.backends,
    ...(gw.backendClientCertificate ? { backendClientCertificate: { ...gw.backendClientCertificate } } : {}),
    ...(process ? { process } : {}),
  };
}

/** Translates the programmable part of the graph: accepted Gateways that have an address. */
export function buildIR(graph: Graph, memo?: IRMemo): IR {
  return {
    gateways: graph.gateways.filter((g) => g.accepted && (g.bindAddresses ?? g.addresses).length > 0).map((g) => gatewayIR(g, graph.trafficPolicies, graph.listenerPolicies.ports.get(g), memo)),
  };
}

/** What the data plane process takes from the parameters (the kube section is for the deployment). */
function processParameters(p: { threads?: number; maxConnections?: number; logLevel?: string }): IRGateway['process'] | undefined {
  const out = { ...(p.threads !== undefined ? { threads: p.threads } : {}), ...(p.maxConnections !== undefined ? { maxConnections: p.maxConnections } : {}), ...(p.logLevel !== undefined ? { logLevel: p.logLevel } : {}) };
  return Object.keys(out).length > 0 ? out : undefined;
}

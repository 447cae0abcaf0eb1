/**
 * `portico explain`: why a route takes the traffic it takes, from one translation. For each
 * parentRef, its verdict and the listeners it attached to; for each rule, its backendRefs'
 * resolution; which other routes' rules come first on the same hostnames (and may take requests
 * meant for it); and, for a sample request, the Gateway, listener, route and rule that would
 * answer it. Pure: a function of the translation, as the data plane would route.
 */
import { compareHostnameSpecificity, hostnameMatches } from '../api/hostnames.js';
import type { Cond, GraphRoute, ResolvedBackend } from '../graph/model.js';
import type { IRGateway, IRHTTPRule, IRListener, IRMatch, IRVirtualHost } from '../ir/model.js';
import type { Translation } from './translate.js';

export interface SampleRequest {
  method: string;
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
}

/** "GET https://host/path?x=1" (the method may be left out: GET). */
export function parseSampleRequest(text: string, headers: readonly string[] = []): SampleRequest | string {
  const m = /^\s*(?:([A-Z]+)\s+)?(\S+)\s*$/.exec(text);
  if (!m) return `"${text}" is not "METHOD URL"`;
  let url: URL;
  try {
    url = new URL(m[2] as string);
  } catch {
    return `"${m[2]}" is not a URL (write it whole: http://host/path)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${m[2]}": only http and https URLs`;
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const out: Record<string, string> = {};
  for (const h of headers) {
    const i = h.indexOf(':');
    if (i <= 0) return `header "${h}" is not name:value`;
    out[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  return { method: m[1] ?? 'GET', scheme, host: url.hostname.toLowerCase(), port: url.port ? Number(url.port) : scheme === 'https' ? 443 : 80, path: `${url.pathname}${url.search}`, headers: out };
}

function pathMatches(match: IRMatch['path'], path: string): boolean {
  const p = path.split('?')[0] ?? '';
  if (match.type === 'Exact') return p === match.value;
  if (match.type === 'PathPrefix') {
    const prefix = match.value.replace(/\/+$/, '');
    return prefix === '' || p === prefix || p.startsWith(`${prefix}/`);
  }
  try {
    return new RegExp(`^(?:${match.value})$`).test(p);
  } catch {
    return false;
  }
}

function valueMatches(m: { type: 'Exact' | 'RegularExpression'; value: string }, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (m.type === 'Exact') return value === m.value;
  try {
    return new RegExp(m.value).test(value);
  } catch {
    return false;
  }
}

/** Whether a rule's match takes the request (path, method, headers, query parameters). */
export function requestMatches(match: IRMatch, r: SampleRequest): boolean {
  if (!pathMatches(match.path, r.path)) return false;
  if (match.method && match.method !== r.method) return false;
  if (!match.headers.every((h) => valueMatches(h, r.headers[h.name.toLowerCase()]))) return false;
  const query = new URLSearchParams(r.path.includes('?') ? r.path.slice(r.path.indexOf('?')) : '');
  return match.queryParams.every((q) => valueMatches(q, query.get(q.name) ?? undefined));
}

/**
 * The most specific of `items` whose hostname takes `host` (exact, then the longest wildcard, then
 * none), as listeners and virtual hosts are chosen.
 */
function mostSpecific<T>(items: readonly T[], hostname: (t: T) => string | undefined, host: string): T | undefined {
  const takes = (h: string | undefined) => h === undefined || h === '' || h === '*' || hostnameMatches(h, host);
  return items.filter((item) => takes(hostname(item))).sort((a, b) => compareHostnameSpecificity(hostname(a), hostname(b)))[0];
}

export interface RequestVerdict {
  gateway: string;
  listener?: string;
  /** The rule that answers, or why none does. */
  rule?: { route: string; ruleIndex: number; ruleName?: string; backends: string[] };
  none?: string;
}

/** Where the data plane would send `r` on one Gateway. */
export function routeRequest(gw: IRGateway, r: SampleRequest): RequestVerdict {
  const port = gw.ports.find((p) => p.port === r.port);
  if (!port) return { gateway: gw.name, none: `no listener on port ${r.port}` };
  const listeners = port.listeners.filter((l) => (r.scheme === 'https' ? l.protocol === 'HTTPS' : l.protocol === 'HTTP'));
  const listener = mostSpecific<IRListener>(listeners, (l) => l.hostname, r.host);
  if (!listener) return { gateway: gw.name, none: `no ${r.scheme.toUpperCase()} listener on port ${r.port} takes host ${r.host}` };
  const vhost = mostSpecific<IRVirtualHost>(listener.virtualHosts, (v) => v.hostname, r.host);
  if (!vhost) return { gateway: gw.name, listener: listener.name, none: `no route of listener ${listener.name} takes host ${r.host}: 404` };
  const rule = vhost.rules.find((x) => requestMatches(x.match, r));
  if (!rule) return { gateway: gw.name, listener: listener.name, none: `no rule for host ${r.host} matches ${r.method} ${r.path}: 404` };
  return {
    gateway: gw.name,
    listener: listener.name,
    rule: { route: `${rule.route.kind} ${rule.route.namespace}/${rule.route.name}`, ruleIndex: rule.ruleIndex, ...(rule.ruleName ? { ruleName: rule.ruleName } : {}), backends: rule.backends.map((b) => `${b.backend} (weight ${b.weight})`) },
  };
}

function describeMatch(m: IRMatch): string {
  const parts = [`${m.path.type} ${m.path.value}`];
  if (m.method) parts.push(`method ${m.method}`);
  for (const h of m.headers) parts.push(`header ${h.name}${h.type === 'Exact' ? '=' : '~'}${h.value}`);
  for (const q of m.queryParams) parts.push(`query ${q.name}${q.type === 'Exact' ? '=' : '~'}${q.value}`);
  return parts.join(', ');
}

function describeBackend(b: ResolvedBackend): string {
  if (b.delegation) return `HTTPRoute ${b.namespace}/${b.name}: delegation`;
  const kind = b.source ?? 'Service';
  const what = `${kind} ${b.namespace}/${b.name}${b.port !== undefined ? `:${b.port}` : ''} weight ${b.weight}`;
  if (b.problem) return `${what}: ${b.problem.reason}: ${b.problem.message}`;
  const shown = b.endpoints.slice(0, 3).map((e) => `${e.address}:${e.port}`);
  return `${what}: ${b.endpoints.length} endpoint${b.endpoints.length === 1 ? '' : 's'}${shown.length ? ` (${shown.join(', ')}${b.endpoints.length > 3 ? ', ...' : ''})` : ' (answers 503)'}`;
}

function describeConditions(conds: readonly Cond[]): string {
  return conds.map((c) => `${c.type}=${c.status} ${c.reason}${c.message ? `: ${c.message}` : ''}`).join('\n      ');
}

/** The report, as plain text for people. Undefined when the translation holds no such route. */
export function explainRoute(translation: Translation, kind: string, namespace: string, name: string, request?: SampleRequest): string | undefined {
  const route: GraphRoute | undefined = translation.graph.routes.find((r) => r.kind === kind && r.key === `${namespace}/${name}`);
  if (!route) return undefined;
  const out: string[] = [`${kind} ${namespace}/${name}`, '', 'Parents:'];
  const parentRefs = (route.object.spec as { parentRefs?: { name: string; namespace?: string; sectionName?: string; port?: number; kind?: string }[] }).parentRefs ?? [];
  parentRefs.forEach((ref, i) => {
    const target = `${ref.kind ?? 'Gateway'} ${ref.namespace ?? namespace}/${ref.name}${ref.sectionName ? ` sectionName ${ref.sectionName}` : ''}${ref.port ? ` port ${ref.port}` : ''}`;
    const status = route.parents.find((p) => p.index === i);
    out.push(`  [${i}] ${target}`);
    if (!status) {
      out.push('      not one of Portico\'s Gateways (another controller\'s, or none by that name)');
      return;
    }
    out.push(`      ${describeConditions(status.conditions)}`);
    for (const a of route.attachments.filter((x) => x.parentIndex === i)) {
      out.push(`      attached to listener ${a.listener.name} (port ${a.listener.port}, ${a.listener.protocol}${a.listener.hostname ? `, ${a.listener.hostname}` : ''}) for ${a.anyHost ? 'any host' : a.hostnames.join(', ')}`);
    }
  });
  out.push('', 'Rules:');
  const rules = (route.object.spec as { rules?: { name?: string; matches?: unknown[] }[] }).rules ?? [];
  rules.forEach((rule, i) => {
    out.push(`  [${i}]${rule.name ? ` ${rule.name}` : ''}`);
    const invalid = route.invalidRules.get(i);
    if (invalid) out.push(`      not served: ${invalid}`);
    const closed = route.closedRules.get(i);
    if (closed) out.push(`      answers 500: ${closed}`);
    const backends = route.ruleBackends[i] ?? [];
    if (backends.length === 0) out.push('      no backendRefs');
    for (const b of backends) out.push(`      backendRef ${describeBackend(b)}`);
  });
  const ahead = precedence(translation, route);
  if (ahead.length > 0) {
    out.push('', 'Rules of other routes that come first on the same hostnames (they take the requests both match):');
    for (const line of ahead.slice(0, 20)) out.push(`  ${line}`);
    if (ahead.length > 20) out.push(`  (${ahead.length - 20} more)`);
  }
  if (request) {
    out.push('', `Request ${request.method} ${request.scheme}://${request.host}:${request.port}${request.path}:`);
    const gateways = [...new Set(route.attachments.map((a) => a.listener.gateway.key))];
    const irs = translation.ir.gateways.filter((g) => gateways.includes(g.name));
    if (irs.length === 0) out.push('  the route is served by no Gateway');
    for (const gw of irs) {
      const v = routeRequest(gw, request);
      const where = `  Gateway ${v.gateway}${v.listener ? ` listener ${v.listener}` : ''}: `;
      if (!v.rule) out.push(`${where}${v.none ?? 'no answer'}`);
      else {
        const mine = v.rule.route === `${kind} ${namespace}/${name}`;
        out.push(`${where}${v.rule.route} rule ${v.rule.ruleName ?? v.rule.ruleIndex}${mine ? '' : ' (another route)'} → ${v.rule.backends.join(', ') || 'no backend'}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** Per virtual host the route serves: the other routes' rules placed before its own. */
function precedence(translation: Translation, route: GraphRoute): string[] {
  const out: string[] = [];
  const isMine = (r: IRHTTPRule) => r.route.kind === route.kind && `${r.route.namespace}/${r.route.name}` === route.key;
  for (const gw of translation.ir.gateways) {
    for (const port of gw.ports) {
      for (const l of port.listeners) {
        for (const v of l.virtualHosts) {
          const last = v.rules.map(isMine).lastIndexOf(true);
          if (last < 0) continue;
          for (const r of v.rules.slice(0, last)) {
            if (isMine(r)) continue;
            out.push(`Gateway ${gw.name} listener ${l.name} host ${v.hostname || '*'}: ${r.route.kind} ${r.route.namespace}/${r.route.name} rule ${r.ruleName ?? r.ruleIndex} (${describeMatch(r.match)})`);
          }
        }
      }
    }
  }
  return out;
}

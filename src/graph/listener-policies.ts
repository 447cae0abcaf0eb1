/**
 * ListenerPolicies (and the older HTTPListenerPolicy) of gateway.portico.dev, kgateway's API:
 * settings of the ports a Gateway listens on. A policy attaches to Gateways (targetRefs or
 * targetSelectors, in its namespace); `default` applies to every port, `perPort` to one port, and
 * a target's sectionName narrows it to the port of that listener. Fields merge one by one: for a
 * port, a policy's perPort setting over its default, and among policies the oldest. A policy
 * with a field Portico cannot carry out is refused whole and applies nowhere: these are the
 * Gateway owner's settings, and the Gateway keeps serving as it did without them.
 */
import { durationMs } from '../api/durations.js';
import { GATEWAY_GROUP } from '../api/kinds.js';
import type { ListenerHttpSettings, ListenerPolicyObject, ListenerSettingsSpec } from '../api/policy-spec.js';
import type { HeaderModifier } from '../api/spec.js';
import type { ResourceSet } from '../store/resources.js';
import { accessLogSettings, type AccessLogSettings } from './access-log.js';
import { byAge } from './gateways.js';
import { selectorMatches } from './labels.js';
import type { Cond, GraphGateway } from './model.js';
import { decidePolicyConditions, gatewayAncestor, type PolicyAncestor } from './traffic-policies.js';

/** What a port's frontend does besides routing. */
export interface ListenerSettings {
  /** Connections start with a PROXY protocol header (v1 or v2) naming the client. */
  proxyProtocol?: boolean;
  /** Answered 200 by the proxy itself. */
  healthCheckPath?: string;
  /** How long a connection may stay idle between requests. */
  idleTimeout?: string;
  /** How long a request may go without a byte from the client. */
  streamIdleTimeout?: string;
  /** The client's address is the X-Forwarded-For entry this many from the right (1: the last). */
  clientAddressFromXff?: number;
  /** Append the client's address to X-Forwarded-For. */
  appendXff?: boolean;
  serverHeader?: 'Overwrite' | 'AppendIfAbsent' | 'PassThrough';
  /** Header changes before routing, so they can decide the route. */
  earlyHeaders?: HeaderModifier;
  /** Give each request an x-request-id (a UUID); keep one the client sent when `preserveExternal`. */
  requestId?: { preserveExternal: boolean };
  /** Answer HTTP/1.0 requests 426 (acceptHttp10: false). */
  rejectHttp10?: boolean;
  /** The Host of HTTP/1.0 requests that carry none. */
  defaultHostForHttp10?: string;
  accessLog?: AccessLogSettings;
}

export const LISTENER_FIELDS = [
  'proxyProtocol',
  'healthCheckPath',
  'idleTimeout',
  'streamIdleTimeout',
  'clientAddressFromXff',
  'appendXff',
  'serverHeader',
  'earlyHeaders',
  'requestId',
  'rejectHttp10',
  'defaultHostForHttp10',
  'accessLog',
] as const satisfies readonly (keyof ListenerSettings)[];

export interface GraphListenerPolicy {
  object: ListenerPolicyObject;
  key: string;
  /** Settings for every port, and per port number. */
  defaults: ListenerSettings;
  perPort: Map<number, ListenerSettings>;
  problem?: string;
  missing: string[];
  conflicts: { field: string; winner: string; target: string }[];
  ancestors: PolicyAncestor[];
  conditions: Cond[];
  attached: boolean;
  applied: number;
}

export interface ListenerPolicyResolution {
  policies: GraphListenerPolicy[];
  /** Per Gateway, per port: the settings in effect. */
  ports: Map<GraphGateway, Map<number, ListenerSettings>>;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** kgateway's HTTP settings Portico cannot carry out: refused with their path. */
const UNSUPPORTED_HTTP: readonly (keyof ListenerHttpSettings)[] = ['tracing', 'preserveHttp1HeaderCase', 'maxRequestHeadersKb', 'uuidRequestIdConfig', 'xffTrustedCIDRs'];

function httpSettings(h: ListenerHttpSettings, where: string, problems: string[], accessLogDir: string | undefined): ListenerSettings {
  const out: ListenerSettings = {};
  for (const f of UNSUPPORTED_HTTP) if (h[f] !== undefined) problems.push(`${where}.${f} is not supported by Portico`);
  if (h.accessLog !== undefined) {
    const logs = accessLogSettings(h.accessLog, `${where}.accessLog`, accessLogDir);
    if ('problem' in logs) problems.push(logs.problem);
    else out.accessLog = logs;
  }
  const upgrades = h.upgradeConfig?.enabledUpgrades ?? [];
  const other = upgrades.find((u) => u.toLowerCase() !== 'websocket');
  if (other !== undefined) problems.push(`${where}.upgradeConfig.enabledUpgrades: ${JSON.stringify(other)} is not supported (websocket is, and is always on)`);
  for (const f of ['idleTimeout', 'streamIdleTimeout'] as const) {
    const d = h[f];
    if (d === undefined) continue;
    if (durationMs(d) === undefined) problems.push(`${where}.${f} ${JSON.stringify(d)} is not a duration`);
    else out[f] = d;
  }
  if (h.healthCheck) {
    if (!/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/.test(h.healthCheck.path)) problems.push(`${where}.healthCheck.path must be a path`);
    else out.healthCheckPath = h.healthCheck.path;
  }
  const hops = h.xffNumTrustedHops ?? 0;
  // Envoy's rule: with the connection's address trusted (useRemoteAddress, the default) the client
  // is the hops-th X-Forwarded-For entry from the right; without, one further left.
  const fromRight = h.useRemoteAddress === false ? hops + 1 : hops;
  if (fromRight > 0) out.clientAddressFromXff = fromRight;
  if (h.skipXFFAppend === false) out.appendXff = true;
  if (h.serverHeaderTransformation) out.serverHeader = h.serverHeaderTransformation;
  if (h.earlyRequestHeaderModifier) {
    const m = h.earlyRequestHeaderModifier;
    const bad = [...(m.set ?? []), ...(m.add ?? [])].find((x) => CONTROL.test(x.value));
    if (bad) problems.push(`${where}.earlyRequestHeaderModifier: the value of header ${bad.name} holds a control character`);
    else out.earlyHeaders = m;
  }
  if (h.generateRequestId) out.requestId = { preserveExternal: h.preserveExternalRequestId ?? false };
  if (h.acceptHttp10 === false) out.rejectHttp10 = true;
  if (h.defaultHostForHttp10 !== undefined) {
    if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(h.defaultHostForHttp10)) problems.push(`${where}.defaultHostForHttp10 must be a host name`);
    else out.defaultHostForHttp10 = h.defaultHostForHttp10;
  }
  return out;
}

function sectionSettings(s: ListenerSettingsSpec | undefined, where: string, problems: string[], accessLogDir: string | undefined): ListenerSettings {
  if (!s) return {};
  if (s.perConnectionBufferLimitBytes !== undefined) problems.push(`${where}.perConnectionBufferLimitBytes is not supported by Portico`);
  if (s.clientCertificateValidation !== undefined) problems.push(`${where}.clientCertificateValidation is not supported by Portico (set the Gateway's spec.tls.frontend)`);
  return { ...(s.httpSettings ? httpSettings(s.httpSettings, `${where}.httpSettings`, problems, accessLogDir) : {}), ...(s.proxyProtocol !== undefined ? { proxyProtocol: true } : {}) };
}

/**
 * What one policy asks for, per port, or why it cannot be carried out. Access logs may write to
 * files only inside `accessLogDir`.
 */
export function listenerPolicySettings(object: ListenerPolicyObject, accessLogDir?: string): { defaults: ListenerSettings; perPort: Map<number, ListenerSettings>; problem?: string } {
  const problems: string[] = [];
  const perPort = new Map<number, ListenerSettings>();
  let defaults: ListenerSettings;
  if (object.kind === 'HTTPListenerPolicy') {
    const { targetRefs: _refs, targetSelectors: _selectors, ...http } = object.spec;
    defaults = httpSettings(http as ListenerHttpSettings, 'spec', problems, accessLogDir);
  } else {
    defaults = sectionSettings(object.spec.default, 'spec.default', problems, accessLogDir);
    (object.spec.perPort ?? []).forEach((p, i) => perPort.set(p.port, sectionSettings(p.listener, `spec.perPort[${i}].listener`, problems, accessLogDir)));
  }
  return problems.length > 0 ? { defaults, perPort, problem: problems.join('; ') } : { defaults, perPort };
}

/** The Gateways (and, with a sectionName, the port of one listener) a policy names or selects. */
function targets(policy: ListenerPolicyObject, gateways: readonly GraphGateway[], resources: ResourceSet): { gateway?: GraphGateway; port?: number; name: string }[] {
  const ns = policy.metadata.namespace ?? 'default';
  const refs = [...(policy.spec.targetRefs ?? [])];
  for (const s of policy.spec.targetSelectors ?? []) {
    if (s.group !== GATEWAY_GROUP || s.kind !== 'Gateway') continue;
    for (const o of resources.list('Gateway')) {
      if ((o.metadata.namespace ?? 'default') === ns && selectorMatches({ matchLabels: s.matchLabels }, o.metadata.labels)) refs.push({ group: s.group, kind: 'Gateway', name: o.metadata.name, ...(s.sectionName ? { sectionName: s.sectionName } : {}) });
    }
  }
  return refs.map((ref) => {
    const name = `Gateway ${ns}/${ref.name}${ref.sectionName ? ` listener ${ref.sectionName}` : ''}`;
    if (ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway') return { name };
    const gateway = gateways.find((g) => g.key === `${ns}/${ref.name}`);
    if (!gateway || ref.sectionName === undefined) return gateway ? { gateway, name } : { name };
    const listener = gateway.listeners.find((l) => l.name === ref.sectionName);
    return listener ? { gateway, port: listener.port, name } : { name };
  });
}

/** Resolves every ListenerPolicy and HTTPListenerPolicy against the built Gateways. Pure. */
export function resolveListenerPolicies(resources: ResourceSet, gateways: readonly GraphGateway[], accessLogDir?: string): ListenerPolicyResolution {
  const objects = [...resources.list<ListenerPolicyObject>('ListenerPolicy'), ...resources.list<ListenerPolicyObject>('HTTPListenerPolicy')].sort(byAge);
  const policies: GraphListenerPolicy[] = [];
  const ports = new Map<GraphGateway, Map<number, ListenerSettings>>();
  const winners = new Map<string, string>();
  for (const object of objects) {
    const { defaults, perPort, problem } = listenerPolicySettings(object, accessLogDir);
    const policy: GraphListenerPolicy = { object, key: `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`, defaults, perPort, ...(problem ? { problem } : {}), missing: [], conflicts: [], ancestors: [], conditions: [], attached: false, applied: 0 };
    policies.push(policy);
    for (const t of targets(object, gateways, resources)) {
      if (!t.gateway) {
        policy.missing.push(t.name);
        continue;
      }
      policy.attached = true;
      const a = gatewayAncestor(t.gateway);
      if (!policy.ancestors.some((x) => x.namespace === a.namespace && x.name === a.name)) policy.ancestors.push(a);
      if (problem) continue;
      let byPort = ports.get(t.gateway);
      if (!byPort) ports.set(t.gateway, (byPort = new Map()));
      const portNumbers = t.port !== undefined ? [t.port] : [...new Set(t.gateway.listeners.map((l) => l.port))];
      for (const port of portNumbers) {
        const wanted = { ...defaults, ...(perPort.get(port) ?? {}) };
        const settings = byPort.get(port) ?? {};
        for (const field of LISTENER_FIELDS) {
          if (wanted[field] === undefined) continue;
          const slot = `${t.gateway.key}:${port}:${field}`;
          const winner = winners.get(slot);
          if (winner === undefined) {
            winners.set(slot, policy.key);
            (settings as Record<string, unknown>)[field] = wanted[field];
            policy.applied++;
          } else if (winner !== policy.key) {
            policy.conflicts.push({ field, winner, target: `port ${port} of Gateway ${t.gateway.key}` });
          }
        }
        byPort.set(port, settings);
      }
    }
  }
  for (const p of policies) decidePolicyConditions(p, p.object.kind, conflictNote);
  return { policies, ports };
}

const conflictNote = (c: { field: string; winner: string; target: string }): string => `${c.field} on ${c.target} is set by the older policy ${c.winner}`;


import { GATEWAY_GROUP } from '../api/kinds.js';
import type { ResourceSet } from '../store/resources.js';
import { resolveCACertificateRef, resolveCertificateRef, type CACertificateReference } from './certificates.js';
import { cond, getCond, setCond } from './conditions.js';
import type { GraphGateway, GraphListener, GraphListenerSet, RouteKind } from './model.js';
import type { ReferenceGrantIndex } from './reference-grants.js';
import type { FrontendValidation, GatewaySpec, ListenerSpec, RouteGroupKind } from '../api/spec.js';
import { hostnameMatches } from '../api/hostnames.js';
import { withArticle } from './words.js';

/** Route kinds each supported listener protocol carries, in the order reported in supportedKinds. */
const KINDS_BY_PROTOCOL: Record<string, readonly RouteKind[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute'],
  TCP: ['TCPRoute'],
  // HAProxy 2.6 has no UDP: the data plane serves these with a forwarder of its own.
  UDP: ['UDPRoute'],
};

/** Listeners sharing a port must agree on how the port is served: plain HTTP, TLS (SNI) or raw TCP. */
function portFamily(protocol: string): string {
  if (protocol === 'HTTPS' || protocol === 'TLS') return 'tls';
  return protocol.toLowerCase();
}

export function supportedProtocols(): string[] {
  return Object.keys(KINDS_BY_PROTOCOL);
}

export interface ListenerContext {
  resources: ResourceSet;
  grants: ReferenceGrantIndex;
  /** Why a listener may not use a port (the cluster admin's bind policy), or undefined. */
  portRefusal?: (port: number) => string | undefined;
}

/** The frontend validation asked for the HTTPS listeners on `port`: the port's own, else the default. */
function frontendValidation(spec: GatewaySpec, port: number): FrontendValidation | undefined {
  const frontend = spec.tls?.frontend;
  const own = frontend?.perPort?.find((p) => p.port === port);
  return own ? own.tls?.validation : frontend?.default?.validation;
}

/**
 * InsecureFrontendValidationMode on a Gateway whose HTTPS listeners let clients in without a valid
 * certificate (mode AllowInsecureFallback), so the risk shows in its status.
 */
export function markInsecureFrontendValidation(gw: GraphGateway): void {
  const ports = new Set([...gw.listeners, ...gw.listenerSets.flatMap((s) => s.listeners)].filter((l) => l.protocol === 'HTTPS').map((l) => l.port));
  const insecure = [...ports].filter((p) => frontendValidation(gw.object.spec, p)?.mode === 'AllowInsecureFallback');
  if (insecure.length === 0) return;
  const which = insecure.sort((a, b) => a - b).join(', ');
  setCond(
    gw.conditions,
    cond('InsecureFrontendValidationMode', true, 'ConfigurationChanged', `HTTPS port ${which} accepts clients without a valid certificate (client certificate validation mode AllowInsecureFallback)`),
  );
}

/** Builds one listener with every check that needs only the listener itself. */
export function buildListener(
  spec: ListenerSpec,
  gateway: GraphGateway,
  listenerSet: GraphListenerSet | undefined,
  ctx: ListenerContext,
): GraphListener {
  const owner = listenerSet ? listenerSet.object : gateway.object;
  const listener: GraphListener = {
    gateway,
    listenerSet,
    spec,
    name: spec.name,
    port: spec.port,
    protocol: spec.protocol,
    hostname: spec.hostname,
    supportedKinds: [],
    valid: true,
    certificates: [],
    conditions: [],
    attachedRoutes: 0,
    routes: [],
  };
  const kindsForProtocol = KINDS_BY_PROTOCOL[spec.protocol];
  if (!kindsForProtocol) {
    listener.valid = false;
    const why = `protocol "${spec.protocol}" is not supported; supported: ${supportedProtocols().join(', ')}`;
    setCond(listener.conditions, cond('Accepted', false, 'UnsupportedProtocol', why));
  } else {
    setCond(listener.conditions, cond('Accepted', true, 'Accepted', 'Listener is accepted'));
  }

  // Route kinds: those asked for that the protocol supports; any other is an error.
  const problems: { reason: string; message: string }[] = [];
  const wanted = spec.allowedRoutes?.kinds;
  if (wanted && wanted.length > 0) {
    const bad: string[] = [];
    for (const k of wanted) {
      const group = k.group ?? GATEWAY_GROUP;
      if (group === GATEWAY_GROUP && kindsForProtocol?.includes(k.kind as RouteKind)) {
        if (!listener.supportedKinds.some((s) => s.kind === k.kind)) listener.supportedKinds.push({ group, kind: k.kind });
      } else {
        bad.push(group ? `${group}/${k.kind}` : k.kind);
      }
    }
    if (bad.length > 0) {
      problems.push({
        reason: 'InvalidRouteKinds',
        message: `route kinds not supported on ${withArticle(spec.protocol)} listener: ${bad.join(', ')}`,
      });
    }
  } else {
    listener.supportedKinds = (kindsForProtocol ?? []).map((kind) => ({ group: GATEWAY_GROUP, kind }));
  }

  const portProblem = ctx.portRefusal?.(spec.port);
  if (portProblem) {
    listener.valid = false;
    setCond(listener.conditions, cond('Accepted', false, 'PortUnavailable', portProblem));
  }

  // Client certificate validation: every HTTPS listener on the port checks clients against the CAs
  // that resolve. With none, the listener is not served at all, rather than served letting any
  // client in.
  const validation = spec.protocol === 'HTTPS' ? frontendValidation(gateway.object.spec, spec.port) : undefined;
  if (validation) {
    const caPems: string[] = [];
    const refs: CACertificateReference[] = validation.caCertificateRefs;
    const gw = gateway.object;
    for (const ref of refs) {
      const result = resolveCACertificateRef(ref, { kind: 'Gateway', namespace: gw.metadata.namespace ?? 'default' }, ctx.resources, ctx.grants);
      if (result.ok) caPems.push(result.pem);
      else problems.push({ reason: result.reason, message: result.message });
    }
    if (caPems.length > 0) {
      listener.clientValidation = { caPems, mode: validation.mode === 'AllowInsecureFallback' ? 'AllowInsecureFallback' : 'AllowValidOnly' };
    } else {
      listener.valid = false;
      setCond(
        listener.conditions,
        cond('Accepted', false, 'NoValidCACertificate', `no caCertificateRef of the client certificate validation for port ${spec.port} (spec.tls.frontend of Gateway ${gateway.key}) resolves; this listener is not served`),
      );
    }
  }

  // TLS options (a minimum version, ciphers, ...) Portico knows none of yet: a listener asking for
  // one is not served, rather than served without it.
  const options = Object.keys(spec.tls?.options ?? {});
  if (options.length > 0 && (spec.protocol === 'HTTPS' || spec.protocol === 'TLS')) {
    listener.valid = false;
    setCond(
      listener.conditions,
      cond('Accepted', false, 'UnsupportedValue', `tls.options ${options.map((o) => JSON.stringify(o)).join(', ')}: Portico supports no TLS options yet; this listener is not served until they are removed`),
    );
  }

  // TLS termination needs at least one usable certificate.
  if (!spec.tls && spec.protocol === 'HTTPS') {
    listener.valid = false;
    problems.push({ reason: 'InvalidCertificateRef', message: 'TLS termination needs at least one certificateRef' });
  }
  if (spec.tls && (spec.protocol === 'HTTPS' || spec.protocol === 'TLS')) {
    listener.tlsMode = spec.tls.mode ?? 'Terminate';
    if (listener.tlsMode === 'Terminate') {
      for (const ref of spec.tls.certificateRefs ?? []) {
        const result = resolveCertificateRef(
          ref,
          { kind: owner.kind, namespace: owner.metadata.namespace ?? 'default' },
          ctx.resources,
          ctx.grants,
        );
        if (result.ok) listener.certificates.push(result.certificate);
        else problems.push({ reason: result.reason, message: result.message });
      }
      if (listener.certificates.length === 0) {
        listener.valid = false;
        if ((spec.tls.certificateRefs ?? []).length === 0) {
          problems.push({ reason: 'InvalidCertificateRef', message: 'TLS termination needs at least one certificateRef' });
        }
      }
    }
  }

  const first = problems[0];
  setCond(
    listener.conditions,
    first
      ? cond('ResolvedRefs', false, first.reason, problems.map((p) => p.message).join('; '))
      : cond('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved'),
  );
  setCond(listener.conditions, cond('Conflicted', false, 'NoConflicts', 'No conflicts'));
  return listener;
}

function markConflicted(listener: GraphListener, reason: 'HostnameConflict' | 'ProtocolConflict', message: string): void {
  if (getCond(listener.conditions, 'Conflicted')?.status === 'True') return;
  listener.valid = false;
  setCond(listener.conditions, cond('Conflicted', true, reason, message));
  // Keep a more fundamental Accepted=False (e.g. UnsupportedProtocol) when there is one.
  if (getCond(listener.conditions, 'Accepted')?.status === 'True') {
    setCond(listener.conditions, cond('Accepted', false, reason, message));
  }
}

function conflictBetween(a: GraphListener, b: GraphListener): { reason: 'HostnameConflict' | 'ProtocolConflict'; message: string } | undefined {
  if (a.port !== b.port) return undefined;
  if (portFamily(a.protocol) !== portFamily(b.protocol)) {
    return {
      reason: 'ProtocolConflict',
      message: `port ${a.port} is used by listeners "${a.name}" (${a.protocol}) and "${b.name}" (${b.protocol}) with incompatible protocols`,
    };
  }
  if ((a.protocol === 'TCP' || a.protocol === 'UDP') && a.protocol === b.protocol) {
    // Nothing in a TCP or UDP connection names a host, so hostnames cannot tell these apart.
    return {
      reason: 'HostnameConflict',
      message: `listeners "${a.name}" and "${b.name}" both use ${a.protocol} port ${a.port}; hostnames do not distinguish ${a.protocol} listeners`,
    };
  }
  if ((a.hostname ?? '') === (b.hostname ?? '')) {
    const host = a.hostname ? `hostname "${a.hostname}"` : 'no hostname';
    return {
      reason: 'HostnameConflict',
      message: `listeners "${a.name}" and "${b.name}" both use port ${a.port} with ${host}`,
    };
  }
  return undefined;
}

/**
 * Marks conflicting listeners. `ranks` lists groups in precedence order: the Gateway's own
 * listeners first (they conflict with each other both ways), then each ListenerSet; a listener
 * of a later group loses to any accepted listener of an earlier group or earlier in its own group.
 */
export function markConflicts(ranks: readonly GraphListener[][]): void {
  const [own = [], ...sets] = ranks;
  const protocolOk = (l: GraphListener) => getCond(l.conditions, 'Accepted')?.reason !== 'UnsupportedProtocol';
  for (let i = 0; i < own.length; i++) {
    for (let j = i + 1; j < own.length; j++) {
      const a = own[i] as GraphListener;
      const b = own[j] as GraphListener;
      if (!protocolOk(a) || !protocolOk(b)) continue;
      const c = conflictBetween(a, b);
      if (c) {
        markConflicted(a, c.reason, c.message);
        markConflicted(b, c.reason, c.message);
      }
    }
  }
  const winners: GraphListener[] = own.filter((l) => getCond(l.conditions, 'Conflicted')?.status !== 'True' && protocolOk(l));
  for (const set of sets) {
    for (const l of set) {
      if (!protocolOk(l)) continue;
      const c = winners.map((w) => conflictBetween(w, l)).find((x) => x !== undefined);
      if (c) markConflicted(l, c.reason, c.message);
      else winners.push(l);
    }
  }
}

export function routeKindAllowed(listener: GraphListener, kind: string, group: string = GATEWAY_GROUP): boolean {
  return listener.supportedKinds.some((k: RouteGroupKind) => k.kind === kind && (k.group ?? GATEWAY_GROUP) === group);
}

function describeHost(l: GraphListener): string {
  return l.hostname ? `hostname "${l.hostname}"` : 'no hostname (any host)';
}

/**
 * Sets OverlappingTLSConfig on TLS listeners of one port whose hostnames overlap (one covers the
 * other, e.g. "*.example.com" and "shop.example.com"; no hostname covers all): with HTTP/2
 * connection coalescing a client may reuse one listener's connection for the other's host. A
 * negative-polarity condition: set only when True. Conflicted listeners are already reported.
 */
export function markOverlappingTls(listeners: readonly GraphListener[]): void {
  const tls = listeners.filter(
    (l) => (l.protocol === 'HTTPS' || l.protocol === 'TLS') && getCond(l.conditions, 'Conflicted')?.status !== 'True',
  );
  for (const l of tls) {
    const overlaps = tls.filter(
      (o) =>
        o !== l &&
        o.port === l.port &&
        (o.hostname ?? '') !== (l.hostname ?? '') &&
        (!o.hostname || !l.hostname || hostnameMatches(o.hostname, l.hostname) || hostnameMatches(l.hostname, o.hostname)),
    );
    if (overlaps.length === 0) continue;
    const which = overlaps.map((o) => `listener "${o.name}" (${o.hostname ?? 'any host'})`).join(', ');
    setCond(l.conditions, cond('OverlappingTLSConfig', true, 'OverlappingHostnames', `${describeHost(l)} overlaps ${which} on port ${l.port}`));
  }
}

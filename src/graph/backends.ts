import { formatIP, parseIP } from '../net/ip.js';
import { backendTarget, coveredByBackendTLS, type BackendTLSIndex } from './backend-tls-policies.js';
import { GATEWAY_GROUP, MULTICLUSTER_GROUP, PORTICO_GROUP } from '../api/kinds.js';
import { importKey, MULTICLUSTER_SERVICE_NAME_LABEL, type ServiceImportObject, type ServiceImportPort } from '../api/multicluster.js';
import type { BackendObject } from '../api/policy-spec.js';
import type { ResourceSet } from '../store/resources.js';
import type { Endpoint, ResolvedBackend, RouteKind } from './model.js';
import type { ReferenceGrantIndex } from './reference-grants.js';
import type { BackendObjectReference, EndpointSliceObject, ServiceObject, ServicePort } from '../api/spec.js';
import { withArticle } from './words.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * Backend protocols each route kind can speak, by Service port appProtocol. An absent
 * appProtocol means the route kind's natural protocol.
 */
const APP_PROTOCOLS: Record<RouteKind, Record<string, string>> = {
  HTTPRoute: { '': 'http', http: 'http', 'kubernetes.io/h2c': 'h2c', 'kubernetes.io/ws': 'ws' },
  GRPCRoute: { '': 'h2c', grpc: 'h2c', 'kubernetes.io/h2c': 'h2c' },
  TLSRoute: {},
  TCPRoute: {},
  UDPRoute: {},
};

/** An address HAProxy can dial: an IP address without a zone. */
function isPlainIP(text: string): boolean {
  const ip = parseIP(text);
  return ip !== undefined && ip.zone === undefined;
}

/** Index of EndpointSlices by "namespace/service". */
export class EndpointIndex {
  private readonly byService = new Map<string, EndpointSliceObject[]>();
  private readonly memo = new Map<string, Endpoint[]>();

  constructor(slices: readonly EndpointSliceObject[]) {
    for (const s of slices) {
      const service = s.metadata.labels?.[SERVICE_NAME_LABEL];
      const imported = s.metadata.labels?.[MULTICLUSTER_SERVICE_NAME_LABEL];
      // A ServiceImport's slices are kept apart: an import may share its name with a local Service.
      const key = service ? `${s.metadata.namespace ?? 'default'}/${service}` : imported ? importKey(s.metadata.namespace ?? 'default', imported) : undefined;
      if (!key) continue;
      const list = this.byService.get(key) ?? [];
      list.push(s);
      this.byService.set(key, list);
    }
  }

  /** Ready endpoints of one port of a ServiceImport, from every cluster's slices, matched by port name. */
  importEndpoints(namespace: string, name: string, port: ServiceImportPort): Endpoint[] {
    // importKey is "namespace/import/name": as a Service name here, "import/name".
    return this.endpoints(namespace, importKey('', name).slice(1), { name: port.name, port: port.port, targetPort: port.port } as ServicePort);
  }

  /**
   * Ready endpoints of one Service port. The EndpointSlice port is matched by the Service port's
   * name, as kube-proxy does; a ready condition that is absent counts as ready.
   */
  endpoints(namespace: string, service: string, port: ServicePort): Endpoint[] {
    const key = `${namespace}/${service}/${port.name ?? ''}/${port.targetPort ?? ''}`;
    let found = this.memo.get(key);
    if (!found) {
      found = this.collect(namespace, service, port);
      this.memo.set(key, found);
    }
    return found;
  }

  private collect(namespace: string, service: string, port: ServicePort): Endpoint[] {
    const seen = new Set<string>();
    const out: Endpoint[] = [];
    for (const slice of this.byService.get(`${namespace}/${service}`) ?? []) {
      if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
      const slicePort = (slice.ports ?? []).find((p) => (p.name ?? '') === (port.name ?? ''));
      const number = slicePort?.port ?? (typeof port.targetPort === 'number' ? port.targetPort : undefined);
      if (number === undefined) continue;
      for (const ep of slice.endpoints ?? []) {
        if (ep.conditions?.ready === false) continue;
        for (const address of ep.addresses) {
          if (!isPlainIP(address)) continue;
          const id = `${address}|${number}`;
          if (seen.has(id)) continue;
          seen.add(id);
          out.push({ address, port: number });
        }
      }
    }
    return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.port - b.port));
  }
}

export interface BackendContext {
  resources: ResourceSet;
  grants: ReferenceGrantIndex;
  endpoints: EndpointIndex;
  /** Resolutions already made in this translation: many routes share their backends. */
  memo?: Map<string, ResolvedBackend>;
  /** BackendTLSPolicies by target; absent: none apply. */
  backendTLS?: BackendTLSIndex;
}

/** Resolves one backendRef of a route to a Service port and its ready endpoints. */
export function resolveBackend(
  ref: BackendObjectReference & { weight?: number },
  route: { kind: RouteKind; namespace: string },
  ctx: BackendContext,
): ResolvedBackend {
  const weight = ref.weight ?? 1;
  const key = `${route.kind}|${route.namespace}|${ref.group ?? ''}|${ref.kind ?? ''}|${ref.namespace ?? ''}|${ref.name}|${ref.port ?? ''}`;
  const known = ctx.memo?.get(key);
  if (known) return known.weight === weight ? known : { ...known, weight };
  const resolved = resolveUncached(ref, route, ctx);
  ctx.memo?.set(key, resolved);
  return resolved;
}

function resolveUncached(
  ref: BackendObjectReference & { weight?: number },
  route: { kind: RouteKind; namespace: string },
  ctx: BackendContext,
): ResolvedBackend {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  const namespace = ref.namespace ?? route.namespace;
  const base: ResolvedBackend = {
    id: `${namespace}/${ref.name}:${ref.port ?? ''}`,
    namespace,
    name: ref.name,
    port: ref.port,
    weight: ref.weight ?? 1,
    endpoints: [],
  };
  if (group === PORTICO_GROUP && kind === 'Backend') return staticBackend(ref, route, namespace, ctx);
  if (group === MULTICLUSTER_GROUP && kind === 'ServiceImport') return importBackend(ref, route, namespace, ctx);
  if (group !== '' || kind !== 'Service') {
    const what = group ? `${group}/${kind}` : kind;
    return { ...base, problem: { reason: 'InvalidKind', message: `backendRef ${what} ${namespace}/${ref.name}: only core Services, ${PORTICO_GROUP} Backends and ${MULTICLUSTER_GROUP} ServiceImports are supported` } };
  }
  if (!ctx.grants.allows({ group: GATEWAY_GROUP, kind: route.kind, namespace: route.namespace }, { group: '', kind: 'Service', namespace, name: ref.name })) {
    return {
      ...base,
      problem: {
        reason: 'RefNotPermitted',
        message: `backendRef to Service ${namespace}/${ref.name} is not permitted: no ReferenceGrant in namespace ${namespace} allows it`,
      },
    };
  }
  const service = ctx.resources.get<ServiceObject>('Service', namespace, ref.name);
  if (!service) {
    return { ...base, problem: { reason: 'BackendNotFound', message: `Service ${namespace}/${ref.name} does not exist` } };
  }
  const servicePort = (service.spec.ports ?? []).find((p) => p.port === ref.port);
  if (!servicePort) {
    return {
      ...base,
      service,
      problem: { reason: 'BackendNotFound', message: `Service ${namespace}/${ref.name} has no port ${ref.port ?? '(none given)'}` },
    };
  }
  const protocols = APP_PROTOCOLS[route.kind];
  const app = servicePort.appProtocol ?? '';
  const unsupported = (why: string): ResolvedBackend => ({
    ...base,
    service,
    servicePort,
    problem: { reason: 'UnsupportedProtocol', message: `Service ${namespace}/${ref.name} port ${servicePort.port} has appProtocol "${app}"${why}` },
  });
  let appProtocol: string | undefined;
  const policy = ctx.backendTLS?.policyFor(namespace, ref.name, servicePort.name);
  if (route.kind === 'UDPRoute') {
    appProtocol = 'udp';
  } else if (route.kind === 'TCPRoute' || route.kind === 'TLSRoute') {
    appProtocol = 'tcp';
  } else if (app.toLowerCase() === 'https') {
    // The port speaks TLS: reachable only with a BackendTLSPolicy saying how to verify it.
    if (!policy) return unsupported(' (TLS), and no BackendTLSPolicy says how to verify it');
    appProtocol = route.kind === 'GRPCRoute' ? 'h2c' : 'http';
  } else {
    appProtocol = protocols[app];
    if (!appProtocol) return unsupported(`, which ${withArticle(route.kind)} cannot use`);
  }
  const endpoints = ctx.endpoints.endpoints(namespace, ref.name, servicePort);
  if (!policy || !coveredByBackendTLS(appProtocol)) return { ...base, service, servicePort, appProtocol, endpoints };
  const p = policy.object.metadata;
  return { ...base, service, servicePort, appProtocol, endpoints, tlsPolicy: { key: `${p.namespace ?? 'default'}/${p.name}`, ...(policy.tls ? { tls: policy.tls } : {}) } };
}

/**
 * A backendRef to a ServiceImport (Multi-Cluster Services): a Service of the cluster set, whose
 * endpoints are the EndpointSlices labelled multicluster.kubernetes.io/service-name with its
 * name, whichever cluster they come from. Its ports and appProtocols are read like a Service's.
 */
function importBackend(ref: BackendObjectReference & { weight?: number }, route: { kind: RouteKind; namespace: string }, namespace: string, ctx: BackendContext): ResolvedBackend {
  const base: ResolvedBackend = { id: `${namespace}/ServiceImport/${ref.name}:${ref.port ?? ''}`, namespace, name: ref.name, port: ref.port, weight: ref.weight ?? 1, endpoints: [], source: 'ServiceImport' };
  if (!ctx.grants.allows({ group: GATEWAY_GROUP, kind: route.kind, namespace: route.namespace }, { group: MULTICLUSTER_GROUP, kind: 'ServiceImport', namespace, name: ref.name })) {
    return { ...base, problem: { reason: 'RefNotPermitted', message: `backendRef to ServiceImport ${namespace}/${ref.name} is not permitted: no ReferenceGrant in namespace ${namespace} allows it` } };
  }
  const imported = ctx.resources.get<ServiceImportObject>('ServiceImport', namespace, ref.name);
  if (!imported) return { ...base, problem: { reason: 'BackendNotFound', message: `ServiceImport ${namespace}/${ref.name} does not exist` } };
  const port = (imported.spec.ports ?? []).find((p) => p.port === ref.port);
  if (!port) return { ...base, problem: { reason: 'BackendNotFound', message: `ServiceImport ${namespace}/${ref.name} has no port ${ref.port ?? '(none given)'}` } };
  let appProtocol: string | undefined;
  if (route.kind === 'UDPRoute') appProtocol = 'udp';
  else if (route.kind === 'TCPRoute' || route.kind === 'TLSRoute') appProtocol = 'tcp';
  else appProtocol = APP_PROTOCOLS[route.kind][port.appProtocol ?? ''];
  if (!appProtocol) {
    return { ...base, problem: { reason: 'UnsupportedProtocol', message: `ServiceImport ${namespace}/${ref.name} port ${port.port} has appProtocol "${port.appProtocol ?? ''}", which ${withArticle(route.kind)} cannot use` } };
  }
  return { ...base, appProtocol, endpoints: ctx.endpoints.importEndpoints(namespace, ref.name, port) };
}

/** A DNS name as RFC 1123 allows it, which HAProxy's resolvers take as written. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
/** kgateway's Backend appProtocol values, as the Service appProtocol they stand for. */
const BACKEND_APP_PROTOCOLS: Record<string, string> = { http2: 'kubernetes.io/h2c', grpc: 'kubernetes.io/h2c', 'kubernetes.io/h2c': 'kubernetes.io/h2c', 'kubernetes.io/ws': 'kubernetes.io/ws', 'grpc-web': '' };

/**
 * A backendRef to a Backend (gateway.portico.dev, kgateway's kind) of type Static: its hosts are
 * the endpoints, IP addresses as they are and DNS names resolved by the data plane while it runs.
 * The backendRef's port is not used: each host carries its own, as in kgateway.
 */
function staticBackend(ref: BackendObjectReference & { weight?: number }, route: { kind: RouteKind; namespace: string }, namespace: string, ctx: BackendContext): ResolvedBackend {
  const base: ResolvedBackend = { id: `${namespace}/Backend/${ref.name}`, namespace, name: ref.name, weight: ref.weight ?? 1, endpoints: [], source: 'Backend' };
  const what = `Backend ${namespace}/${ref.name}`;
  if (!ctx.grants.allows({ group: GATEWAY_GROUP, kind: route.kind, namespace: route.namespace }, { group: PORTICO_GROUP, kind: 'Backend', namespace, name: ref.name })) {
    return { ...base, problem: { reason: 'RefNotPermitted', message: `backendRef to ${what} is not permitted: no ReferenceGrant in namespace ${namespace} allows it` } };
  }
  const backend = ctx.resources.get<BackendObject>('Backend', namespace, ref.name);
  if (!backend) return { ...base, problem: { reason: 'BackendNotFound', message: `${what} does not exist` } };
  // The spec has no reason for a backend of a kind Portico knows but a type it cannot use: InvalidKind is the nearest.
  if (backend.spec.type !== 'Static' || !backend.spec.static) return { ...base, problem: { reason: 'InvalidKind', message: `${what} is of type ${backend.spec.type ?? '(none)'}; Portico supports type Static` } };
  const endpoints: Endpoint[] = [];
  let resolve = false;
  for (const [i, h] of backend.spec.static.hosts.entries()) {
    const ip = parseIP(h.host);
    const host = h.host.toLowerCase();
    if (ip && ip.zone === undefined) endpoints.push({ address: formatIP(ip), port: h.port });
    else if (DNS_NAME.test(host)) {
      endpoints.push({ address: host, port: h.port });
      resolve = true;
    } else return { ...base, problem: { reason: 'BackendNotFound', message: `${what} spec.static.hosts[${i}].host ${JSON.stringify(h.host)} is neither an IP address nor a DNS name` } };
    if (!Number.isInteger(h.port) || h.port < 1 || h.port > 65535) return { ...base, problem: { reason: 'BackendNotFound', message: `${what} spec.static.hosts[${i}].port ${h.port} is not a port` } };
  }
  let appProtocol: string | undefined;
  if (route.kind === 'UDPRoute') {
    // Portico's UDP forwarder sends to addresses; it resolves no names.
    if (resolve) return { ...base, problem: { reason: 'UnsupportedProtocol', message: `${what} has DNS names, which a UDPRoute cannot use; give IP addresses` } };
    appProtocol = 'udp';
  } else if (route.kind === 'TCPRoute' || route.kind === 'TLSRoute') appProtocol = 'tcp';
  else {
    const app = backend.spec.static.appProtocol;
    const mapped = app === undefined ? '' : BACKEND_APP_PROTOCOLS[app];
    appProtocol = mapped === undefined ? undefined : APP_PROTOCOLS[route.kind][mapped];
    if (!appProtocol) return { ...base, problem: { reason: 'UnsupportedProtocol', message: `${what} has appProtocol "${app ?? ''}", which ${withArticle(route.kind)} cannot use` } };
  }
  const found: ResolvedBackend = { ...base, port: endpoints[0]?.port, appProtocol, endpoints, ...(resolve ? { resolve: true } : {}) };
  const policy = ctx.backendTLS?.policyFor(namespace, backendTarget(ref.name), undefined);
  if (!policy || !coveredByBackendTLS(appProtocol)) return found;
  const p = policy.object.metadata;
  return { ...found, tlsPolicy: { key: `${p.namespace ?? 'default'}/${p.name}`, ...(policy.tls ? { tls: policy.tls } : {}) } };
}

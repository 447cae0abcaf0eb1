import { mergeKubeParameters, resolveParameters, type DataPlaneParameters } from './parameters.js';
import { gatewayServiceRef, type AddressSource } from '../api/data-plane-names.js';
import { GATEWAY_GROUP } from '../api/kinds.js';
import type { KubeObject } from '../api/object.js';
import { allocateAddresses, canonicalIp, type AddressPool } from './address-pool.js';
import type { ResourceSet } from '../store/resources.js';
import { resolveCertificateRef } from './certificates.js';
import { cond, getCond, setCond } from './conditions.js';
import { selectorMatches } from './labels.js';
import { buildListener, markConflicts, type ListenerContext } from './listeners.js';
import type { Cond, GraphGateway, GraphGatewayClass, GraphListener, GraphListenerSet } from './model.js';
import type { GatewayObject, ListenerSetObject } from '../api/spec.js';

export interface GatewayBuildOptions {
  pool: AddressPool;
  previousAddresses?: ReadonlyMap<string, string>;
  /** Where Gateway addresses come from (default pool). */
  addressSource?: AddressSource;
}

/** Creation time for precedence; objects from files may have none, which sorts first as equal. */
function created(o: KubeObject): string {
  return o.metadata.creationTimestamp ?? '';
}

export function byAge(a: KubeObject, b: KubeObject): number {
  const ca = created(a);
  const cb = created(b);
  if (ca !== cb) return ca < cb ? -1 : 1;
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

const labelMemo = new WeakMap<ResourceSet, Map<string, Record<string, string>>>();

function namespaceLabels(resources: ResourceSet, ns: string): Record<string, string> {
  let memo = labelMemo.get(resources);
  if (!memo) {
    memo = new Map();
    labelMemo.set(resources, memo);
  }
  let labels = memo.get(ns);
  if (!labels) {
    // The API server labels every namespace with its own name; files seldom do.
    labels = { ...(resources.get('Namespace', undefined, ns)?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
    memo.set(ns, labels);
  }
  return labels;
}

export function namespaceAllowed(
  from: string | undefined,
  selector: Parameters<typeof selectorMatches>[0],
  ownerNamespace: string,
  namespace: string,
  resources: ResourceSet,
): boolean {
  switch (from ?? 'Same') {
    case 'All':
      return true;
    case 'Same':
      return namespace === ownerNamespace;
    case 'Selector':
      return selectorMatches(selector, namespaceLabels(resources, namespace));
    default:
      return false;
  }
}

interface AddressRequest {
  static: string[];
  wantsPool: boolean;
  unsupported?: string;
}

function requestedAddresses(gw: GatewayObject): AddressRequest {
  const given = gw.spec.addresses ?? [];
  if (given.length === 0) return { static: [], wantsPool: true };
  const req: AddressRequest = { static: [], wantsPool: false };
  for (const a of given) {
    const type = a.type ?? 'IPAddress';
    if (type !== 'IPAddress') {
      req.unsupported = `address type "${type}" is not supported; use IPAddress`;
      continue;
    }
    if (!a.value) {
      req.wantsPool = true; // an IPAddress without a value asks for one to be assigned
      continue;
    }
    const ip = canonicalIp(a.value);
    if (!ip) req.unsupported = `"${a.value}" is not an IP address`;
    else if (!req.static.includes(ip)) req.static.push(ip);
  }
  return req;
}

/**
 * Builds every Gateway of our classes: addresses, listeners (own and from ListenerSets),
 * conflicts and the Gateway's own conditions except Programmed (which needs the data plane).
 */
export function buildGateways(
  resources: ResourceSet,
  classes: ReadonlyMap<string, GraphGatewayClass>,
  ctx: ListenerContext,
  options: GatewayBuildOptions,
  /** Why a Gateway may not ask for an address, or undefined (see bind-policy.ts). */
  addressRefusal: (ip: string) => string | undefined,
): { gateways: GraphGateway[]; listenerSets: GraphListenerSet[]; addressProblems: Map<string, Cond> } {
  const gateways: GraphGateway[] = [];
  const addressProblems = new Map<string, Cond>();
  const requests = new Map<GraphGateway, AddressRequest>();

  for (const object of resources.list<GatewayObject>('Gateway').sort(byAge)) {
    const gatewayClass = classes.get(object.spec.gatewayClassName);
    if (!gatewayClass) continue;
    const ns = object.metadata.namespace ?? 'default';
    const gw: GraphGateway = {
      object,
      key: `${ns}/${object.metadata.name}`,
      gatewayClass,
      addresses: [],
      listeners: [],
      listenerSets: [],
      accepted: true,
      conditions: [],
    };
    gw.listeners = (object.spec.listeners ?? []).map((l) => buildListener(l, gw, undefined, ctx));
    requests.set(gw, requestedAddresses(object));
    gateways.push(gw);
  }

  const source = options.addressSource ?? 'pool';
  if (source !== 'pool') assignServiceAddresses(gateways, requests, resources, source, addressProblems);
  else assignPoolAddresses(gateways, requests, options, addressRefusal, addressProblems);

  const listenerSets = buildListenerSets(resources, gateways, ctx);

  for (const gw of gateways) {
    markConflicts([gw.listeners, ...gw.listenerSets.map((s) => s.listeners)]);
    decideGatewayAccepted(gw, resources, typeof source === 'object');
    resolveBackendClientCertificate(gw, ctx);
    for (const set of gw.listenerSets) decideListenerSetAccepted(set);
  }
  return { gateways, listenerSets, addressProblems };
}

/** An address type other than IPAddress, or an invalid one, makes the Gateway not accepted. */
function refuseUnsupportedAddress(gw: GraphGateway, req: AddressRequest): void {
  if (!req.unsupported) return;
  gw.accepted = false;
  setCond(gw.conditions, cond('Accepted', false, 'UnsupportedAddress', req.unsupported));
}

/** Data planes in pods (per-gateway and shared): each Gateway binds every address of its pod and reports its Service's. */
function assignServiceAddresses(
  gateways: readonly GraphGateway[],
  requests: ReadonlyMap<GraphGateway, AddressRequest>,
  resources: ResourceSet,
  source: Exclude<AddressSource, 'pool'>,
  addressProblems: Map<string, Cond>,
): void {
  for (const gw of gateways) {
    const req = requests.get(gw) as AddressRequest;
    refuseUnsupportedAddress(gw, req);
    const found = serviceAddresses(gw, resources, source);
    gw.bindAddresses = ['0.0.0.0'];
    if (req.static.length > 0) addressProblems.set(gw.key, cond('Programmed', false, 'AddressNotUsable', 'spec.addresses: with data planes in pods, the Gateway takes the address its Service gets; leave spec.addresses empty'));
    else if (typeof found === 'string') addressProblems.set(gw.key, cond('Programmed', false, 'AddressNotAssigned', found));
    else {
      gw.addresses = found.ips;
      if (found.hostnames.length > 0) gw.hostnameAddresses = found.hostnames;
    }
  }
}

/** Static addresses first (oldest Gateway wins a contested one), then the pool for the rest. */
function assignPoolAddresses(
  gateways: readonly GraphGateway[],
  requests: ReadonlyMap<GraphGateway, AddressRequest>,
  options: GatewayBuildOptions,
  addressRefusal: (ip: string) => string | undefined,
  addressProblems: Map<string, Cond>,
): void {
  const claimed = new Map<string, string>();
  for (const gw of gateways) {
    const req = requests.get(gw) as AddressRequest;
    for (const ip of req.static) {
      const holder = claimed.get(ip);
      const refusal = holder ? undefined : addressRefusal(ip);
      if (holder) {
        addressProblems.set(
          gw.key,
          cond('Programmed', false, 'AddressNotUsable', `address ${ip} is already used by Gateway ${holder}; choose another address or leave spec.addresses empty`),
        );
      } else if (refusal) {
        addressProblems.set(gw.key, cond('Programmed', false, 'AddressNotUsable', refusal));
      } else {
        claimed.set(ip, gw.key);
        gw.addresses.push(ip);
      }
    }
  }
  const wantPool = gateways.filter((gw) => requests.get(gw)?.wantsPool).map((gw) => gw.key);
  const pooled = allocateAddresses(options.pool, wantPool, new Set(claimed.keys()), options.previousAddresses);
  for (const gw of gateways) {
    const req = requests.get(gw) as AddressRequest;
    if (req.wantsPool) {
      const ip = pooled.get(gw.key);
      if (ip) gw.addresses.push(ip);
      else addressProblems.set(gw.key, cond('Programmed', false, 'AddressNotAssigned', `address pool ${options.pool.text} has no free address`));
    }
    refuseUnsupportedAddress(gw, req);
  }
}

/**
 * spec.tls.backend.clientCertificateRef: the certificate the Gateway shows backends it reaches over
 * TLS. Reported in the Gateway's ResolvedRefs; a reference that does not resolve leaves the
 * Gateway accepted, its TLS connections to backends made without a client certificate.
 */
function resolveBackendClientCertificate(gw: GraphGateway, ctx: ListenerContext): void {
  const ref = gw.object.spec.tls?.backend?.clientCertificateRef;
  if (!ref) return;
  const result = resolveCertificateRef(ref, { kind: 'Gateway', namespace: gw.object.metadata.namespace ?? 'default' }, ctx.resources, ctx.grants);
  if (result.ok) {
    gw.backendClientCertificate = result.certificate;
    setCond(gw.conditions, cond('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved'));
  } else {
    const reason = result.reason === 'RefNotPermitted' ? 'RefNotPermitted' : 'InvalidClientCertificateRef';
    setCond(gw.conditions, cond('ResolvedRefs', false, reason, `spec.tls.backend.clientCertificateRef: ${result.message}`));
  }
}

function decideGatewayAccepted(gw: GraphGateway, resources: ResourceSet, shared: boolean): void {
  if (!gw.accepted) return;
  if (!gw.gatewayClass.accepted) {
    gw.accepted = false;
    setCond(gw.conditions, cond('Accepted', false, 'Invalid', `GatewayClass ${gw.gatewayClass.object.metadata.name} is not accepted`));
    return;
  }
  const params = gw.object.spec.infrastructure?.parametersRef;
  const classParams = gw.gatewayClass.parameters;
  if (params) {
    const r = resolveParameters(params, gw.object.metadata.namespace ?? 'default', 'infrastructure.parametersRef', resources);
    if (typeof r === 'string') {
      gw.accepted = false;
      setCond(gw.conditions, cond('Accepted', false, 'InvalidParameters', r));
      return;
    }
    const notShared = shared ? sharedDataPlaneFields(r) : [];
    if (notShared.length > 0) {
      gw.accepted = false;
      setCond(
        gw.conditions,
        cond('Accepted', false, 'InvalidParameters', `infrastructure.parametersRef: ${notShared.join(', ')} shape the data plane, which in shared mode is the GatewayClass's; set them on the class's parameters (a Gateway's own may set kube.service only)`),
      );
      return;
    }
    // The Gateway's own parameters win over its class's, field by field.
    const kube = mergeKubeParameters(classParams?.kube, r.kube);
    const merged = { ...classParams, ...r, ...(kube ? { kube } : {}) };
    if (Object.keys(merged).length > 0) gw.parameters = merged;
  } else if (classParams && Object.keys(classParams).length > 0) gw.parameters = classParams;
  const invalid = gw.listeners.filter((l) => !l.valid);
  if (gw.listeners.length > 0 && invalid.length === gw.listeners.length) {
    gw.accepted = false;
    setCond(gw.conditions, cond('Accepted', false, 'ListenersNotValid', `no listener is valid; ${listenerSummary(gw.listeners)}`));
  } else if (invalid.length > 0) {
    setCond(gw.conditions, cond('Accepted', true, 'ListenersNotValid', `Gateway is accepted; ${listenerSummary(gw.listeners)}`));
  } else {
    setCond(gw.conditions, cond('Accepted', true, 'Accepted', 'Gateway is accepted'));
  }
}

/** The fields of a Gateway's own parameters that only a data plane of its own could honour. */
function sharedDataPlaneFields(p: DataPlaneParameters): string[] {
  const out: string[] = (['threads', 'maxConnections', 'logLevel'] as const).filter((f) => p[f] !== undefined);
  for (const section of Object.keys(p.kube ?? {})) if (section !== 'service') out.push(`kube.${section}`);
  return out;
}

/** Which listeners are invalid, conflicted and accepted, as the Listeners field docs ask to say. */
function listenerSummary(listeners: readonly GraphListener[]): string {
  const conflicted = listeners.filter((l) => getCond(l.conditions, 'Conflicted')?.status === 'True');
  const invalid = listeners.filter((l) => !l.valid && !conflicted.includes(l));
  const accepted = listeners.filter((l) => l.valid);
  const names = (ls: GraphListener[]) => ls.map((l) => l.name).join(', ');
  return [
    invalid.length ? `invalid listeners: ${names(invalid)}` : '',
    conflicted.length ? `conflicted listeners: ${names(conflicted)}` : '',
    accepted.length ? `accepted listeners: ${names(accepted)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function buildListenerSets(resources: ResourceSet, gateways: GraphGateway[], ctx: ListenerContext): GraphListenerSet[] {
  const byKey = new Map(gateways.map((g) => [g.key, g]));
  const out: GraphListenerSet[] = [];
  for (const object of resources.list<ListenerSetObject>('ListenerSet').sort(byAge)) {
    const ref = object.spec.parentRef;
    const ns = object.metadata.namespace ?? 'default';
    if ((ref.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref.kind ?? 'Gateway') !== 'Gateway') continue;
    const gateway = byKey.get(`${ref.namespace ?? ns}/${ref.name}`);
    if (!gateway) continue; // not a Gateway of ours: leave it to its own controller
    const set: GraphListenerSet = { object, gateway, accepted: false, listeners: [], conditions: [] };
    out.push(set);
    const allowed = gateway.object.spec.allowedListeners?.namespaces;
    const gwNs = gateway.object.metadata.namespace ?? 'default';
    if (!namespaceAllowed(allowed?.from ?? 'None', allowed?.selector, gwNs, ns, resources)) {
      setCond(set.conditions, cond('Accepted', false, 'NotAllowed', `Gateway ${gateway.key} does not allow ListenerSets from namespace ${ns}`));
      continue;
    }
    set.listeners = (object.spec.listeners ?? []).map((l) => buildListener(l, gateway, set, ctx));
    gateway.listenerSets.push(set);
  }
  return out;
}

function decideListenerSetAccepted(set: GraphListenerSet): void {
  if (getCond(set.conditions, 'Accepted')) return;
  const gw = set.gateway as GraphGateway;
  if (!gw.accepted) {
    setCond(set.conditions, cond('Accepted', false, 'ParentNotAccepted', `parent Gateway ${gw.key} is not accepted`));
    return;
  }
  const invalid = set.listeners.filter((l: GraphListener) => !l.valid);
  if (set.listeners.length > 0 && invalid.length === set.listeners.length) {
    setCond(set.conditions, cond('Accepted', false, 'ListenersNotValid', `no listener is valid: ${invalid.map((l) => l.name).join(', ')}`));
    return;
  }
  set.accepted = true;
  setCond(
    set.conditions,
    invalid.length > 0
      ? cond('Accepted', true, 'ListenersNotValid', `ListenerSet is accepted; invalid listeners: ${invalid.map((l) => l.name).join(', ')}`)
      : cond('Accepted', true, 'Accepted', 'ListenerSet is accepted'),
  );
}

interface ServiceLike {
  spec?: { type?: string; clusterIP?: string; clusterIPs?: string[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/**
 * A Gateway's addresses with a data plane of its own: those its Service got (the load balancer's,
 * or the cluster IP of a ClusterIP or NodePort Service), or why there are none yet.
 */
export function serviceAddresses(gw: GraphGateway, resources: ResourceSet, source: Exclude<AddressSource, 'pool'> = 'service'): { ips: string[]; hostnames: string[] } | string {
  const ref = gatewayServiceRef(source, gw.object.metadata.namespace ?? 'default', gw.object.metadata.name) as { namespace: string; name: string };
  const ns = ref.namespace;
  const name = ref.name;
  const service = resources.get('Service', ns, name) as (KubeObject & ServiceLike) | undefined;
  if (!service) return `waiting for the data plane Service ${ns}/${name} to be created`;
  const type = service.spec?.type ?? 'ClusterIP';
  if (type === 'LoadBalancer') {
    const ingress = service.status?.loadBalancer?.ingress ?? [];
    const ips = [...new Set(ingress.map((i) => (i.ip ? canonicalIp(i.ip) : undefined)).filter((ip): ip is string => ip !== undefined))];
    const hostnames = [...new Set(ingress.map((i) => i.hostname).filter((h): h is string => typeof h === 'string' && h !== ''))];
    if (ips.length + hostnames.length === 0) return `waiting for a load balancer address for Service ${ns}/${name}`;
    return { ips, hostnames };
  }
  const ips = (service.spec?.clusterIPs ?? (service.spec?.clusterIP ? [service.spec.clusterIP] : [])).map((ip) => canonicalIp(ip)).filter((ip): ip is string => ip !== undefined);
  if (ips.length === 0) return `waiting for Service ${ns}/${name} to get a cluster IP`;
  return { ips, hostnames: [] };
}

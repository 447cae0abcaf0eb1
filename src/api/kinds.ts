/** The kinds Portico reads, with what each needs: API group, plural, scope, validation source. */

export type KindName =
  | 'GatewayClass'
  | 'Gateway'
  | 'HTTPRoute'
  | 'GRPCRoute'
  | 'TLSRoute'
  | 'TCPRoute'
  | 'UDPRoute'
  | 'ListenerSet'
  | 'ReferenceGrant'
  | 'BackendTLSPolicy'
  | 'TrafficPolicy'
  | 'DirectResponse'
  | 'GatewayExtension'
  | 'ListenerPolicy'
  | 'HTTPListenerPolicy'
  | 'GatewayParameters'
  | 'Backend'
  | 'ServiceImport'
  | 'Service'
  | 'EndpointSlice'
  | 'Secret'
  | 'ConfigMap'
  | 'Namespace';

export interface KindInfo {
  kind: KindName;
  group: string;
  plural: string;
  namespaced: boolean;
  /** Versions accepted on input; the first is the one objects are stored and served as. */
  versions: readonly string[];
  /**
   * Where the kind's schema comes from: the Gateway API CRDs of the selected channel, Portico's own
   * CRDs (crds/portico/, every channel), or, for core kinds, the fields Portico relies on.
   */
  source: 'gateway-api' | 'portico' | 'multicluster' | 'core';
}

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Portico's own kinds: kgateway's policy API under Portico's group (docs/policies.md). */
export const PORTICO_GROUP = 'gateway.portico.dev';
/** The Multi-Cluster Services API (kubernetes-sigs/mcs-api): ServiceImport backends. */
export const MULTICLUSTER_GROUP = 'multicluster.x-k8s.io';

/** The route kinds, the one list every stage reads. */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const satisfies readonly KindName[];
export type RouteKind = (typeof ROUTE_KINDS)[number];

/** Kinds whose status Portico writes. */
export const STATUS_KINDS = ['GatewayClass', 'Gateway', 'ListenerSet', ...ROUTE_KINDS, 'BackendTLSPolicy', 'TrafficPolicy', 'ListenerPolicy', 'HTTPListenerPolicy'] as const satisfies readonly KindName[];

export function isRouteKind(kind: string): kind is RouteKind {
  return (ROUTE_KINDS as readonly string[]).includes(kind);
}

/** The controllerName of the GatewayClasses this controller manages. */
export const CONTROLLER_NAME = 'portico.dev/gateway-controller';

const gw = (kind: KindName, plural: string, namespaced: boolean, versions: string[]): KindInfo => ({
  kind,
  group: GATEWAY_GROUP,
  plural,
  namespaced,
  versions,
  source: 'gateway-api',
});
const portico = (kind: KindName, plural: string): KindInfo => ({
  kind,
  group: PORTICO_GROUP,
  plural,
  namespaced: true,
  versions: ['v1alpha1'],
  source: 'portico',
});
const core = (kind: KindName, group: string, plural: string, namespaced: boolean, version: string): KindInfo => ({
  kind,
  group,
  plural,
  namespaced,
  versions: [version],
  source: 'core',
});

/**
 * Versions are the served versions of the v1.6.1 CRDs in the experimental channel (a superset of
 * standard, which serves only the first version of TLSRoute, TCPRoute, UDPRoute and
 * BackendTLSPolicy); the validation layer decides per channel which ones it accepts.
 */
export const KINDS: readonly KindInfo[] = [
  gw('GatewayClass', 'gatewayclasses', false, ['v1', 'v1beta1']),
  gw('Gateway', 'gateways', true, ['v1', 'v1beta1']),
  gw('HTTPRoute', 'httproutes', true, ['v1', 'v1beta1']),
  gw('GRPCRoute', 'grpcroutes', true, ['v1']),
  gw('TLSRoute', 'tlsroutes', true, ['v1', 'v1alpha3', 'v1alpha2']),
  gw('TCPRoute', 'tcproutes', true, ['v1', 'v1alpha2']),
  gw('UDPRoute', 'udproutes', true, ['v1', 'v1alpha2']),
  gw('ListenerSet', 'listenersets', true, ['v1']),
  gw('ReferenceGrant', 'referencegrants', true, ['v1', 'v1beta1']),
  gw('BackendTLSPolicy', 'backendtlspolicies', true, ['v1', 'v1alpha3']),
  portico('TrafficPolicy', 'trafficpolicies'),
  portico('DirectResponse', 'directresponses'),
  portico('GatewayExtension', 'gatewayextensions'),
  portico('ListenerPolicy', 'listenerpolicies'),
  portico('HTTPListenerPolicy', 'httplistenerpolicies'),
  portico('GatewayParameters', 'gatewayparameters'),
  portico('Backend', 'backends'),
  { kind: 'ServiceImport', group: MULTICLUSTER_GROUP, plural: 'serviceimports', namespaced: true, versions: ['v1beta1', 'v1alpha1'], source: 'multicluster' },
  core('Service', '', 'services', true, 'v1'),
  core('EndpointSlice', 'discovery.k8s.io', 'endpointslices', true, 'v1'),
  core('Secret', '', 'secrets', true, 'v1'),
  core('ConfigMap', '', 'configmaps', true, 'v1'),
  core('Namespace', '', 'namespaces', false, 'v1'),
];

const byKind = new Map<string, KindInfo>(KINDS.map((k) => [k.kind, k]));
const byPlural = new Map<string, KindInfo>(KINDS.map((k) => [`${k.group}/${k.plural}`, k]));

export function kindInfo(kind: string): KindInfo | undefined {
  return byKind.get(kind);
}

export function kindByPlural(group: string, plural: string): KindInfo | undefined {
  return byPlural.get(`${group}/${plural}`);
}

export function apiVersionOf(info: KindInfo, version = info.versions[0]): string {
  return info.group ? `${info.group}/${version}` : `${version}`;
}

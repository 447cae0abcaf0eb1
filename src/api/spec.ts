/**
 * The parts of the Gateway API (v1.6) and core objects that the graph reads, under the names the
 * code uses. Gateway API types come from gateway-api.generated.ts (generated from the CRDs, see
 * scripts/generate-api-types.ts), so a CRD change that the code does not handle fails to compile.
 * Objects reaching the graph have passed validation and carry the CRD defaults, so required fields
 * are present.
 */
import type * as G from './gateway-api.generated.js';
import type { KubeObject } from './object.js';

/** Compiles only when A is assignable to B: a hand-written type that must not drift from the CRD. */
type Assert<A extends B, B> = A;

export type LabelSelectorRequirement = G.LabelSelectorRequirement;
export type LabelSelector = G.LabelSelector;
export type RouteGroupKind = G.RouteGroupKind;
export type AllowedRoutes = G.AllowedRoutes;
export type SecretObjectReference = G.SecretObjectReference;
export type ListenerTLSConfig = G.ListenerTLSConfig;
export type ListenerSpec = G.Listener;
export type GatewayAddress = G.GatewaySpecAddress;
export type LocalParametersReference = G.LocalParametersReference;
export type GatewaySpec = G.GatewaySpec;
export type FrontendValidation = G.FrontendTLSValidation;
export type GatewayClassSpec = G.GatewayClassSpec;

export type ParentReference = G.ParentReference;
export type BackendObjectReference = G.BackendObjectReference;
/**
 * A backendRef of any route kind. HTTPRoute's is the widest (GRPCRoute's filters are a subset of
 * HTTPRoute's; TLS, TCP and UDP backendRefs have none), so the code reads every kind through it.
 */
export type BackendRef = G.HTTPBackendRef;

export type HTTPHeader = G.HTTPHeader;
export type HeaderModifier = G.HTTPHeaderFilter;
export type HTTPPathModifier = G.HTTPPathModifier;
/**
 * allowMethods admits any string: the data plane re-checks filter values as untrusted input
 * (corsProblem), and its tests feed it values the CRD's enum would refuse.
 */
export type HTTPCORSFilter = Omit<G.HTTPCORSFilter, 'allowMethods'> & { allowMethods?: string[] };
/** Also read for GRPCRoute filters, whose types and fields are a subset of these. */
export type HTTPRouteFilter = G.HTTPRouteFilter;
export type HTTPRouteMatch = G.HTTPRouteMatch;
export type HTTPRouteRule = G.HTTPRouteRule;
export type GRPCRouteMatch = G.GRPCRouteMatch;
export type GRPCRouteRule = G.GRPCRouteRule;

/**
 * The spec of any route kind, read before the kind is known (parentRefs, hostnames, rule names).
 * No CRD has it: it is the fields the route kinds share, and each kind's generated spec must fit it.
 */
export interface RouteSpec {
  parentRefs?: ParentReference[];
  hostnames?: string[];
  rules?: (HTTPRouteRule | GRPCRouteRule | G.TLSRouteRule | G.TCPRouteRule | G.UDPRouteRule)[];
}

// Drift between the generated types and the hand-written or refined ones above fails to compile here.
type _Fits = [
  // HTTPRoute's rules differ only by the sessionPersistence refinement, checked next.
  Assert<Omit<G.HTTPRouteSpec, 'rules'>, RouteSpec>,
  Assert<HTTPRouteRule, G.HTTPRouteRule>,
  Assert<Omit<G.HTTPRouteRule, 'sessionPersistence'>, Omit<HTTPRouteRule, 'sessionPersistence'>>,
  Assert<G.GRPCRouteSpec, RouteSpec>,
  Assert<G.TLSRouteSpec, RouteSpec>,
  Assert<G.TCPRouteSpec, RouteSpec>,
  Assert<G.UDPRouteSpec, RouteSpec>,
  Assert<G.GRPCBackendRef, BackendRef>,
  Assert<G.BackendRef, BackendRef>,
  Assert<G.GRPCRouteFilter, HTTPRouteFilter>,
  Assert<G.HTTPCORSFilter, HTTPCORSFilter>,
];

export type RouteParentStatus = G.RouteParentStatus;

export type ReferenceGrantSpec = G.ReferenceGrantSpec;

// Core Kubernetes objects: no CRD in crds/ describes them, so they stay hand-written.
export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}
export interface ServiceSpec {
  type?: string;
  ports?: ServicePort[];
  externalName?: string;
  clusterIP?: string;
}

export interface EndpointSliceObject extends KubeObject {
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean } }[];
  ports?: { name?: string; port?: number; protocol?: string; appProtocol?: string }[];
}

export interface SecretObject extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

export interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
}

export type ListenerSetSpec = G.ListenerSetSpec;

export type Spec<T> = KubeObject & { spec: T };
export type GatewayClassObject = Spec<GatewayClassSpec>;
export type GatewayObject = Spec<GatewaySpec>;
export type RouteObject = Spec<RouteSpec> & { status?: { parents?: RouteParentStatus[] } };
export type ReferenceGrantObject = Spec<ReferenceGrantSpec>;
export type ServiceObject = Spec<ServiceSpec>;
export type ListenerSetObject = Spec<ListenerSetSpec>;
export type BackendTLSPolicyObject = Spec<G.BackendTLSPolicySpec>;

/**
 * The parts of the Gateway API (v1.6) and core objects that the graph reads. Objects reaching the
 * graph have passed validation and carry the CRD defaults, so required fields are present.
 */
import type { KubeObject } from './object.js';

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface RouteGroupKind {
  group?: string;
  kind: string;
}

export interface AllowedRoutes {
  namespaces?: { from?: 'All' | 'Same' | 'Selector'; selector?: LabelSelector };
  kinds?: RouteGroupKind[];
}

export interface SecretObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
}

export interface ListenerTLSConfig {
  mode?: 'Terminate' | 'Passthrough';
  certificateRefs?: SecretObjectReference[];
  options?: Record<string, string>;
}

export interface ListenerSpec {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: ListenerTLSConfig;
  allowedRoutes?: AllowedRoutes;
}

export interface GatewayAddress {
  type?: string;
  value?: string;
}

export interface LocalParametersReference {
  group: string;
  kind: string;
  name: string;
}

export interface GatewaySpec {
  gatewayClassName: string;
  listeners?: ListenerSpec[];
  addresses?: GatewayAddress[];
  infrastructure?: { parametersRef?: LocalParametersReference; labels?: Record<string, string>; annotations?: Record<string, string> };
  allowedListeners?: { namespaces?: { from?: 'All' | 'Same' | 'Selector' | 'None'; selector?: LabelSelector } };
  tls?: {
    /** Client certificate validation, for every HTTPS port (default) or some (perPort). */
    frontend?: {
      default?: { validation?: FrontendValidation };
      perPort?: { port: number; tls?: { validation?: FrontendValidation } }[];
    };
    backend?: { clientCertificateRef?: unknown };
  };
}

export interface FrontendValidation {
  caCertificateRefs?: unknown[];
  mode?: string;
}

export interface GatewayClassSpec {
  controllerName: string;
  parametersRef?: { group: string; kind: string; name: string; namespace?: string };
  description?: string;
}

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
}

export interface BackendRef extends BackendObjectReference {
  weight?: number;
  filters?: HTTPRouteFilter[];
}

export interface HTTPHeader {
  name: string;
  value: string;
}
export interface HeaderModifier {
  set?: HTTPHeader[];
  add?: HTTPHeader[];
  remove?: string[];
}
export interface HTTPPathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}
/** The CORS filter as the CRD defines it (maxAge defaults to 5 once validated). */
export interface HTTPCORSFilter {
  allowOrigins?: string[];
  allowCredentials?: boolean;
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}
export interface HTTPRouteFilter {
  type: string;
  requestHeaderModifier?: HeaderModifier;
  responseHeaderModifier?: HeaderModifier;
  requestRedirect?: {
    scheme?: string;
    hostname?: string;
    path?: HTTPPathModifier;
    port?: number;
    statusCode?: number;
  };
  urlRewrite?: { hostname?: string; path?: HTTPPathModifier };
  requestMirror?: {
    backendRef: BackendObjectReference;
    percent?: number;
    fraction?: { numerator: number; denominator?: number };
  };
  cors?: HTTPCORSFilter;
  externalAuth?: Record<string, unknown>;
  extensionRef?: { group: string; kind: string; name: string };
}

export interface HTTPRouteMatch {
  path?: { type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string };
  headers?: { type?: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  queryParams?: { type?: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  method?: string;
}

export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
  timeouts?: { request?: string; backendRequest?: string };
  retry?: { codes?: number[]; attempts?: number; backoff?: string };
  sessionPersistence?: Record<string, unknown>;
}

export interface GRPCRouteMatch {
  method?: { type?: 'Exact' | 'RegularExpression'; service?: string; method?: string };
  headers?: { type?: 'Exact' | 'RegularExpression'; name: string; value: string }[];
}
export interface GRPCRouteRule {
  name?: string;
  matches?: GRPCRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
}

export interface RouteSpec {
  parentRefs?: ParentReference[];
  hostnames?: string[];
  rules?: (HTTPRouteRule | GRPCRouteRule | { name?: string; backendRefs?: BackendRef[] })[];
}

export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName: string;
  conditions: unknown[];
}

export interface ReferenceGrantSpec {
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name?: string }[];
}

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

export interface ListenerSetSpec {
  parentRef: { group?: string; kind?: string; name: string; namespace?: string };
  listeners?: ListenerSpec[];
}

export type Spec<T> = KubeObject & { spec: T };
export type GatewayClassObject = Spec<GatewayClassSpec>;
export type GatewayObject = Spec<GatewaySpec>;
export type RouteObject = Spec<RouteSpec> & { status?: { parents?: RouteParentStatus[] } };
export type ReferenceGrantObject = Spec<ReferenceGrantSpec>;
export type ServiceObject = Spec<ServiceSpec>;
export type ListenerSetObject = Spec<ListenerSetSpec>;

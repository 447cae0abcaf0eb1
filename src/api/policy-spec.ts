/**
 * Portico's policy kinds (gateway.portico.dev/v1alpha1): kgateway's TrafficPolicy and
 * DirectResponse under Portico's group, with kgateway's field names (crds/portico/). Only the
 * fields Portico reads are typed; the rest of a TrafficPolicy's spec is checked by name
 * (graph/traffic-policies.ts) and refused, so nothing is ignored silently. Objects reaching the
 * graph have passed validation against the CRD, so required fields are present.
 */
import { PORTICO_GROUP } from './kinds.js';
import type { HeaderModifier, HTTPRouteFilter } from './spec.js';
import type { KubeObject } from './object.js';

/** A target in the policy's namespace, by name or by labels; sectionName names a listener or a rule. */
export interface PolicyTargetReference {
  group: string;
  kind: string;
  name: string;
  sectionName?: string;
}

export interface PolicyTargetSelector {
  group: string;
  kind: string;
  matchLabels: Record<string, string>;
  sectionName?: string;
}

export interface TokenBucket {
  maxTokens: number;
  tokensPerFill?: number;
  /** A duration such as "1s" or "500ms" (at least 50ms). */
  fillInterval: string;
}

/** A reference to a GatewayExtension; the namespace defaults to the policy's. */
export interface ExtensionReference {
  name: string;
  namespace?: string;
}

/** `disable: {}` turns off, for its targets, what a less specific policy turned on. */
interface Disableable {
  disable?: Record<string, never>;
}

/** Portico's addition to kgateway's local rate limit: a bucket per client address or per header value. */
export type RateLimitKey = { type: 'RemoteAddress' } | { type: 'Header'; header: string };

export interface TrafficPolicySpec {
  targetRefs?: PolicyTargetReference[];
  targetSelectors?: PolicyTargetSelector[];
  headerModifiers?: { request?: HeaderModifier; response?: HeaderModifier };
  rateLimit?: { local?: { tokenBucket?: TokenBucket; percentEnabled?: number; percentEnforced?: number; key?: RateLimitKey }; global?: unknown };
  extAuth?: Disableable & { extensionRef?: ExtensionReference; withRequestBody?: unknown; contextExtensions?: Record<string, string> };
  /** htpasswd lines inline, or a Secret holding them under `key` (default ".htpasswd"). */
  basicAuth?: Disableable & { users?: string[]; secretRef?: { name: string; namespace?: string; key?: string } };
  jwtAuth?: Disableable & { extensionRef?: ExtensionReference };
  apiKeyAuth?: Disableable & {
    keySources?: { header?: string; query?: string; cookie?: string }[];
    secretRef?: { name: string; namespace?: string };
    secretSelector?: { matchLabels: Record<string, string> };
    clientIdHeader?: string;
    forwardCredential?: boolean;
  };
  rbac?: { action?: 'Allow' | 'Deny'; policy?: { matchExpressions?: string[] } };
  urlRewrite?: { pathRegex?: { pattern: string; substitution: string } };
  csrf?: { percentageEnabled?: number; percentageShadowed?: number; additionalOrigins?: { exact?: string; prefix?: string; suffix?: string; contains?: string; safeRegex?: string; ignoreCase?: boolean }[] };
  cors?: Disableable & { allowOrigins?: string[]; allowCredentials?: boolean; allowMethods?: string[]; allowHeaders?: string[]; exposeHeaders?: string[]; maxAge?: number };
  timeouts?: { request?: string; streamIdle?: string };
  retry?: { attempts?: number; backoffBaseInterval?: string; perTryTimeout?: string; retryOn?: string[]; statusCodes?: number[] };
  buffer?: Disableable & { maxRequestSize?: number | string };
  compression?: { responseCompression?: Disableable; requestDecompression?: Disableable };
  /** Every other field of kgateway's TrafficPolicy: read by name only, to refuse it. */
  [field: string]: unknown;
}

export interface TrafficPolicyObject extends KubeObject {
  kind: 'TrafficPolicy';
  spec: TrafficPolicySpec;
  status?: { ancestors?: unknown[] };
}

/** A backendRef of a GatewayExtension's service: a Service port. */
export interface ExtensionBackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
}

export interface ExtAuthProvider {
  httpService?: {
    backendRef: ExtensionBackendRef;
    pathPrefix?: string;
    requestTimeout?: string;
    retry?: unknown;
    authorizationRequest?: { headersToAdd?: Record<string, string> };
    authorizationResponse?: { headersToBackend?: string[] };
  };
  grpcService?: unknown;
  failOpen?: boolean;
  statusOnError?: number;
  headersToForward?: string[];
  withRequestBody?: unknown;
  clearRouteCache?: boolean;
  statPrefix?: string;
}

export interface JWTProvider {
  name: string;
  issuer?: string;
  audiences?: string[];
  jwks: { local?: { inline?: string; configMapRef?: { name: string } }; remote?: unknown };
  tokenSource?: { header?: { header: string; prefix?: string }; queryParameter?: string };
  claimsToHeaders?: { name: string; header: string }[];
  forwardToken?: boolean;
}

export interface GatewayExtensionObject extends KubeObject {
  kind: 'GatewayExtension';
  spec: {
    type?: 'ExtAuth' | 'ExtProc' | 'RateLimit' | 'JWT' | 'OAuth2';
    extAuth?: ExtAuthProvider;
    jwt?: { providers: JWTProvider[]; validationMode?: 'Strict' | 'AllowMissing' };
    [field: string]: unknown;
  };
}

export interface DirectResponseObject extends KubeObject {
  kind: 'DirectResponse';
  spec: { status: number; body?: string };
}

/** The DirectResponse an HTTPRoute filter names (an ExtensionRef to it), or undefined. */
export function directResponseRef(f: HTTPRouteFilter): { name: string } | undefined {
  const ref = f.type === 'ExtensionRef' ? f.extensionRef : undefined;
  return ref && ref.group === PORTICO_GROUP && ref.kind === 'DirectResponse' ? ref : undefined;
}

/** ListenerPolicy's per-listener HTTP settings (and the whole spec of the older HTTPListenerPolicy). */
/** kgateway's access log filter (one of the fields), after Envoy's AccessLogFilter. */
export interface AccessLogFilterSpec {
  statusCodeFilter?: { op: 'EQ' | 'GE' | 'LE'; value: number };
  durationFilter?: { op: 'EQ' | 'GE' | 'LE'; value: number };
  headerFilter?: { header: { name: string; type?: 'Exact' | 'RegularExpression'; value: string } };
  notHealthCheckFilter?: boolean;
  andFilter?: AccessLogFilterSpec[];
  orFilter?: AccessLogFilterSpec[];
  [other: string]: unknown;
}

/** One entry of kgateway's accessLog list. */
export interface AccessLogSpec {
  fileSink?: { path: string; stringFormat?: string; jsonFormat?: Record<string, unknown> };
  filter?: AccessLogFilterSpec;
  [other: string]: unknown;
}

export interface ListenerHttpSettings {
  accessLog?: AccessLogSpec[];
  tracing?: unknown;
  upgradeConfig?: { enabledUpgrades?: string[] };
  useRemoteAddress?: boolean;
  xffNumTrustedHops?: number;
  xffTrustedCIDRs?: string[];
  skipXFFAppend?: boolean;
  serverHeaderTransformation?: 'Overwrite' | 'AppendIfAbsent' | 'PassThrough';
  streamIdleTimeout?: string;
  idleTimeout?: string;
  healthCheck?: { path: string };
  preserveHttp1HeaderCase?: boolean;
  acceptHttp10?: boolean;
  defaultHostForHttp10?: string;
  earlyRequestHeaderModifier?: HeaderModifier;
  generateRequestId?: boolean;
  preserveExternalRequestId?: boolean;
  maxRequestHeadersKb?: number;
  uuidRequestIdConfig?: unknown;
}

export interface ListenerSettingsSpec {
  proxyProtocol?: Record<string, unknown>;
  perConnectionBufferLimitBytes?: number;
  clientCertificateValidation?: unknown;
  httpSettings?: ListenerHttpSettings;
}

export interface ListenerPolicyObject extends KubeObject {
  kind: 'ListenerPolicy' | 'HTTPListenerPolicy';
  spec: {
    targetRefs?: PolicyTargetReference[];
    targetSelectors?: PolicyTargetSelector[];
    /** ListenerPolicy: for every port of the Gateway, unless perPort says otherwise. */
    default?: ListenerSettingsSpec;
    perPort?: { port: number; listener: ListenerSettingsSpec }[];
    /** HTTPListenerPolicy: the HTTP settings themselves, for every port. */
    [field: string]: unknown;
  };
}

/** kgateway's GatewayParameters; Portico reads its own `haproxy` section (the `kube` one is for deployments). */
export interface GatewayParametersObject extends KubeObject {
  kind: 'GatewayParameters';
  spec: {
    haproxy?: { threads?: number; maxConnections?: number; logLevel?: string };
    /** kgateway's settings of the data plane's Kubernetes objects (graph/parameters.ts reads them). */
    kube?: Record<string, unknown>;
    selfManaged?: unknown;
  };
}

/** kgateway's Backend: a backendRef target outside the cluster's Services. Portico reads type Static. */
export interface BackendObject extends KubeObject {
  kind: 'Backend';
  spec: {
    type?: 'AWS' | 'Static' | 'DynamicForwardProxy' | 'GCP';
    static?: { hosts: { host: string; port: number }[]; appProtocol?: string };
    [field: string]: unknown;
  };
}

/**
 * The data-plane-neutral configuration: per Gateway, the ports it binds, the listeners on each
 * port (most specific hostname first), virtual hosts and their rules in spec precedence order,
 * and the backends with their endpoints. Plain data: easy to diff, print and render. It imports
 * nothing: a data plane reads these types, never the Gateway API's.
 */

export interface IR {
  gateways: IRGateway[];
}

export interface IRGateway {
  /** "namespace/name". */
  name: string;
  /** Its GatewayClass: the Gateways a shared data plane serves together (deployment mode shared). */
  className: string;
  addresses: string[];
  ports: IRPort[];
  /** Every backend a rule or mirror uses, keyed by IRBackend.id. */
  backends: Record<string, IRBackend>;
  /** The certificate shown to backends reached over TLS (spec.tls.backend.clientCertificateRef). */
  backendClientCertificate?: IRCertificate;
  /** The data plane process: threads, connection limit, the level of its own messages (GatewayParameters). */
  process?: { threads?: number; maxConnections?: number; logLevel?: string };
}

/** How a port is served: plain HTTP, TLS (terminated and/or passed through by SNI), raw TCP, or UDP datagrams. */
export type PortMode = 'HTTP' | 'TLS' | 'TCP' | 'UDP';

export interface IRPort {
  port: number;
  /**
   * The port clients reach, when the data plane listens on another one (`port`): in a shared data
   * plane each Gateway's ports move to ports of their own and the Gateway's Service maps them back.
   */
  publicPort?: number;
  mode: PortMode;
  /**
   * In a shared data plane, the backend client certificate of the Gateway this port is one of
   * (or none): each Gateway shows backends its own, never another's. Elsewhere ports have none
   * and IRGateway.backendClientCertificate applies.
   */
  backendClientCertificate?: IRCertificate;
  /** In a shared data plane, the Gateway ("namespace/name") this port is one of: its metrics are labelled with it. */
  gateway?: string;
  /** What the port's frontend does besides routing (ListenerPolicy). */
  settings?: IRPortSettings;
  /** Most specific hostname first; a listener without hostname last. */
  listeners: IRListener[];
}

/** Port settings of a ListenerPolicy; HTTP ones apply to HTTP and HTTPS ports only. */
export interface IRPortSettings {
  /** Connections start with a PROXY protocol header naming the client. */
  proxyProtocol?: boolean;
  /** Answered 200 by the proxy itself. */
  healthCheckPath?: string;
  /** Go durations. */
  idleTimeout?: string;
  streamIdleTimeout?: string;
  /** The client address is the X-Forwarded-For entry this many from the right (1: the last). */
  clientAddressFromXff?: number;
  appendXff?: boolean;
  serverHeader?: 'Overwrite' | 'AppendIfAbsent' | 'PassThrough';
  /** Header changes before routing. */
  earlyHeaders?: IRHeaderModifier;
  requestId?: { preserveExternal: boolean };
  rejectHttp10?: boolean;
  defaultHostForHttp10?: string;
  accessLog?: IRAccessLog;
}

/** An Envoy command operator (graph/access-log.ts lists them and says which are numbers). */
export interface IRLogOperator {
  op: string;
  header?: string;
  alternative?: string;
  maxLength?: number;
}

export type IRLogPart = { text: string } | IRLogOperator;

export type IRJsonLogValue = { parts: IRLogPart[] } | { constant: number | boolean | null } | { object: [string, IRJsonLogValue][] };

export type IRLogComparison = { op: 'EQ' | 'GE' | 'LE'; value: number };

export type IRLogFilter =
  | { status: IRLogComparison }
  | { durationMs: IRLogComparison }
  | { header: { name: string; type: 'Exact' | 'RegularExpression'; value: string } }
  | { notHealthCheck: true }
  | { and: IRLogFilter[] }
  | { or: IRLogFilter[] };

/** The access log of a port: one format, lines to one or more sinks, each with its filter. */
export interface IRAccessLog {
  format: { type: 'text'; parts: IRLogPart[] } | { type: 'json'; fields: [string, IRJsonLogValue][] };
  sinks: { path: string; filter?: IRLogFilter }[];
}

export interface IRCertificate {
  secret: string;
  certPem: string;
  keyPem: string;
  dnsNames: string[];
}

/** Client certificate validation of an HTTPS listener; the same for every HTTPS listener of a port. */
export interface IRClientValidation {
  /** The CA certificates that vouch for clients, PEM. */
  caPem: string;
  /** Let clients without a valid certificate in too (AllowInsecureFallback). */
  insecureFallback: boolean;
}

export interface IRListener {
  /** "Gateway/namespace/name/listener" or "ListenerSet/namespace/name/listener": unique in the Gateway. */
  id: string;
  name: string;
  protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP';
  hostname?: string;
  tls?: { mode: 'Terminate' | 'Passthrough'; certificates: IRCertificate[]; clientValidation?: IRClientValidation };
  /** HTTP and HTTPS listeners (and TLS listeners that terminate for TLSRoutes carry `streams`). */
  virtualHosts: IRVirtualHost[];
  /** TLSRoute, TCPRoute and UDPRoute backends: by SNI hostname for TLS, the oldest route first for TCP and UDP. */
  streams: IRStreamRoute[];
  /** TrafficPolicy settings for every rule served here (listener and Gateway attachments); a rule's own win. */
  policy?: IRTrafficPolicy;
}

/**
 * What TrafficPolicies ask of a rule (or of every rule of a listener). Each field comes from one
 * policy; the renderer takes a rule's field over its listener's.
 */
export interface IRTrafficPolicy {
  headerModifiers?: { request?: IRHeaderModifier; response?: IRHeaderModifier };
  /** At most `limit` requests in any `periodMs`, counted per `scope` (one bucket per scope). */
  rateLimit?: { limit: number; periodMs: number; retryAfterSeconds: number; scope: string; key?: { type: 'RemoteAddress' } | { type: 'Header'; header: string } };
  /** `false`: turned off here, whatever the listener's policy says (the same for the next two). */
  extAuth?: IRExtAuth | false;
  basicAuth?: IRBasicAuth | false;
  jwtAuth?: IRJwtAuth | false;
  apiKeyAuth?: IRApiKeyAuth | false;
  rbac?: IRRbac;
  /** CORS for rules without a CORS filter of their own. */
  cors?: IRCors | false;
  /** For rules that set none of their own. */
  timeouts?: { request: string };
  /** For rules that set none of their own; `false`: no retries. */
  retry?: { attempts: number; codes: number[]; backoff?: string; perTryTimeout?: string } | false;
  /** Request bodies larger than this are answered 413. */
  buffer?: { maxRequestBytes: number } | false;
  /** gzip responses for clients that accept it. */
  compression?: { response: boolean };
  /**
   * Unsafe requests (not GET, HEAD, OPTIONS) whose Origin (else Referer) host is neither the
   * request's Host nor one of `additionalOrigins` are answered 403.
   */
  csrf?: { additionalOrigins: { type: 'exact' | 'prefix' | 'suffix' | 'contains' | 'regex'; value: string; ignoreCase: boolean }[] };
  /** Every match of `pattern` in the path replaced by `substitution` (\\1… for groups), unless the rule rewrites the path itself. */
  urlRewrite?: { pattern: string; substitution: string };
  /** A policy that applies here cannot be carried out: its requests answer 500. */
  failClosed?: string;
}

/** One test of a request, as rbac's match expressions compile to. */
export type IRRequestTest =
  | { kind: 'sourceCidr'; value: string }
  | { kind: 'header'; name: string; value?: string }
  | { kind: 'method'; value: string }
  /** The path without the query, with it, or a prefix of it (without). */
  | { kind: 'path' | 'pathQuery' | 'pathPrefix'; value: string };

/** Access control: requests meeting `when` (any conjunction of tests) are denied (Deny) or are the only ones let in (Allow). */
export interface IRRbac {
  action: 'Allow' | 'Deny';
  when: { test: IRRequestTest; negate: boolean }[][];
}

/**
 * An HTTP authorization service asked about each request before it is forwarded. A 2xx answer
 * lets the request through with `backendHeaders` copied from the answer; any other answer goes
 * to the client as it is; no answer in `timeoutMs` (or the service unreachable) lets the request
 * through when `failOpen`, and answers `statusOnError` otherwise.
 */
export interface IRExtAuth {
  /** "namespace/name" of the GatewayExtension that describes the service. */
  extension: string;
  /** The service's backend, in IRGateway.backends. */
  backend: string;
  /** Prepended to the request's path in the question to the service. */
  pathPrefix?: string;
  timeoutMs: number;
  /** Request headers sent along, lower case. */
  forwardHeaders: string[];
  addHeaders: IRHeader[];
  backendHeaders: string[];
  failOpen: boolean;
  statusOnError: number;
}

/** HTTP basic authentication: each user with the base64 SHA-1 of the password. */
export interface IRBasicAuth {
  users: { name: string; sha1: string }[];
}

/** API keys: a request needs one of `keys`, read from the first source that has one. */
export interface IRApiKeyAuth {
  keys: { client: string; key: string }[];
  sources: { header?: string; query?: string; cookie?: string }[];
  /** Set to the client's name (the key's entry) on the request. */
  clientIdHeader?: string;
  /** Leave the key's header on the request. */
  forwardCredential: boolean;
}

/** JWT validation: a request needs a token that one of the providers verifies. */
export interface IRJwtAuth {
  extension: string;
  /** A request without a token passes. */
  allowMissing: boolean;
  providers: IRJwtProvider[];
}

export interface IRJwtProvider {
  name: string;
  /** The `iss` claim required, if any. */
  issuer?: string;
  /** One of them must be the `aud` claim (or among it); empty: any. */
  audiences: string[];
  /** Verification keys: a PEM public key or an HMAC secret each, with the algorithms it verifies. */
  keys: { kid?: string; algs: string[]; pem?: string; secret?: string }[];
  /** Where the token is read: a header (after its prefix) or a query parameter. */
  token: { header: string; prefix: string } | { query: string };
  claimsToHeaders: { claim: string; header: string }[];
  /** Leave the token's header on the request (otherwise it is removed once verified). */
  forwardToken: boolean;
}

export interface IRVirtualHost {
  /** Exact name, "*.suffix" wildcard, or "*" for any host. */
  hostname: string;
  rules: IRHTTPRule[];
}

export interface IRRouteRef {
  kind: 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute' | 'UDPRoute';
  namespace: string;
  name: string;
}

export interface IRMatch {
  path: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
  headers: { type: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  queryParams: { type: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  method?: string;
}

export interface IRHeader {
  name: string;
  value: string;
}

/** Header edits; the CRD keeps each list's names unique. */
export interface IRHeaderModifier {
  set?: IRHeader[];
  add?: IRHeader[];
  remove?: string[];
}

/** The value that replaces the whole path, or the matched prefix. */
export interface IRPathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}

/** A CORS policy as validated (maxAge carries its default of 5). */
export interface IRCors {
  allowOrigins?: string[];
  allowCredentials?: boolean;
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

export type IRFilter =
  | { type: 'RequestHeaderModifier'; modifier: IRHeaderModifier }
  | { type: 'ResponseHeaderModifier'; modifier: IRHeaderModifier }
  | {
      type: 'RequestRedirect';
      scheme?: string;
      hostname?: string;
      path?: IRPathModifier;
      port?: number;
      statusCode: number;
    }
  | { type: 'URLRewrite'; hostname?: string; path?: IRPathModifier }
  | { type: 'RequestMirror'; backend: string; percent: number }
  | { type: 'CORS'; cors: IRCors }
  /** A DirectResponse named by an ExtensionRef filter: the proxy answers, nothing is forwarded. */
  | { type: 'DirectResponse'; status: number; body?: string };

export interface IRBackendRef {
  backend: string;
  weight: number;
  filters: IRFilter[];
}

export interface IRHTTPRule {
  route: IRRouteRef;
  ruleIndex: number;
  ruleName?: string;
  match: IRMatch;
  filters: IRFilter[];
  /** Valid backends with their weights. */
  backends: IRBackendRef[];
  /** Summed weight of backendRefs that could not be resolved: that share of requests gets 500. */
  invalidWeight: number;
  /** True when the rule names no backend at all (500 unless a filter answers, e.g. a redirect). */
  noBackends: boolean;
  /**
   * The rule carries a filter (or setting) the data plane cannot carry out: it matches as written
   * and answers 500, never forwarding (GraphRoute.closedRules). Filters and backends are empty.
   */
  failClosed?: true;
  timeouts?: { request?: string; backendRequest?: string };
  retry?: { codes?: number[]; attempts?: number; backoff?: string };
  sessionPersistence?: IRSessionPersistence;
  /** TrafficPolicy settings attached to the rule or its route. */
  policy?: IRTrafficPolicy;
}

/** Session persistence: a client keeps the endpoint it was first sent to. */
export interface IRSessionPersistence {
  /** Where the session token travels: a cookie, or a header the client sends back. */
  type: 'Cookie' | 'Header';
  /** The cookie's or the header's name. */
  name: string;
  /** How long a session lasts from its first request (Go duration, e.g. "1h"). */
  absoluteTimeout?: string;
  /** The cookie outlives the browser session (Max-Age = absoluteTimeout). */
  permanent: boolean;
}

export interface IRStreamRoute {
  route: IRRouteRef;
  /** SNI names for TLS passthrough; empty means any. */
  hostnames: string[];
  backends: IRBackendRef[];
  invalidWeight: number;
}

export interface IRBackend {
  /** "namespace/service:port". */
  id: string;
  namespace: string;
  service: string;
  port: number;
  protocol: 'http' | 'h2c' | 'ws' | 'tcp' | 'udp';
  endpoints: { address: string; port: number }[];
  /**
   * Backend (gateway.portico.dev, type Static): its endpoints come from its spec. ServiceImport
   * (multicluster.x-k8s.io): from the EndpointSlices labelled with its name, of every cluster.
   */
  source?: 'Backend' | 'ServiceImport';
  /** Some endpoint addresses are DNS names, for the data plane to resolve while it runs. */
  resolve?: true;
  /** TLS to the endpoints (a BackendTLSPolicy). */
  tls?: IRBackendTLS;
}

/**
 * How to reach a backend over TLS, or that it may not be reached at all (`unusable`: its policy
 * cannot be carried out, so it has no endpoints, and endpoint changes must not give it any).
 */
export type IRBackendTLS =
  | {
      /** PEM CAs to verify the backend with; absent: the system's CAs. */
      caPem?: string;
      sni: string;
      verifyName: string;
    }
  | { unusable: string };

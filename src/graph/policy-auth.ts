/**
 * The authentication fields of a TrafficPolicy: extAuth and jwtAuth (through a GatewayExtension)
 * and basicAuth (htpasswd entries, inline or from a Secret). Each resolves to settings complete
 * enough to render, or to a message naming the path that cannot be carried out. Names and values
 * that will reach the data plane are checked here, so a crafted object is refused in its own
 * status instead of failing the rendering of everyone's configuration.
 */
import { durationMs } from '../api/durations.js';
import { PORTICO_GROUP } from '../api/kinds.js';
import type { ExtensionReference, GatewayExtensionObject, JWTProvider, TrafficPolicyObject, TrafficPolicySpec } from '../api/policy-spec.js';
import type { ConfigMapObject, SecretObject } from '../api/spec.js';
import type { ResourceSet } from '../store/resources.js';
import { resolveBackend, type BackendContext } from './backends.js';
import { parseJwks, type VerificationKey } from './jwks.js';
import type { ResolvedBackend } from './model.js';
import type { ReferenceGrantIndex } from './reference-grants.js';
import { selectorMatches } from './labels.js';

export interface AuthContext {
  resources: ResourceSet;
  grants: ReferenceGrantIndex;
  backends: BackendContext;
}

/** An HTTP authorization service asked about each request (kgateway's extAuth httpService). */
export interface ExtAuthSettings {
  /** "namespace/name" of the GatewayExtension. */
  extension: string;
  service: ResolvedBackend;
  pathPrefix?: string;
  timeoutMs: number;
  /** Request headers sent to the service, lower case. */
  forwardHeaders: string[];
  addHeaders: { name: string; value: string }[];
  /** Headers of an allowing answer copied onto the request, lower case. */
  backendHeaders: string[];
  failOpen: boolean;
  statusOnError: number;
}

export interface BasicAuthSettings {
  /** Each user with the base64 SHA-1 of the password (htpasswd's {SHA}). */
  users: { name: string; sha1: string }[];
}

/** API keys: each with the client it identifies (the Secret entry's name). */
export interface ApiKeyAuthSettings {
  keys: { client: string; key: string }[];
  /** Where to look, in order; within one source a header before a query parameter before a cookie. */
  sources: { header?: string; query?: string; cookie?: string }[];
  clientIdHeader?: string;
  forwardCredential: boolean;
}

export interface JwtProviderSettings {
  name: string;
  issuer?: string;
  audiences: string[];
  keys: VerificationKey[];
  token: { header: string; prefix: string } | { query: string };
  claimsToHeaders: { claim: string; header: string }[];
  forwardToken: boolean;
}

export interface JwtAuthSettings {
  extension: string;
  /** Requests without a token pass (validationMode AllowMissing); a token present is still checked. */
  allowMissing: boolean;
  providers: JwtProviderSettings[];
}

/** An HTTP header name (RFC 9110 token). */
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** A claim name as HAProxy's JSON path takes it (dots reach into nested objects). */
const CLAIM = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const DEFAULT_EXT_AUTH_TIMEOUT_MS = 2000;
/** How a Secret is made visible to Portico in a cluster (providers/kubernetes/decode.ts). */
const POLICY_SECRET_HINT = 'gateway.portico.dev/policy-secret=true so that Portico reads it';

const ns = (o: { metadata: { namespace?: string } }): string => o.metadata.namespace ?? 'default';

function badHeaderName(names: readonly string[] | undefined, where: string): string | undefined {
  const i = (names ?? []).findIndex((n) => !TOKEN.test(n));
  return i < 0 ? undefined : `${where}[${i}]: ${JSON.stringify(names?.[i])} is not a header name`;
}

/** The GatewayExtension a policy field names, when the reference is allowed and it exists. */
function extension(policy: TrafficPolicyObject, ref: ExtensionReference, field: string, ctx: AuthContext): GatewayExtensionObject | string {
  const namespace = ref.namespace ?? ns(policy);
  const what = `spec.${field}.extensionRef: GatewayExtension ${namespace}/${ref.name}`;
  if (!ctx.grants.allows({ group: PORTICO_GROUP, kind: 'TrafficPolicy', namespace: ns(policy) }, { group: PORTICO_GROUP, kind: 'GatewayExtension', namespace, name: ref.name })) {
    return `${what} is in another namespace and no ReferenceGrant there allows it`;
  }
  return ctx.resources.get<GatewayExtensionObject>('GatewayExtension', namespace, ref.name) ?? `${what} not found`;
}

export function extAuthSettings(policy: TrafficPolicyObject, field: NonNullable<TrafficPolicySpec['extAuth']>, ctx: AuthContext): ExtAuthSettings | false | string {
  if (field.disable) return false;
  if (!field.extensionRef) return 'spec.extAuth: an extensionRef or disable is required';
  const ext = extension(policy, field.extensionRef, 'extAuth', ctx);
  if (typeof ext === 'string') return ext;
  const key = `${ns(ext)}/${ext.metadata.name}`;
  const where = `GatewayExtension ${key}`;
  const spec = ext.spec.extAuth;
  if (ext.spec.type !== 'ExtAuth' || !spec) return `spec.extAuth: ${where} is of type ${ext.spec.type ?? '(none)'}, not ExtAuth`;
  const refused = [
    spec.grpcService !== undefined ? 'spec.extAuth.grpcService (Portico speaks to HTTP authorization services only)' : undefined,
    spec.withRequestBody !== undefined ? 'spec.extAuth.withRequestBody' : undefined,
    spec.clearRouteCache ? 'spec.extAuth.clearRouteCache' : undefined,
    spec.httpService?.retry !== undefined ? 'spec.extAuth.httpService.retry' : undefined,
  ].filter((p): p is string => p !== undefined);
  if (refused.length > 0) return `${where}: ${refused.join(', ')} ${refused.length > 1 ? 'are' : 'is'} not supported by Portico`;
  const http = spec.httpService;
  if (!http) return `${where}: spec.extAuth.httpService is required`;
  const ref = http.backendRef;
  if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') return `${where}: spec.extAuth.httpService.backendRef must name a Service`;
  if ((ref.namespace ?? ns(ext)) !== ns(ext)) return `${where}: spec.extAuth.httpService.backendRef must be in the GatewayExtension's namespace`;
  const service = resolveBackend({ name: ref.name, ...(ref.port !== undefined ? { port: ref.port } : {}) }, { kind: 'HTTPRoute', namespace: ns(ext) }, ctx.backends);
  if (service.problem) return `${where}: spec.extAuth.httpService.backendRef: ${service.problem.message}`;
  const bad =
    badHeaderName(spec.headersToForward, `${where}: spec.extAuth.headersToForward`) ??
    badHeaderName(http.authorizationResponse?.headersToBackend, `${where}: spec.extAuth.httpService.authorizationResponse.headersToBackend`) ??
    badHeaderName(Object.keys(http.authorizationRequest?.headersToAdd ?? {}), `${where}: spec.extAuth.httpService.authorizationRequest.headersToAdd`);
  if (bad) return bad;
  const addHeaders = Object.entries(http.authorizationRequest?.headersToAdd ?? {}).map(([name, value]) => ({ name: name.toLowerCase(), value }));
  // Envoy reads these values as its own format strings; Portico sends them as written, so a
  // value that would be a format there is refused rather than sent differently.
  const formatted = addHeaders.find((h) => h.value.includes('%') || CONTROL.test(h.value));
  if (formatted) return `${where}: spec.extAuth.httpService.authorizationRequest.headersToAdd.${formatted.name}: only plain values are supported (no % format strings or control characters)`;
  if (http.pathPrefix !== undefined && !/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/.test(http.pathPrefix)) return `${where}: spec.extAuth.httpService.pathPrefix must be a path starting with "/"`;
  if ((spec.statusOnError ?? 403) < 200) return `${where}: spec.extAuth.statusOnError must be a final status (200 or more)`;
  const timeoutMs = http.requestTimeout !== undefined ? durationMs(http.requestTimeout) : DEFAULT_EXT_AUTH_TIMEOUT_MS;
  if (timeoutMs === undefined || timeoutMs <= 0) return `${where}: spec.extAuth.httpService.requestTimeout is not a duration`;
  const lower = (names: readonly string[] | undefined) => [...new Set((names ?? []).map((n) => n.toLowerCase()))];
  return {
    extension: key,
    service,
    ...(http.pathPrefix !== undefined ? { pathPrefix: http.pathPrefix.replace(/\/+$/, '') } : {}),
    timeoutMs,
    forwardHeaders: lower(['host', 'authorization', ...(spec.headersToForward ?? [])]),
    addHeaders,
    backendHeaders: lower(http.authorizationResponse?.headersToBackend),
    failOpen: spec.failOpen ?? false,
    statusOnError: spec.statusOnError ?? 403,
  };
}

/** htpasswd entries: "name:{SHA}base64", blank lines and # comments skipped. */
function htpasswd(lines: readonly string[], where: (i: number) => string): BasicAuthSettings | string {
  const users: BasicAuthSettings['users'] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([^:\s#\\]+):\{SHA\}([A-Za-z0-9+/]{27}=)$/.exec(line);
    if (!m || CONTROL.test(line)) return `${where(i)}: only SHA-1 entries ("name:{SHA}<base64>") are supported`;
    users.push({ name: m[1] as string, sha1: m[2] as string });
  }
  return users.length > 0 ? { users } : `${where(0)}: no users`;
}

export function basicAuthSettings(policy: TrafficPolicyObject, field: NonNullable<TrafficPolicySpec['basicAuth']>, ctx: AuthContext): BasicAuthSettings | false | string {
  if (field.disable) return false;
  if (field.users) return htpasswd(field.users, (i) => `spec.basicAuth.users[${i}]`);
  const ref = field.secretRef;
  if (!ref) return 'spec.basicAuth: users, secretRef or disable is required';
  const namespace = ref.namespace ?? ns(policy);
  const what = `spec.basicAuth.secretRef: Secret ${namespace}/${ref.name}`;
  if (!ctx.grants.allows({ group: PORTICO_GROUP, kind: 'TrafficPolicy', namespace: ns(policy) }, { group: '', kind: 'Secret', namespace, name: ref.name })) {
    return `${what} is in another namespace and no ReferenceGrant there allows it`;
  }
  const secret = ctx.resources.get<SecretObject>('Secret', namespace, ref.name);
  // The Kubernetes provider reads kubernetes.io/tls Secrets and those labelled for policies only.
  if (!secret) return `${what} not found (in Kubernetes mode, label it ${POLICY_SECRET_HINT})`;
  const key = ref.key ?? '.htpasswd';
  const data = secret.data?.[key];
  if (data === undefined) return `${what} has no key ${key}`;
  return htpasswd(Buffer.from(data, 'base64').toString('utf8').split('\n'), (i) => `${what} key ${key} line ${i + 1}`);
}

function providerSettings(p: JWTProvider, where: string, ext: GatewayExtensionObject, ctx: AuthContext): JwtProviderSettings | string {
  let text: string | undefined;
  if (p.jwks.remote !== undefined) return `${where}.jwks.remote is not supported by Portico; give the keys in jwks.local`;
  if (p.jwks.local?.inline !== undefined) text = p.jwks.local.inline;
  else if (p.jwks.local?.configMapRef) {
    const cm = ctx.resources.get<ConfigMapObject>('ConfigMap', ns(ext), p.jwks.local.configMapRef.name);
    if (!cm) return `${where}.jwks.local.configMapRef: ConfigMap ${ns(ext)}/${p.jwks.local.configMapRef.name} not found`;
    text = cm.data?.jwks;
    if (text === undefined) return `${where}.jwks.local.configMapRef: ConfigMap ${ns(ext)}/${p.jwks.local.configMapRef.name} has no key jwks`;
  }
  if (text === undefined) return `${where}.jwks: local keys are required`;
  const keys = parseJwks(text, `${where}.jwks`);
  if (typeof keys === 'string') return keys;
  const source = p.tokenSource;
  if (source?.queryParameter !== undefined && !p.forwardToken) return `${where}.tokenSource.queryParameter: Portico cannot take a token out of the query string; set forwardToken: true to accept that it reaches the backend`;
  if (source?.queryParameter !== undefined && !TOKEN.test(source.queryParameter)) return `${where}.tokenSource.queryParameter: ${JSON.stringify(source.queryParameter)} is not a plain parameter name`;
  if (source?.header && !TOKEN.test(source.header.header)) return `${where}.tokenSource.header.header: ${JSON.stringify(source.header.header)} is not a header name`;
  if (source?.header?.prefix !== undefined && CONTROL.test(source.header.prefix)) return `${where}.tokenSource.header.prefix holds a control character`;
  const claims = p.claimsToHeaders ?? [];
  for (const [i, c] of claims.entries()) {
    if (!CLAIM.test(c.name)) return `${where}.claimsToHeaders[${i}].name: ${JSON.stringify(c.name)} is not a claim name Portico can read (letters, digits, _ and -, dots for nested claims)`;
    if (!TOKEN.test(c.header)) return `${where}.claimsToHeaders[${i}].header: ${JSON.stringify(c.header)} is not a header name`;
  }
  for (const v of [p.issuer, ...(p.audiences ?? [])]) if (v !== undefined && CONTROL.test(v)) return `${where}: the issuer or an audience holds a control character`;
  return {
    name: p.name,
    ...(p.issuer !== undefined ? { issuer: p.issuer } : {}),
    audiences: p.audiences ?? [],
    keys,
    token: source?.queryParameter !== undefined ? { query: source.queryParameter } : { header: (source?.header?.header ?? 'authorization').toLowerCase(), prefix: source?.header ? (source.header.prefix ?? '') : 'Bearer ' },
    claimsToHeaders: claims.map((c) => ({ claim: c.name, header: c.header.toLowerCase() })),
    forwardToken: p.forwardToken ?? false,
  };
}

export function jwtAuthSettings(policy: TrafficPolicyObject, field: NonNullable<TrafficPolicySpec['jwtAuth']>, ctx: AuthContext): JwtAuthSettings | false | string {
  if (field.disable) return false;
  if (!field.extensionRef) return 'spec.jwtAuth: an extensionRef or disable is required';
  const ext = extension(policy, field.extensionRef, 'jwtAuth', ctx);
  if (typeof ext === 'string') return ext;
  const key = `${ns(ext)}/${ext.metadata.name}`;
  const jwt = ext.spec.jwt;
  if (ext.spec.type !== 'JWT' || !jwt) return `spec.jwtAuth: GatewayExtension ${key} is of type ${ext.spec.type ?? '(none)'}, not JWT`;
  const providers: JwtProviderSettings[] = [];
  for (const [i, p] of jwt.providers.entries()) {
    const s = providerSettings(p, `GatewayExtension ${key}: spec.jwt.providers[${i}]`, ext, ctx);
    if (typeof s === 'string') return s;
    providers.push(s);
  }
  return { extension: key, allowMissing: jwt.validationMode === 'AllowMissing', providers };
}

/** A name HAProxy reads inside a sample fetch's arguments, where nothing may need quoting. */
const FETCH_ARG = /^[A-Za-z0-9!*+.^_|~&-]+$/;
/** An API key as a map file key: no whitespace, "#" or backslash. */
const MAP_KEY = /^[^\s#\\]+$/;

export function apiKeyAuthSettings(policy: TrafficPolicyObject, field: NonNullable<TrafficPolicySpec['apiKeyAuth']>, ctx: AuthContext): ApiKeyAuthSettings | false | string {
  if (field.disable) return false;
  const namespace = field.secretRef?.namespace ?? ns(policy);
  let secrets: SecretObject[];
  if (field.secretRef) {
    const what = `spec.apiKeyAuth.secretRef: Secret ${namespace}/${field.secretRef.name}`;
    if (!ctx.grants.allows({ group: PORTICO_GROUP, kind: 'TrafficPolicy', namespace: ns(policy) }, { group: '', kind: 'Secret', namespace, name: field.secretRef.name })) return `${what} is in another namespace and no ReferenceGrant there allows it`;
    const secret = ctx.resources.get<SecretObject>('Secret', namespace, field.secretRef.name);
    if (!secret) return `${what} not found (in Kubernetes mode, label it ${POLICY_SECRET_HINT})`;
    secrets = [secret];
  } else if (field.secretSelector) {
    const selector = { matchLabels: field.secretSelector.matchLabels };
    secrets = ctx.resources.list<SecretObject>('Secret').filter((s) => ns(s) === ns(policy) && selectorMatches(selector, s.metadata.labels));
    if (secrets.length === 0) return `spec.apiKeyAuth.secretSelector selects no Secret (in Kubernetes mode, label them ${POLICY_SECRET_HINT})`;
  } else return 'spec.apiKeyAuth: secretRef, secretSelector or disable is required';
  const keys: ApiKeyAuthSettings['keys'] = [];
  for (const secret of secrets) {
    for (const [client, data] of Object.entries(secret.data ?? {})) {
      const key = Buffer.from(data, 'base64').toString('utf8');
      const where = `spec.apiKeyAuth: Secret ${ns(secret)}/${secret.metadata.name} entry ${JSON.stringify(client)}`;
      if (!MAP_KEY.test(key) || CONTROL.test(key)) return `${where}: an API key may not hold whitespace, "#", "\\" or control characters`;
      if (!MAP_KEY.test(client) || CONTROL.test(client)) return `${where}: the entry name may not hold whitespace, "#" or "\\"`;
      keys.push({ client, key });
    }
  }
  const sources = field.keySources && field.keySources.length > 0 ? field.keySources : [{ header: 'api-key' }];
  for (const [i, source] of sources.entries()) {
    for (const [kind, name] of Object.entries(source)) {
      if (name !== undefined && !FETCH_ARG.test(name)) return `spec.apiKeyAuth.keySources[${i}].${kind} ${JSON.stringify(name)}: Portico takes names of letters, digits and !*+.^_|~&- here`;
    }
    if (!field.forwardCredential && (source.query !== undefined || source.cookie !== undefined)) {
      return `spec.apiKeyAuth.keySources[${i}]: Portico cannot take a key out of a query string or a cookie; set forwardCredential: true to accept that it reaches the backend`;
    }
  }
  if (field.clientIdHeader !== undefined && !TOKEN.test(field.clientIdHeader)) return `spec.apiKeyAuth.clientIdHeader ${JSON.stringify(field.clientIdHeader)} is not a header name`;
  return {
    keys,
    sources: sources.map((s) => ({ ...(s.header ? { header: s.header.toLowerCase() } : {}), ...(s.query ? { query: s.query } : {}), ...(s.cookie ? { cookie: s.cookie } : {}) })),
    ...(field.clientIdHeader ? { clientIdHeader: field.clientIdHeader.toLowerCase() } : {}),
    forwardCredential: field.forwardCredential ?? false,
  };
}

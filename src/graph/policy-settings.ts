/**
 * What one TrafficPolicy asks for, field by field, or why it cannot be carried out. The fields
 * that name other objects (a GatewayExtension, a Secret) are looked up here, so what reaches the
 * merge (traffic-policies.ts) is complete: a policy whose references do not resolve is refused
 * like one with a field Portico lacks.
 */
import { durationMs } from '../api/durations.js';
import type { RateLimitKey, TokenBucket, TrafficPolicyObject, TrafficPolicySpec } from '../api/policy-spec.js';
import { quantityOf } from '../api/quantity.js';
import { regexProblem } from '../api/regex.js';
import { compileMatchExpressions, type Disjunction } from './rbac.js';
import type { HeaderModifier } from '../api/spec.js';
import { apiKeyAuthSettings, basicAuthSettings, extAuthSettings, jwtAuthSettings, type ApiKeyAuthSettings, type AuthContext, type BasicAuthSettings, type ExtAuthSettings, type JwtAuthSettings } from './policy-auth.js';

/** The fields Portico carries out. */
export const POLICY_FIELDS = ['headerModifiers', 'rateLimit', 'extAuth', 'basicAuth', 'jwtAuth', 'apiKeyAuth', 'rbac', 'cors', 'timeouts', 'retry', 'buffer', 'compression', 'urlRewrite', 'csrf'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** A local rate limit: at most `limit` requests in any `periodMs`, the token bucket's rate and burst. */
export interface RateLimitSettings {
  limit: number;
  periodMs: number;
  /** What the client is told to wait, in seconds: one fill interval. */
  retryAfterSeconds: number;
  /** A bucket per client address or header value; absent: one bucket for all. */
  key?: RateLimitKey;
}

/**
 * A field set to `false` was turned off (`disable: {}`): it still wins the merge at its place,
 * so that what a less specific policy turned on does not apply there.
 */
export interface PolicySettings {
  headerModifiers?: { request?: HeaderModifier; response?: HeaderModifier };
  rateLimit?: RateLimitSettings;
  extAuth?: ExtAuthSettings | false;
  basicAuth?: BasicAuthSettings | false;
  jwtAuth?: JwtAuthSettings | false;
  apiKeyAuth?: ApiKeyAuthSettings | false;
  /** Requests matching `when` are denied (Deny), or all others are (Allow). */
  rbac?: { action: 'Allow' | 'Deny'; when: Disjunction };
  cors?: CorsSettings | false;
  /** A request timeout for rules that set none of their own (a Go duration; "0s": none). */
  timeouts?: { request: string };
  /** Retries for rules that set none of their own; `false`: attempts 0. */
  retry?: { attempts: number; codes: number[]; backoff?: string; perTryTimeout?: string } | false;
  /** Request bodies larger than this many bytes are answered 413. */
  buffer?: { maxRequestBytes: number } | false;
  /** Compress responses (gzip) for clients that accept it. */
  compression?: { response: boolean };
  /** Every match of `pattern` in the path replaced by `substitution` (\\1… for groups). */
  urlRewrite?: { pattern: string; substitution: string };
  /** Unsafe requests from another origin than the request's host, and not from these, are refused. */
  csrf?: { additionalOrigins: OriginMatcher[] };
}

/** How an allowed origin's host is matched (kgateway's StringMatcher). */
export interface OriginMatcher {
  type: 'exact' | 'prefix' | 'suffix' | 'contains' | 'regex';
  value: string;
  ignoreCase: boolean;
}

export interface CorsSettings {
  allowOrigins?: string[];
  allowCredentials?: boolean;
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

/** Fields of kgateway's TrafficPolicy Portico cannot carry out (yet): refused with their path. */
function unsupportedPaths(spec: TrafficPolicyObject['spec']): string[] {
  const out: string[] = [];
  for (const field of Object.keys(spec)) {
    if (field === 'targetRefs' || field === 'targetSelectors') continue;
    if (!(POLICY_FIELDS as readonly string[]).includes(field)) out.push(`spec.${field}`);
  }
  const rl = spec.rateLimit;
  if (rl) {
    if (rl.global !== undefined) out.push('spec.rateLimit.global');
    const local = rl.local;
    if (local?.percentEnabled !== undefined && local.percentEnabled !== 100) out.push('spec.rateLimit.local.percentEnabled');
    if (local?.percentEnforced !== undefined && local.percentEnforced !== 100) out.push('spec.rateLimit.local.percentEnforced');
  }
  if (spec.extAuth?.withRequestBody !== undefined) out.push('spec.extAuth.withRequestBody');
  if (spec.timeouts?.streamIdle !== undefined) out.push('spec.timeouts.streamIdle');
  if (spec.compression?.requestDecompression !== undefined && !spec.compression.requestDecompression.disable) out.push('spec.compression.requestDecompression');
  if (spec.extAuth?.contextExtensions !== undefined) out.push('spec.extAuth.contextExtensions');
  return out;
}

// HTTP fields hold no control characters; a data plane could not send them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function headerProblem(where: string, m: HeaderModifier | undefined): string | undefined {
  for (const h of [...(m?.set ?? []), ...(m?.add ?? [])]) if (CONTROL.test(h.value)) return `${where}: the value of header ${h.name} holds a control character`;
  return undefined;
}

function rateLimitOf(bucket: TokenBucket): RateLimitSettings | string {
  const fill = durationMs(bucket.fillInterval);
  if (fill === undefined || fill <= 0) return `spec.rateLimit.local.tokenBucket.fillInterval ${JSON.stringify(bucket.fillInterval)} is not a duration`;
  const perFill = bucket.tokensPerFill ?? 1;
  // A bucket of maxTokens refilled by tokensPerFill each fillInterval allows bursts of maxTokens and
  // a long-run rate of tokensPerFill per fillInterval: so does a window of maxTokens requests in
  // the time the bucket takes to refill from empty.
  const periodMs = Math.max(1, Math.ceil((fill * bucket.maxTokens) / perFill));
  return { limit: bucket.maxTokens, periodMs, retryAfterSeconds: Math.max(1, Math.ceil(fill / 1000)) };
}

/** Retry conditions of Envoy's retryOn HAProxy can honour, and the status codes each stands for. */
const RETRY_ON: Record<string, number[]> = {
  '5xx': [500, 501, 502, 503, 504],
  'gateway-error': [502, 503, 504],
  // HAProxy always retries refused and reset connections and empty responses when it retries.
  reset: [],
  'reset-before-request': [],
  'connect-failure': [],
  'refused-stream': [],
  'retriable-status-codes': [],
};
/** The status codes HAProxy's retry-on can name. */
const RETRYABLE_CODES = new Set([401, 403, 404, 408, 425, 500, 501, 502, 503, 504]);

function retryOf(r: NonNullable<TrafficPolicySpec['retry']>): PolicySettings['retry'] | string {
  if (r.attempts === 0) return false;
  const codes = new Set<number>();
  for (const [i, on] of (r.retryOn ?? []).entries()) {
    const c = RETRY_ON[on];
    if (!c) return `spec.retry.retryOn[${i}] ${JSON.stringify(on)} is not supported by Portico (${Object.keys(RETRY_ON).join(', ')} are)`;
    for (const code of c) codes.add(code);
  }
  for (const [i, code] of (r.statusCodes ?? []).entries()) {
    if (!RETRYABLE_CODES.has(code)) return `spec.retry.statusCodes[${i}] ${code}: HAProxy retries on ${[...RETRYABLE_CODES].join(', ')} only`;
    codes.add(code);
  }
  for (const d of [r.perTryTimeout, r.backoffBaseInterval]) if (d !== undefined && durationMs(d) === undefined) return `spec.retry: ${JSON.stringify(d)} is not a duration`;
  return { attempts: r.attempts ?? 1, codes: [...codes].sort((a, b) => a - b), ...(r.backoffBaseInterval ? { backoff: r.backoffBaseInterval } : {}), ...(r.perTryTimeout ? { perTryTimeout: r.perTryTimeout } : {}) };
}

type Reader = (spec: TrafficPolicySpec) => unknown;

/** The fields read from the spec alone. */
const FIELD_READERS: [keyof PolicySettings & keyof TrafficPolicySpec, Reader][] = [
  ['rbac', (spec) => {
    const rbac = spec.rbac as NonNullable<TrafficPolicySpec['rbac']>;
    const when = compileMatchExpressions(rbac.policy?.matchExpressions ?? [], 'spec.rbac.policy.matchExpressions');
    return typeof when === 'string' ? when : { action: rbac.action ?? 'Allow', when };
  }],
  ['cors', (spec) => {
    const { disable, ...cors } = spec.cors as NonNullable<TrafficPolicySpec['cors']>;
    return disable ? false : { maxAge: 5, ...cors };
  }],
  ['timeouts', (spec) => {
    const request = spec.timeouts?.request;
    if (request === undefined) return undefined;
    return durationMs(request) === undefined ? `spec.timeouts.request ${JSON.stringify(request)} is not a duration` : { request };
  }],
  ['retry', (spec) => retryOf(spec.retry as NonNullable<TrafficPolicySpec['retry']>)],
  ['buffer', (spec) => {
    const b = spec.buffer as NonNullable<TrafficPolicySpec['buffer']>;
    if (b.disable) return false;
    let bytes: number;
    try {
      bytes = quantityOf(String(b.maxRequestSize));
    } catch {
      return `spec.buffer.maxRequestSize ${JSON.stringify(b.maxRequestSize)} is not a quantity`;
    }
    return Number.isSafeInteger(bytes) && bytes >= 0 ? { maxRequestBytes: bytes } : `spec.buffer.maxRequestSize ${JSON.stringify(b.maxRequestSize)} is not a whole number of bytes`;
  }],
  ['urlRewrite', (spec) => {
    const r = spec.urlRewrite?.pathRegex;
    if (!r) return undefined;
    const bad = regexProblem(r.pattern, 'spec.urlRewrite.pathRegex.pattern');
    if (bad) return bad;
    // The pattern and substitution are written inside single quotes within a converter's arguments.
    if (r.pattern.includes("'") || r.substitution.includes("'")) return "spec.urlRewrite.pathRegex: Portico cannot write a ' in a pattern or substitution";
    if (/\\g</.test(r.substitution)) return 'spec.urlRewrite.pathRegex.substitution: named groups (\\g<name>) are not supported; use \\1…\\9';
    if (CONTROL.test(r.substitution)) return 'spec.urlRewrite.pathRegex.substitution holds a control character';
    return { pattern: r.pattern, substitution: r.substitution };
  }],
  ['csrf', (spec) => {
    const c = spec.csrf as NonNullable<TrafficPolicySpec['csrf']>;
    if (c.percentageShadowed !== undefined) return 'spec.csrf.percentageShadowed is not supported by Portico (nothing is evaluated without being enforced)';
    if (c.percentageEnabled !== undefined && c.percentageEnabled !== 100) return 'spec.csrf.percentageEnabled: only 100 is supported';
    const origins: OriginMatcher[] = [];
    for (const [i, m] of (c.additionalOrigins ?? []).entries()) {
      const entries = (['exact', 'prefix', 'suffix', 'contains', 'safeRegex'] as const).filter((k) => m[k] !== undefined);
      if (entries.length !== 1) return `spec.csrf.additionalOrigins[${i}]: exactly one of exact, prefix, suffix, contains, safeRegex is required`;
      const kind = entries[0] as (typeof entries)[number];
      const value = m[kind] as string;
      if (CONTROL.test(value)) return `spec.csrf.additionalOrigins[${i}].${kind} holds a control character`;
      if (kind === 'safeRegex') {
        const bad = regexProblem(value, `spec.csrf.additionalOrigins[${i}].safeRegex`);
        if (bad) return bad;
      }
      origins.push({ type: kind === 'safeRegex' ? 'regex' : kind, value, ignoreCase: m.ignoreCase ?? false });
    }
    return { additionalOrigins: origins };
  }],
  ['compression', (spec) => {
    const rc = spec.compression?.responseCompression;
    return rc === undefined ? undefined : { response: !rc.disable };
  }],
];

/** What a policy asks for, or why it cannot be carried out. */
export function policySettings(object: TrafficPolicyObject, ctx: AuthContext): { settings: PolicySettings; problem?: string } {
  const spec = object.spec;
  const problems = unsupportedPaths(spec).map((p) => `${p} is not supported by Portico`);
  const settings: PolicySettings = {};
  if (spec.headerModifiers) {
    const { request, response } = spec.headerModifiers;
    const bad = headerProblem('spec.headerModifiers.request', request) ?? headerProblem('spec.headerModifiers.response', response);
    if (bad) problems.push(bad);
    settings.headerModifiers = { ...(request ? { request } : {}), ...(response ? { response } : {}) };
  }
  const bucket = spec.rateLimit?.local?.tokenBucket;
  if (spec.rateLimit?.local && !bucket) problems.push('spec.rateLimit.local: a tokenBucket is required');
  const key = spec.rateLimit?.local?.key;
  if (key?.type === 'Header' && !/^[A-Za-z0-9!*+.^_|~&-]+$/.test(key.header)) problems.push(`spec.rateLimit.local.key.header ${JSON.stringify(key.header)}: Portico takes header names of letters, digits and !*+.^_|~&- here`);
  if (bucket) {
    const r = rateLimitOf(bucket);
    if (typeof r === 'string') problems.push(r);
    else settings.rateLimit = key ? { ...r, key: key.type === 'Header' ? { type: 'Header', header: key.header.toLowerCase() } : { type: 'RemoteAddress' } } : r;
  }
  const take = <K extends 'extAuth' | 'basicAuth' | 'jwtAuth' | 'apiKeyAuth'>(field: K, r: PolicySettings[K] | string | undefined): void => {
    if (typeof r === 'string') problems.push(r);
    else if (r !== undefined) settings[field] = r;
  };
  if (spec.extAuth) take('extAuth', extAuthSettings(object, spec.extAuth, ctx));
  if (spec.basicAuth) take('basicAuth', basicAuthSettings(object, spec.basicAuth, ctx));
  if (spec.jwtAuth) take('jwtAuth', jwtAuthSettings(object, spec.jwtAuth, ctx));
  if (spec.apiKeyAuth) take('apiKeyAuth', apiKeyAuthSettings(object, spec.apiKeyAuth, ctx));
  for (const [field, read] of FIELD_READERS) {
    if (spec[field] === undefined) continue;
    const r = read(spec);
    if (typeof r === 'string') problems.push(r);
    else if (r !== undefined) (settings as Record<string, unknown>)[field] = r;
  }
  return problems.length > 0 ? { settings, problem: problems.join('; ') } : { settings };
}

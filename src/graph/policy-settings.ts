/**
 * What one TrafficPolicy asks for, field by field, or why it cannot be carried out. The fields
 * that name other objects (a GatewayExtension, a Secret) are looked up here, so what reaches the
 * merge (traffic-policies.ts) is complete: a policy whose references do not resolve is refused
 * like one with a field Portico lacks.
 */
import { durationMs } from '../api/durations.js';
import type { TokenBucket, TrafficPolicyObject } from '../api/policy-spec.js';
import type { HeaderModifier } from '../api/spec.js';
import { basicAuthSettings, extAuthSettings, jwtAuthSettings, type AuthContext, type BasicAuthSettings, type ExtAuthSettings, type JwtAuthSettings } from './policy-auth.js';

/** The fields Portico carries out. */
export const POLICY_FIELDS = ['headerModifiers', 'rateLimit', 'extAuth', 'basicAuth', 'jwtAuth'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** A local rate limit: at most `limit` requests in any `periodMs`, the token bucket's rate and burst. */
export interface RateLimitSettings {
  limit: number;
  periodMs: number;
  /** What the client is told to wait, in seconds: one fill interval. */
  retryAfterSeconds: number;
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
  if (bucket) {
    const r = rateLimitOf(bucket);
    if (typeof r === 'string') problems.push(r);
    else settings.rateLimit = r;
  }
  const take = <K extends 'extAuth' | 'basicAuth' | 'jwtAuth'>(field: K, r: PolicySettings[K] | string | undefined): void => {
    if (typeof r === 'string') problems.push(r);
    else if (r !== undefined) settings[field] = r;
  };
  if (spec.extAuth) take('extAuth', extAuthSettings(object, spec.extAuth, ctx));
  if (spec.basicAuth) take('basicAuth', basicAuthSettings(object, spec.basicAuth, ctx));
  if (spec.jwtAuth) take('jwtAuth', jwtAuthSettings(object, spec.jwtAuth, ctx));
  return problems.length > 0 ? { settings, problem: problems.join('; ') } : { settings };
}

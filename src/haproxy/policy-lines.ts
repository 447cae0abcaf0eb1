/**
 * The lines of the TrafficPolicy fields that are plain HAProxy directives of a rule's backend:
 * access control (rbac), the request body limit (buffer) and response compression, and the
 * timeouts and retries a policy gives rules that set none of their own.
 */
import type { IRHTTPRule, IRRbac, IRRequestTest, IRTrafficPolicy } from '../ir/model.js';
import { isFetchArgSafe, UnsafeValueError, word } from './quote.js';

function acl(t: IRRequestTest): string {
  switch (t.kind) {
    case 'sourceCidr':
      if (!/^[0-9a-fA-F.:]+\/[0-9]{1,3}$/.test(t.value)) throw new UnsafeValueError(`${t.value} is not a network`);
      return `src ${t.value}`;
    case 'header': {
      if (!isFetchArgSafe(t.name)) throw new UnsafeValueError(`${t.name} is not a header name`);
      return t.value === undefined ? `req.hdr(${t.name}) -m found` : `req.hdr(${t.name}) -m str ${word(t.value, 'header value')}`;
    }
    case 'method':
      if (!/^[A-Z]+$/.test(t.value)) throw new UnsafeValueError(`${t.value} is not a method`);
      return `method ${t.value}`;
    case 'path':
      return `path -m str ${word(t.value, 'path')}`;
    case 'pathQuery':
      return `pathq -m str ${word(t.value, 'path')}`;
    case 'pathPrefix':
      return `path -m beg ${word(t.value, 'path')}`;
  }
}

/** A disjunction of conjunctions as a HAProxy condition: `a b || c` (AND binds tighter). */
function condition(when: IRRbac['when']): string {
  if (when.length === 0) return 'FALSE';
  return when.map((all) => (all.length === 0 ? 'TRUE' : all.map((l) => `${l.negate ? '!' : ''}{ ${acl(l.test)} }`).join(' '))).join(' || ');
}

export function rbacLines(rbac: IRRbac): string[] {
  const keyword = rbac.action === 'Deny' ? 'if' : 'unless';
  return [`http-request return status 403 content-type text/plain string "access denied\\n" ${keyword} ${condition(rbac.when)}`];
}

/**
 * Bodies up to this size are buffered whole and measured, whatever their framing; larger limits
 * are checked against Content-Length only (HAProxy holds at most one buffer of body, 16 KiB).
 */
const BUFFERED_LIMIT = 8192;

export function bufferLines(maxBytes: number): string[] {
  const deny = 'http-request return status 413 content-type text/plain string "request body too large\\n"';
  const out = [`${deny} if { req.hdr_val(content-length) gt ${Math.trunc(maxBytes)} }`];
  if (maxBytes < BUFFERED_LIMIT) out.push(`http-request wait-for-body time 1s at-least ${Math.trunc(maxBytes) + 1}`, `${deny} if { req.body_size gt ${Math.trunc(maxBytes)} }`);
  return out;
}

/** kgateway's list: textual types worth compressing. */
const COMPRESSED_TYPES = ['application/javascript', 'application/json', 'application/xhtml+xml', 'image/svg+xml', 'text/css', 'text/html', 'text/plain', 'text/xml'];

export function compressionLines(): string[] {
  return ['compression algo gzip', `compression type ${COMPRESSED_TYPES.join(' ')}`];
}

/** The rule with the policy's timeouts and retries where the rule sets none: the route's own win. */
export function withPolicyDefaults(rule: IRHTTPRule, policy: IRTrafficPolicy): IRHTTPRule {
  const retry = rule.retry ?? (policy.retry ? { attempts: policy.retry.attempts, codes: policy.retry.codes, ...(policy.retry.backoff ? { backoff: policy.retry.backoff } : {}) } : undefined);
  const request = rule.timeouts?.request ?? policy.timeouts?.request;
  const backendRequest = rule.timeouts?.backendRequest ?? (rule.retry ? undefined : policy.retry ? policy.retry.perTryTimeout : undefined);
  if (retry === rule.retry && request === rule.timeouts?.request && backendRequest === rule.timeouts?.backendRequest) return rule;
  const timeouts = { ...(request !== undefined ? { request } : {}), ...(backendRequest !== undefined ? { backendRequest } : {}) };
  return { ...rule, ...(retry ? { retry } : {}), ...(Object.keys(timeouts).length > 0 ? { timeouts } : {}) };
}

/**
 * A regular expression or its substitution inside `regsub('…','…',g)` in a double-quoted
 * log-format: the outer quotes take backslashes, double quotes and dollars escaped; the inner
 * single quotes take everything but a single quote, which the graph refuses.
 */
function regsubArg(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (value.includes("'") || /[\u0000-\u001f\u007f]/.test(value)) throw new UnsafeValueError(`${what} ${JSON.stringify(value)} cannot be written in a converter argument`);
  return `'${value.replace(/[\\"$]/g, (c) => `\\${c}`)}'`;
}

/** A policy's path rewrite: every match replaced, the query kept. */
export function urlRewriteLines(r: NonNullable<IRTrafficPolicy['urlRewrite']>): string[] {
  return [`http-request set-path "%[path,regsub(${regsubArg(r.pattern, 'pattern')},${regsubArg(r.substitution, 'substitution')},g)]"`];
}

const ORIGIN_MATCH: Record<NonNullable<IRTrafficPolicy['csrf']>['additionalOrigins'][number]['type'], string> = { exact: 'str', prefix: 'beg', suffix: 'end', contains: 'sub', regex: 'reg' };

/**
 * CSRF: the source origin is the Origin header's host (with its port), else the Referer's; an
 * unsafe request without one, or from a host that is neither the request's nor allowed, is
 * refused, as Envoy's CSRF filter does.
 */
export function csrfLines(csrf: NonNullable<IRTrafficPolicy['csrf']>): string[] {
  const out = [
    `http-request set-var(txn.csrf) "req.hdr(origin),lower,regsub('^[a-z][a-z0-9+.-]*://([^/]*).*\\$','\\\\1')" if { req.hdr(origin) -m found } !{ req.hdr(origin) -m str null }`,
    `http-request set-var(txn.csrf) "req.hdr(referer),lower,regsub('^[a-z][a-z0-9+.-]*://([^/]*).*\\$','\\\\1')" if !{ var(txn.csrf) -m found } { req.hdr(referer) -m found }`,
    'http-request set-var(txn.csrh) req.hdr(host),lower',
    'http-request set-var(txn.csok) bool(true) if { var(txn.csrf),strcmp(txn.csrh) eq 0 }',
  ];
  for (const o of csrf.additionalOrigins) {
    const flag = o.ignoreCase && o.type !== 'regex' ? ' -i' : '';
    out.push(`http-request set-var(txn.csok) bool(true) if { var(txn.csrf) -m ${ORIGIN_MATCH[o.type]}${flag} ${word(o.value, 'origin')} }`);
  }
  out.push('http-request return status 403 content-type text/plain string "Invalid origin\\n" if !METH_GET !METH_HEAD !METH_OPTIONS !{ var(txn.csok) -m bool }');
  return out;
}

import type { RuleChecker, RuleProblem } from '../api/data-plane.js';
import type { HTTPRouteFilter } from '../api/spec.js';
import { PORTICO_GROUP } from '../api/kinds.js';
import { directResponseRef } from '../api/policy-spec.js';
import { corsProblem } from './cors.js';
import { regexProblem } from '../api/regex.js';
import { durationMs } from '../api/durations.js';
import type { IRMatch } from '../ir/model.js';
import { hasControlCharacter, isFetchArgSafe, UnsafeValueError } from './quote.js';
import { encodeGroup, MAX_GROUP_LINE } from './route-groups.js';

const NOT_YET: Record<string, string> = {
  ExtensionRef: `filter type ExtensionRef is supported only for kind DirectResponse of group ${PORTICO_GROUP}`,
  ExternalAuth: 'filter type ExternalAuth is not supported',
};

/** Filters a single backendRef can carry: each is applied in that backendRef's own HAProxy backend. */
const BACKEND_REF_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'URLRewrite', 'RequestRedirect']);

/** A cookie name as RFC 6265 allows it (a token), which HAProxy also takes as one word. */
const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
/**
 * A session header name: the letters, digits and -_. of header names in use. HAProxy reads it
 * inside sample fetch arguments, where quotes, parentheses and # have meanings of their own.
 */
const SESSION_HEADER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Why a rule's sessionPersistence cannot be carried out, or undefined. */
function sessionPersistenceProblem(
  p: { type?: string; sessionName?: string; absoluteTimeout?: string },
  backendRefFilters: boolean,
): string | undefined {
  const name = p.sessionName;
  if (p.type === 'Header') {
    if (name !== undefined && !SESSION_HEADER_NAME.test(name)) return `sessionPersistence.sessionName ${JSON.stringify(name)}: a session header name may hold letters, digits and -_. only (at most 64)`;
  } else if (name !== undefined && !COOKIE_NAME.test(name)) {
    return `sessionPersistence.sessionName ${JSON.stringify(name)} is not a cookie name (letters, digits and !#$%&'*+.^_\`|~-, at most 64)`;
  }
  if (p.absoluteTimeout !== undefined && durationMs(p.absoluteTimeout) === undefined) return `sessionPersistence.absoluteTimeout ${JSON.stringify(p.absoluteTimeout)} is not a duration`;
  // Each backendRef with filters is a backend of its own: one token cannot pin a server across them.
  if (backendRefFilters) return 'sessionPersistence on a rule whose backendRefs carry filters is not supported';
  return undefined;
}

function filterProblem(f: HTTPRouteFilter): string | undefined {
  // A DirectResponse is answered by the proxy itself (http-request return, the body from a file).
  if (directResponseRef(f)) return undefined;
  const notYet = NOT_YET[f.type];
  if (notYet) return notYet;
  if (f.type === 'CORS' && f.cors) return corsProblem(f.cors);
  const strings: string[] = [];
  for (const m of [f.requestHeaderModifier, f.responseHeaderModifier]) {
    for (const h of [...(m?.set ?? []), ...(m?.add ?? [])]) strings.push(h.name, h.value);
    strings.push(...(m?.remove ?? []));
  }
  if (f.requestRedirect) strings.push(f.requestRedirect.hostname ?? '', f.requestRedirect.path?.replaceFullPath ?? '', f.requestRedirect.path?.replacePrefixMatch ?? '');
  if (f.urlRewrite) strings.push(f.urlRewrite.hostname ?? '', f.urlRewrite.path?.replaceFullPath ?? '', f.urlRewrite.path?.replacePrefixMatch ?? '');
  const bad = strings.find((s) => hasControlCharacter(s));
  return bad !== undefined ? `filter ${f.type}: value ${JSON.stringify(bad)} contains a control character` : undefined;
}

/**
 * What the HAProxy renderer can carry out, checked per route rule before translation, so a rule
 * it cannot express is reported in the route's status (UnsupportedValue) instead of being
 * silently wrong. A filter or setting it cannot carry out keeps the rule in routing, answering
 * 500 (failing closed: its requests never reach the backend unfiltered, nor fall through to a
 * less specific rule); a match it cannot evaluate leaves the rule out.
 */
export const haproxyRuleProblem: RuleChecker = (rule) => {
  const closed = (message: string): RuleProblem => ({ message, answer500: true });
  const filters = 'filters' in rule ? (rule.filters ?? []) : [];
  const backendFilters = (rule.backendRefs ?? []).flatMap((b) => ((b as { filters?: HTTPRouteFilter[] }).filters ?? []));
  if ('sessionPersistence' in rule && rule.sessionPersistence) {
    const p = sessionPersistenceProblem(rule.sessionPersistence, backendFilters.length > 0);
    if (p) return closed(p);
  }
  const odd = backendFilters.find((f) => !BACKEND_REF_FILTERS.has(f.type));
  if (odd) return closed(`filter type ${odd.type} is not supported on a backendRef (only ${[...BACKEND_REF_FILTERS].join(', ')}); put it on the rule instead`);
  for (const f of [...filters, ...backendFilters]) {
    const p = filterProblem(f);
    if (p) return closed(p);
  }
  const problem = matchProblem(rule);
  return problem === undefined ? undefined : { message: problem };
};

type Condition = { type?: string; name: string; value: string };

/**
 * How long the match is as a candidate of a route group (route-groups.ts), which must fit one map
 * line; or why it cannot be encoded at all (text that is not valid UTF-16).
 */
function encodedLength(path: { type?: string; value?: string } | undefined, headers: Condition[], query: Condition[], method: string | undefined): number | string {
  const exactOr = (t: string | undefined) => (t === 'RegularExpression' ? 'RegularExpression' : 'Exact');
  const match: IRMatch = {
    path: { type: path?.type === 'RegularExpression' ? 'RegularExpression' : 'PathPrefix', value: path?.value ?? '/' },
    headers: headers.map((h) => ({ type: exactOr(h.type), name: h.name, value: h.value })),
    queryParams: query.map((q) => ({ type: exactOr(q.type), name: q.name, value: q.value })),
    ...(method !== undefined ? { method } : {}),
  };
  try {
    // The longest target a candidate can name: a backend "p<port>_r<hash>".
    return encodeGroup([{ match, target: `p65535_r${'x'.repeat(13)}` }]).length;
  } catch (e) {
    if (e instanceof UnsafeValueError) return e.message;
    throw e;
  }
}

function matchProblem(rule: Parameters<RuleChecker>[0]): string | undefined {
  for (const m of ('matches' in rule ? (rule.matches ?? []) : []) as Record<string, unknown>[]) {
    const headers = (m.headers ?? []) as Condition[];
    const query = (m.queryParams ?? []) as Condition[];
    for (const [what, list] of [['header', headers], ['query parameter', query]] as const) {
      for (const h of list) {
        if (!isFetchArgSafe(h.name)) return `${what} name ${JSON.stringify(h.name)} has characters Portico cannot match on`;
        if (hasControlCharacter(h.value)) return `${what} ${h.name}: value contains a control character`;
        if (h.type === 'RegularExpression') {
          const p = regexProblem(h.value, `${what} ${h.name}`);
          if (p) return p;
        }
      }
    }
    const path = m.path as { type?: string; value?: string } | undefined;
    // The CRD pattern keeps control characters out of Exact and PathPrefix values, not out of
    // regular expressions; the renderer would refuse the whole Gateway's configuration.
    if (path?.value !== undefined && hasControlCharacter(path.value)) return 'path: value contains a control character';
    if (path?.type === 'RegularExpression' && path.value !== undefined) {
      const p = regexProblem(path.value, 'path');
      if (p) return p;
    }
    const length = encodedLength(path, headers, query, typeof m.method === 'string' ? m.method : undefined);
    if (typeof length === 'string') return length;
    if (length > MAX_GROUP_LINE) return `the match's conditions are too long to route (${length} bytes once encoded; at most ${MAX_GROUP_LINE})`;
    const method = m.method as { type?: string; service?: string; method?: string } | undefined;
    if (method?.type === 'RegularExpression') {
      const p = regexProblem(`${method.service ?? ''}/${method.method ?? ''}`, 'gRPC method');
      if (p) return p;
    }
  }
  return undefined;
}

import type { RuleChecker, RuleProblem } from '../graph/routes.js';
import type { HTTPRouteFilter } from '../graph/spec.js';
import { corsProblem } from './cors.js';
import { hasControlCharacter, isFetchArgSafe } from './quote.js';

const NOT_YET: Record<string, string> = {
  ExtensionRef: 'filter type ExtensionRef is not supported',
  ExternalAuth: 'filter type ExternalAuth is not supported',
};

/** Filters a single backendRef can carry: each is applied in that backendRef's own HAProxy backend. */
const BACKEND_REF_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'URLRewrite']);

function regexProblem(source: string, where: string): string | undefined {
  try {
    new RegExp(source, 'u');
    return undefined;
  } catch {
    return `${where}: invalid regular expression ${JSON.stringify(source)}`;
  }
}

function filterProblem(f: HTTPRouteFilter): string | undefined {
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
  if ('sessionPersistence' in rule && rule.sessionPersistence) return closed('sessionPersistence is not supported yet');
  const filters = 'filters' in rule ? (rule.filters ?? []) : [];
  const backendFilters = (rule.backendRefs ?? []).flatMap((b) => ((b as { filters?: HTTPRouteFilter[] }).filters ?? []));
  const odd = backendFilters.find((f) => !BACKEND_REF_FILTERS.has(f.type));
  if (odd) return closed(`filter type ${odd.type} is not supported on a backendRef (only ${[...BACKEND_REF_FILTERS].join(', ')}); put it on the rule instead`);
  for (const f of [...filters, ...backendFilters]) {
    const p = filterProblem(f);
    if (p) return closed(p);
  }
  const problem = matchProblem(rule);
  return problem === undefined ? undefined : { message: problem };
};

function matchProblem(rule: Parameters<RuleChecker>[0]): string | undefined {
  for (const m of ('matches' in rule ? (rule.matches ?? []) : []) as Record<string, unknown>[]) {
    const headers = (m.headers ?? []) as { type?: string; name: string; value: string }[];
    const query = (m.queryParams ?? []) as { type?: string; name: string; value: string }[];
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
    const method = m.method as { type?: string; service?: string; method?: string } | undefined;
    if (method?.type === 'RegularExpression') {
      const p = regexProblem(`${method.service ?? ''}/${method.method ?? ''}`, 'gRPC method');
      if (p) return p;
    }
  }
  return undefined;
}

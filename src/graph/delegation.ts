/**
 * Route delegation (kgateway's): an HTTPRoute rule whose backendRefs name HTTPRoutes (by name, by
 * "*" for every HTTPRoute of a namespace, or by the label `delegation.kgateway.dev/label` through
 * `{group: delegation.kgateway.dev, kind: label}`) hands the requests it matches to the child
 * routes' rules. A child's rule serves the matches that stay within the parent's: its path under
 * the parent's path prefix, its headers and query parameters a superset of the parent's, the same
 * method. With the annotation `delegation.kgateway.dev/inherit-parent-matcher: "true"` the child's
 * matches are joined to the parent's instead (paths concatenated, the parent's headers, query
 * parameters and method added, the parent's winning on a name both set). Children delegate further
 * (up to MAX_DEPTH levels); a cycle is refused.
 *
 * Children take no hostnames (the parent's apply); a child with parentRefs accepts only the
 * parents they name; a child in another namespace than its parent must name it in its parentRefs
 * or allow it with a ReferenceGrant (kgateway needs neither: teams sharing a Gateway need a say in
 * who sends them traffic). Whatever is refused or dropped is reported in the parent's ResolvedRefs.
 */
import { GATEWAY_GROUP } from '../api/kinds.js';
import type { RuleChecker } from '../api/data-plane.js';
import type { BackendRef, HTTPRouteMatch, HTTPRouteRule, RouteObject } from '../api/spec.js';

/** An HTTPRoute: its rules are HTTPRouteRules. */
type HTTPRouteObject = RouteObject;
import type { BackendContext } from './backends.js';
import { byAge } from './gateways.js';
import { cond } from './conditions.js';
import type { Cond, GraphRoute } from './model.js';

export const DELEGATION_GROUP = 'delegation.kgateway.dev';
export const DELEGATION_LABEL = 'delegation.kgateway.dev/label';
export const INHERIT_MATCHER = 'delegation.kgateway.dev/inherit-parent-matcher';
/** The label selector's namespace that means every namespace. */
const ALL_NAMESPACES = 'all';
const MAX_DEPTH = 8;

/** A backendRef that names child routes rather than a backend. */
export function isDelegationRef(ref: { group?: string; kind?: string }): boolean {
  return (ref.group === GATEWAY_GROUP && ref.kind === 'HTTPRoute') || (ref.group === DELEGATION_GROUP && ref.kind === 'label');
}

/** One child rule that serves part of a parent rule, with the matches it serves there. */
export interface DelegatedRule {
  route: GraphRoute;
  ruleIndex: number;
  matches: HTTPRouteMatch[];
  /** Timeouts and retry of the nearest ancestor rule that set them, for a child rule that sets none. */
  inherited: Pick<HTTPRouteRule, 'timeouts' | 'retry'>;
}

const DEFAULT_MATCH: HTTPRouteMatch = { path: { type: 'PathPrefix', value: '/' } };
const keyOf = (o: { metadata: { name: string; namespace?: string } }) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/** Builds (once per translation) the GraphRoute of a child, its own backends resolved. */
export type ChildBuilder = (object: HTTPRouteObject) => GraphRoute;

export interface DelegationContext {
  backends: BackendContext;
  child: ChildBuilder;
  checkRule?: RuleChecker;
  /** Told of each parent a child answers to, with the child's Accepted condition for it. */
  delegatedBy?: (child: GraphRoute, parent: GraphRoute, accepted: Cond) => void;
}

function children(parent: GraphRoute, ref: BackendRef, ctx: DelegationContext): HTTPRouteObject[] {
  const ns = parent.object.metadata.namespace ?? 'default';
  const all = ctx.backends.resources.list<HTTPRouteObject>('HTTPRoute');
  let found: HTTPRouteObject[];
  if (ref.group === DELEGATION_GROUP) {
    const where = ref.namespace ?? ns;
    found = all.filter((r) => r.metadata.labels?.[DELEGATION_LABEL] === ref.name && (where === ALL_NAMESPACES || (r.metadata.namespace ?? 'default') === where));
  } else {
    const where = ref.namespace ?? ns;
    found = all.filter((r) => (r.metadata.namespace ?? 'default') === where && (ref.name === '*' || r.metadata.name === ref.name));
  }
  return found.filter((r) => r !== parent.object).sort(byAge);
}

/** Why `child` does not take delegation from `parent`, or undefined. */
function refusal(parent: GraphRoute, child: HTTPRouteObject, ctx: DelegationContext): string | undefined {
  const pns = parent.object.metadata.namespace ?? 'default';
  const cns = child.metadata.namespace ?? 'default';
  if ((child.spec.hostnames ?? []).length > 0) return 'it sets hostnames (a child takes its parent\'s)';
  const routeParents = (child.spec.parentRefs ?? []).filter((p) => (p.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && p.kind === 'HTTPRoute');
  const named = routeParents.some((p) => p.name === parent.object.metadata.name && (p.namespace ?? cns) === pns);
  if (routeParents.length > 0 && !named) return `its parentRefs do not name HTTPRoute ${parent.key}`;
  if (pns !== cns && !named && !ctx.backends.grants.allows({ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: pns }, { group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: cns, name: child.metadata.name })) {
    return `it is in another namespace, and neither names HTTPRoute ${parent.key} in its parentRefs nor allows it with a ReferenceGrant`;
  }
  return undefined;
}

const sameMatch = (a: { name: string; value: string; type?: string }, b: { name: string; value: string; type?: string }) =>
  a.name.toLowerCase() === b.name.toLowerCase() && a.value === b.value && (a.type ?? 'Exact') === (b.type ?? 'Exact');

/** The child's match when it stays within the parent's, or why not. */
function within(parent: HTTPRouteMatch, child: HTTPRouteMatch): HTTPRouteMatch | string {
  const pp = parent.path ?? DEFAULT_MATCH.path;
  const cp = child.path ?? DEFAULT_MATCH.path;
  if (pp?.type !== 'PathPrefix') return `the parent's path match is ${pp?.type}, and delegation needs a PathPrefix`;
  if (!(cp?.value ?? '/').startsWith(pp.value ?? '/')) return `path ${cp?.value} is not under the parent's prefix ${pp.value}`;
  if (!(parent.headers ?? []).every((h) => (child.headers ?? []).some((c) => sameMatch(h, c)))) return "its headers do not include the parent's";
  if (!(parent.queryParams ?? []).every((q) => (child.queryParams ?? []).some((c) => sameMatch(q, c)))) return "its query parameters do not include the parent's";
  if (parent.method && child.method !== parent.method) return `its method is not the parent's ${parent.method}`;
  return child;
}

/** The child's match joined to the parent's (inherit-parent-matcher). */
function joined(parent: HTTPRouteMatch, child: HTTPRouteMatch): HTTPRouteMatch {
  const pp = parent.path?.value ?? '/';
  const cp = child.path?.value ?? '';
  const value = `${pp.replace(/\/+$/, '')}${cp.startsWith('/') ? cp : `/${cp}`}`.replace(/\/+$/, '') || '/';
  const byName = <T extends { name: string }>(mine: readonly T[] | undefined, theirs: readonly T[] | undefined): T[] => [
    ...(theirs ?? []),
    ...(mine ?? []).filter((m) => !(theirs ?? []).some((t) => t.name.toLowerCase() === m.name.toLowerCase())),
  ];
  const headers = byName(child.headers, parent.headers);
  const queryParams = byName(child.queryParams, parent.queryParams);
  const method = parent.method ?? child.method;
  return {
    path: { type: child.path?.type ?? parent.path?.type ?? 'PathPrefix', value: child.path ? value : pp },
    ...(headers.length > 0 ? { headers } : {}),
    ...(queryParams.length > 0 ? { queryParams } : {}),
    ...(method ? { method } : {}),
  };
}

/**
 * The child rules a parent rule delegates to, each with the matches it serves, and what was
 * refused or dropped on the way (for the parent's status). Pure, given the child builder.
 */
export function delegatedRules(
  parent: GraphRoute,
  ruleIndex: number,
  ctx: DelegationContext,
  parentMatches?: HTTPRouteMatch[],
  inherited: DelegatedRule['inherited'] = {},
  chain: readonly string[] = [],
): { rules: DelegatedRule[]; problems: string[] } {
  const rule = (parent.object.spec.rules ?? [])[ruleIndex] as HTTPRouteRule;
  const matches = parentMatches ?? (rule.matches && rule.matches.length > 0 ? rule.matches : [DEFAULT_MATCH]);
  const carried = { ...inherited, ...(rule.timeouts ? { timeouts: rule.timeouts } : {}), ...(rule.retry ? { retry: rule.retry } : {}) };
  const rules: DelegatedRule[] = [];
  const problems: string[] = [];
  const path = [...chain, parent.key];
  for (const ref of (rule.backendRefs ?? []).filter(isDelegationRef)) {
    const found = children(parent, ref, ctx);
    const what = ref.group === DELEGATION_GROUP ? `HTTPRoutes labelled ${ref.name}` : `HTTPRoute ${ref.namespace ?? parent.object.metadata.namespace ?? 'default'}/${ref.name}`;
    if (found.length === 0) problems.push(`${what}: none found`);
    for (const object of found) {
      const key = keyOf(object);
      if (path.includes(key)) {
        problems.push(`HTTPRoute ${key}: delegation cycle (${[...path, key].join(' → ')})`);
        continue;
      }
      if (path.length >= MAX_DEPTH) {
        problems.push(`HTTPRoute ${key}: more than ${MAX_DEPTH} levels of delegation`);
        continue;
      }
      const why = refusal(parent, object, ctx);
      if (why) {
        problems.push(`HTTPRoute ${key} does not take delegation from ${parent.key}: ${why}`);
        // A child that does not consent says nothing; one that would, but sets hostnames, is told why not.
        if ((object.spec.hostnames ?? []).length > 0) ctx.delegatedBy?.(ctx.child(object), parent, cond('Accepted', false, 'UnsupportedValue', "spec.hostnames must be unset on a route that is delegated to: it takes its parent's"));
        continue;
      }
      const child = ctx.child(object);
      ctx.delegatedBy?.(child, parent, cond('Accepted', true, 'Accepted', `Route is delegated to by HTTPRoute ${parent.key}`));
      const inherit = object.metadata.annotations?.[INHERIT_MATCHER] === 'true';
      (object.spec.rules ?? []).forEach((raw, j) => {
        const childRule = raw as HTTPRouteRule;
        if (child.invalidRules.has(j)) {
          problems.push(`HTTPRoute ${key} rule ${j} is dropped: ${child.invalidRules.get(j) ?? ''}`);
          return;
        }
        const own = childRule.matches && childRule.matches.length > 0 ? childRule.matches : [DEFAULT_MATCH];
        const served: HTTPRouteMatch[] = [];
        for (const pm of matches) {
          for (const cm of own) {
            const m = inherit ? joined(pm, cm) : within(pm, cm);
            if (typeof m === 'string') problems.push(`HTTPRoute ${key} rule ${j}: a match is dropped: ${m}`);
            else served.push(m);
          }
        }
        if (served.length === 0) return;
        if ((childRule.backendRefs ?? []).some(isDelegationRef)) {
          const deeper = delegatedRules(child, j, ctx, served, carried, path);
          rules.push(...deeper.rules);
          problems.push(...deeper.problems);
        } else rules.push({ route: child, ruleIndex: j, matches: served, inherited: carried });
      });
    }
  }
  return { rules, problems };
}

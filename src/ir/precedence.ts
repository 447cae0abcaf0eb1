import type { IRHTTPRule } from './model.js';

const PATH_RANK = { Exact: 0, PathPrefix: 1, RegularExpression: 2 } as const;

export interface Ranked {
  rule: IRHTTPRule;
  /** RFC 3339 creation time of the route, "" when unknown. */
  created: string;
}

/**
 * Orders the rules of one virtual host as the Gateway API requires: exact path, then the longest
 * prefix, then method, most header matches, most query matches; ties go to the oldest route,
 * then namespace/name, then rule and match order within the route.
 */
export function compareRules(a: Ranked, b: Ranked): number {
  const ma = a.rule.match;
  const mb = b.rule.match;
  return (
    PATH_RANK[ma.path.type] - PATH_RANK[mb.path.type] ||
    mb.path.value.length - ma.path.value.length ||
    (mb.method ? 1 : 0) - (ma.method ? 1 : 0) ||
    mb.headers.length - ma.headers.length ||
    mb.queryParams.length - ma.queryParams.length ||
    cmp(a.created, b.created) ||
    cmp(a.rule.route.namespace, b.rule.route.namespace) ||
    cmp(a.rule.route.name, b.rule.route.name) ||
    cmp(a.rule.route.kind, b.rule.route.kind) ||
    a.rule.ruleIndex - b.rule.ruleIndex
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

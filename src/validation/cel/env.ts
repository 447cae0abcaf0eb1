import { CelScalar, celEnv, celFunc, type CelEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
// @bufbuild/re2 is the RE2 engine @bufbuild/cel itself uses (installed as its dependency);
// imported directly only to cache compiled patterns, which cel does not.
import { RE2JS } from '@bufbuild/re2';
import { kubernetesLibrary } from './k8s-library.js';

export interface Matcher {
  test(text: string): boolean;
}

const compiled = new Map<string, Matcher>();
/** Rules could build patterns from data; keep the cache from growing without bound. */
const MAX_CACHED = 1000;

/**
 * RE2 semantics for `matches`, like the API server (Go regexp), with each pattern compiled
 * once: the rules use a handful of literal patterns, evaluated for every route.
 */
export function compileRegex(pattern: string): Matcher {
  let m = compiled.get(pattern);
  if (!m) {
    const re = RE2JS.compile(pattern);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    m = { test: (text: string) => re.test(text) };
    compiled.set(pattern, m);
  }
  return m;
}

const re2 = { compile: compileRegex };

/** Variables a rule may reference: `self`, and `oldSelf` in transition rules. */
export const RULE_VARIABLES = { self: CelScalar.DYN, oldSelf: CelScalar.DYN } as const;

/**
 * The CEL environment of CRD validation rules: the standard library, the strings extension and
 * the Kubernetes libraries the Gateway API rules use.
 */
export const ruleEnv: CelEnv = celEnv({
  variables: RULE_VARIABLES,
  // CEL also has matches() as a global function (`matches(self, 're')`), which the library lacks.
  funcs: [...strings, ...kubernetesLibrary, celFunc('matches', [CelScalar.STRING, CelScalar.STRING], CelScalar.BOOL, (text, pattern) => compileRegex(pattern).test(text))],
  re2,
});

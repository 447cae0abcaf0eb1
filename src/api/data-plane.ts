/**
 * What a data plane tells the core. The core knows no data plane: where the program is wired
 * (src/runtime, src/cli) a data plane's rule checker goes into translation, and its state per
 * Gateway comes back into the next translation's conditions.
 */
import type { RouteKind } from './kinds.js';
import type { RouteObject } from './spec.js';

export type RouteRule = NonNullable<RouteObject['spec']['rules']>[number];

/** Why the data plane cannot program a rule; `answer500`: keep it in routing, answering 500 (see GraphRoute.closedRules). */
export interface RuleProblem {
  message: string;
  answer500?: boolean;
}

/** Why a rule cannot be programmed by the data plane, or undefined when it can. */
export type RuleChecker = (rule: RouteRule, kind: RouteKind) => RuleProblem | undefined;

/** A checker for a data plane that programs every rule the API allows (tests, `--data-plane none` callers). */
export const acceptEveryRule: RuleChecker = () => undefined;

/** How the data plane serves one Gateway, as reported after it applied an IR. */
export type DataPlaneState =
  | {
      programmed: true;
      /** Listeners (by listenerKey) the data plane does not serve, with why: the rest are served. */
      unservedListeners?: Readonly<Record<string, string>>;
      /** Routes ("Kind/namespace/name") the data plane refused and serves the Gateway without, with why. */
      refusedRoutes?: Readonly<Record<string, string>>;
    }
  | { programmed: false; reason: 'Pending' | 'Invalid'; message: string };

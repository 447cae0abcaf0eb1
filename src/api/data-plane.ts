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

/**
 * A Gateway's data plane configuration as shown to people (the admin API's web view): the text
 * the data plane runs, with secrets left out, and the parts of it that came from each listener
 * port and each route.
 */
export interface GatewayConfigView {
  /** What the text is, e.g. "haproxy.cfg". */
  format: string;
  text: string;
  /** By port: the sections that serve it. */
  ports: Record<string, string>;
  /** By route "Kind/namespace/name": the sections and routing map lines made from it. */
  routes: Record<string, string>;
}

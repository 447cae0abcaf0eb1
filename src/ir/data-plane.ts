import type { DataPlaneState, GatewayConfigView, RuleChecker } from '../api/data-plane.js';
import type { IR } from './model.js';

/**
 * The seam between the control plane and whatever serves traffic. The runtime hands it each
 * new IR; it answers with the state of each Gateway, which feeds the Gateways' Programmed
 * condition on the next translation.
 */
export interface DataPlane {
  /** What this data plane cannot program; translation reports it in the route's status. */
  readonly checkRule: RuleChecker;
  /**
   * Makes the data plane serve `ir`. Resolves with the state per Gateway "namespace/name";
   * a Gateway absent from the map counts as programmed (see TranslateOptions.dataPlane).
   * Rejects only when nothing could be applied at all.
   */
  apply(ir: IR): Promise<Map<string, DataPlaneState>>;
  /**
   * The configuration serving a Gateway "namespace/name" now, for people to read; undefined when
   * none is running. Asked only when someone looks: it may do the work of preparing it then.
   */
  describe?(gateway: string): GatewayConfigView | undefined;
  close(): Promise<void>;
}

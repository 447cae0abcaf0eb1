import type { IR } from '../ir/model.js';
import type { DataPlaneState } from '../pipeline/translate.js';

/**
 * The seam between the control plane and whatever serves traffic. The runtime hands it each
 * new IR; it answers with the state of each Gateway, which feeds the Gateways' Programmed
 * condition on the next translation.
 */
export interface DataPlane {
  /**
   * Makes the data plane serve `ir`. Resolves with the state per Gateway "namespace/name";
   * a Gateway absent from the map counts as programmed (see TranslateOptions.dataPlane).
   * Rejects only when nothing could be applied at all.
   */
  apply(ir: IR): Promise<Map<string, DataPlaneState>>;
  close(): Promise<void>;
}

/** A data plane that serves nothing and reports every Gateway of the IR programmed. */
export class NullDataPlane implements DataPlane {
  /** The last IR applied, for tests. */
  lastIr: IR | undefined = undefined;
  applied = 0;

  async apply(ir: IR): Promise<Map<string, DataPlaneState>> {
    this.lastIr = ir;
    this.applied++;
    return new Map(ir.gateways.map((g) => [g.name, { programmed: true }]));
  }

  async close(): Promise<void> {}
}

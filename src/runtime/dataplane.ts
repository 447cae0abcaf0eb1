import { acceptEveryRule, type DataPlaneState, type RuleChecker } from '../api/data-plane.js';
import type { DataPlane } from '../ir/data-plane.js';
import type { IR } from '../ir/model.js';

export type { DataPlane } from '../ir/data-plane.js';

/**
 * A data plane that serves nothing and reports every Gateway of the IR programmed. It reports
 * rules as the data plane it stands in for would (`checkRule`), so status reads the same.
 */
export class NullDataPlane implements DataPlane {
  /** The last IR applied, for tests. */
  lastIr: IR | undefined = undefined;
  applied = 0;

  constructor(readonly checkRule: RuleChecker = acceptEveryRule) {}

  async apply(ir: IR): Promise<Map<string, DataPlaneState>> {
    this.lastIr = ir;
    this.applied++;
    return new Map(ir.gateways.map((g) => [g.name, { programmed: true }]));
  }

  async close(): Promise<void> {}
}

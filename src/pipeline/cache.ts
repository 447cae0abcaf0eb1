import type { ResourceSet } from '../store/resources.js';
import { GraphMemo, InputTracker } from '../graph/memo.js';
import { IRMemo } from '../ir/memo.js';
import { StatusMemo } from '../status/memo.js';

/**
 * Memory between translations so that editing one route of many re-does the work of that route
 * and its Gateway only: one typed memo per stage over one input tracker (graph/memo.ts says
 * when an entry goes stale). Never changes a translation's result.
 */
export class TranslationCache {
  readonly inputs = new InputTracker();
  readonly graph = new GraphMemo(this.inputs);
  readonly status = new StatusMemo();
  readonly ir = new IRMemo(this.inputs);

  /** Drops whatever the new snapshot may have made stale. */
  update(resources: ResourceSet, optionsKey: string): void {
    const change = this.inputs.update(resources, optionsKey);
    this.graph.invalidate(change);
    this.ir.invalidate(change);
  }
}

import type { Condition } from '../api/object.js';
import type { Cond } from '../graph/model.js';

function asConditions(value: unknown): Condition[] {
  return Array.isArray(value) ? (value as Condition[]) : [];
}

/**
 * Stamps graph conditions with observedGeneration and lastTransitionTime. The time is kept from
 * the previous status while the condition's status value is unchanged, as the API conventions ask.
 */
export function stampConditions(conds: readonly Cond[], generation: number | undefined, previous: unknown, now: string): Condition[] {
  const before = asConditions(previous);
  return conds.map((c) => {
    const prior = before.find((p) => p.type === c.type);
    return {
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      lastTransitionTime: prior && prior.status === c.status && prior.lastTransitionTime ? prior.lastTransitionTime : now,
    };
  });
}

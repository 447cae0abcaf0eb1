import type { Cond } from './model.js';

export const cond = (type: string, ok: boolean, reason: string, message: string): Cond => ({
  type,
  status: ok ? 'True' : 'False',
  reason,
  message,
});

/** Replaces the condition of the same type, or appends it. */
export function setCond(conditions: Cond[], next: Cond): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
}

export function getCond(conditions: readonly Cond[], type: string): Cond | undefined {
  return conditions.find((c) => c.type === type);
}

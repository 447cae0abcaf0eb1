import type { KubeObject } from '../api/object.js';

/** Which Gateway API CRD bundle objects are checked against. */
export type Channel = 'standard' | 'experimental';

export interface FieldProblem {
  /** Field path from the object root, e.g. "spec.listeners[0].hostname"; "" for the object as a whole. */
  path: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  /** When ok: the object as the API server would store it (defaulted, pruned, apiVersion normalized). */
  object?: KubeObject;
  /** Why the object is refused; empty when ok. */
  problems: FieldProblem[];
  /** Things the API server would accept silently or with a warning, e.g. dropped unknown fields. */
  warnings: string[];
}

/**
 * Validation of objects read from files: what a Kubernetes API server would refuse, refused here,
 * and what it would store (defaults applied, unknown fields pruned), returned.
 */
export { Validator } from './validator.js';
export type { Channel, FieldProblem, ValidationResult } from './types.js';

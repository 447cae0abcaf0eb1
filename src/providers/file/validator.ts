import type { KubeObject } from '../../api/object.js';

/**
 * What the file provider needs from validation: the shape of src/validation's Validator, stated
 * here so the provider can be tested with a stand-in and does not depend on how validation works.
 */
export interface ObjectValidator {
  validate(obj: KubeObject): {
    ok: boolean;
    /** The object as stored: defaulted, pruned, apiVersion normalized, namespace defaulted. */
    object?: KubeObject;
    problems: ReadonlyArray<{ path: string; message: string }>;
    warnings: readonly string[];
  };
}

import type { KubeObject } from '../../api/object.js';

/**
 * What the file provider needs from validation: the shape of src/validation's Validator, stated
 * here so the provider can be tested with a stand-in and does not depend on how validation works.
 */
export interface ObjectValidator {
  /**
   * `options.owned`: the caller gives the object away (a parser made it for this call and shares
   * no part of it), so the validator may default and prune it in place instead of a copy.
   */
  validate(obj: KubeObject, options?: { owned?: boolean }): {
    ok: boolean;
    /** The object as stored: defaulted, pruned, apiVersion normalized, namespace defaulted. */
    object?: KubeObject;
    problems: ReadonlyArray<{ path: string; message: string }>;
    warnings: readonly string[];
  };
}

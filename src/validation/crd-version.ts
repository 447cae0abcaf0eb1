import type { ValidateFunction } from 'ajv';
import { SchemaRules } from './cel/rules.js';
import type { JsonObject } from './json.js';
import { describeAjvErrors } from './schema/ajv-errors.js';
import { compileSchema } from './schema/ajv.js';
import { validateListTypes } from './schema/list-types.js';
import { pruneAndDefault } from './schema/prune-default.js';
import type { Schema } from './schema/structural.js';
import type { FieldProblem } from './types.js';

/** Left exactly as given: the envelope is checked elsewhere, status is not ours to validate on input. */
const UNTOUCHED: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

export const BLOCKED_RULES_MESSAGE =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/**
 * Everything compiled for one served version of one CRD: the schema for pruning and defaulting,
 * the ajv validator, and the CEL rules. Built once and reused for every object of that version.
 */
export class CrdVersionValidator {
  private readonly prepareSchema: Schema;
  private readonly checkSchema: Schema;
  private readonly schemaCheck: ValidateFunction;
  readonly rules: SchemaRules;

  constructor(
    readonly kind: string,
    readonly version: string,
    root: Schema,
  ) {
    const envelope = { apiVersion: { type: 'string' }, kind: { type: 'string' } } as const;
    this.prepareSchema = { ...root, properties: { ...root.properties, ...envelope, metadata: UNTOUCHED, status: UNTOUCHED } };
    const { status: _status, ...checked } = root.properties ?? {};
    this.checkSchema = {
      ...root,
      properties: { ...checked, ...envelope, metadata: { type: 'object' } },
      required: root.required?.filter((r) => r !== 'status'),
    };
    this.schemaCheck = compileSchema(this.checkSchema);
    this.rules = new SchemaRules(this.checkSchema);
  }

  /** Structural pruning and defaulting, in place; dropped fields become warnings. */
  prepare(obj: JsonObject, warnings: string[]): void {
    pruneAndDefault(obj, this.prepareSchema, '', warnings);
  }

  /**
   * Schema, list-type and CEL validation of a prepared object, in the API server's order.
   * `blocked`: an earlier (metadata) problem already keeps CEL rules from running.
   */
  check(obj: JsonObject, problems: FieldProblem[], blocked = false): void {
    for (const f of this.rules.failures) {
      problems.push({ path: '', message: `internal error: validation rule at ${f.location} does not compile (${f.error}): ${f.rule}` });
    }
    let blocking = blocked;
    if (!this.schemaCheck(obj)) {
      const described = describeAjvErrors(this.schemaCheck.errors ?? [], obj, this.checkSchema);
      problems.push(...described.problems);
      blocking ||= described.blocking;
    }
    validateListTypes(obj, this.checkSchema, '', problems);
    // Rules are written for objects of the declared shape; the API server skips them all otherwise.
    if (blocking) problems.push({ path: '', message: BLOCKED_RULES_MESSAGE });
    else this.rules.validate(obj, this.checkSchema, '', problems);
  }
}

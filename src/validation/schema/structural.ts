/**
 * The subset of a Kubernetes structural schema (CRD openAPIV3Schema) that validation reads.
 * Structural schemas put a type on every node and keep allOf/anyOf/oneOf/not free of types,
 * which is what lets pruning and defaulting follow `properties`/`items` alone.
 */

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  optionalOldSelf?: boolean;
}

export interface Schema {
  type?: SchemaType;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  default?: unknown;
  nullable?: boolean;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  maximum?: number;
  minimum?: number;
  /** OpenAPI 3.0 style: a boolean modifying maximum/minimum. */
  exclusiveMaximum?: boolean;
  exclusiveMinimum?: boolean;
  multipleOf?: number;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: ValidationRule[];
}

/** Schema of the entries of a map-typed object (additionalProperties), if it is one. */
export function mapValueSchema(schema: Schema): Schema | undefined {
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** Schema of field `key` of an object node: a declared property or a map entry. */
export function fieldSchema(schema: Schema, key: string): Schema | undefined {
  return schema.properties?.[key] ?? mapValueSchema(schema);
}

/** Child schemas reachable through data (not through allOf/anyOf/…): what a data walk visits. */
export function* childSchemas(schema: Schema): Generator<Schema> {
  if (schema.properties) yield* Object.values(schema.properties);
  const map = mapValueSchema(schema);
  if (map) yield map;
  if (schema.items) yield schema.items;
}

/**
 * Memoize a predicate "does this node or anything below it need a walk", so data walks can skip
 * whole subtrees (most of a route has no list-type or CEL constraint).
 */
export function subtreePredicate(own: (schema: Schema) => boolean): (schema: Schema) => boolean {
  const memo = new WeakMap<Schema, boolean>();
  const test = (schema: Schema): boolean => {
    const known = memo.get(schema);
    if (known !== undefined) return known;
    memo.set(schema, false); // structural schemas are trees, but guard against cycles anyway
    let result = own(schema);
    if (!result) for (const child of childSchemas(schema)) if (test(child)) { result = true; break; }
    memo.set(schema, result);
    return result;
  };
  return test;
}

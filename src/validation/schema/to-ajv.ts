import type { SchemaObject } from 'ajv';
import { STRING_FORMATS } from './formats.js';
import type { Schema } from './structural.js';

/** Value validations that mean the same in OpenAPI 3.0 and in the JSON Schema dialect ajv speaks. */
const COPIED = [
  'enum', 'pattern', 'maxLength', 'minLength', 'multipleOf', 'maxItems', 'minItems', 'uniqueItems',
  'maxProperties', 'minProperties', 'required',
] as const;

/**
 * Translate a Kubernetes structural schema into plain JSON Schema for ajv: drop what only the
 * API server interprets (x-kubernetes-*, defaults, descriptions; pruning, defaulting, list
 * types and CEL are handled by their own passes), spell int-or-string and nullable as type
 * unions, turn OpenAPI 3.0's boolean exclusive bounds into numbers, and keep only the formats
 * the API server validates.
 */
export function toAjvSchema(schema: Schema): SchemaObject {
  const out: SchemaObject = {};
  const nullable = schema.nullable === true;
  if (schema['x-kubernetes-int-or-string'] === true) out.type = nullable ? ['integer', 'string', 'null'] : ['integer', 'string'];
  else if (schema.type !== undefined) out.type = nullable ? [schema.type, 'null'] : schema.type;

  for (const key of COPIED) if (schema[key] !== undefined) out[key] = schema[key];
  if (nullable && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];

  if (schema.maximum !== undefined) out[schema.exclusiveMaximum === true ? 'exclusiveMaximum' : 'maximum'] = schema.maximum;
  if (schema.minimum !== undefined) out[schema.exclusiveMinimum === true ? 'exclusiveMinimum' : 'minimum'] = schema.minimum;
  if (schema.format !== undefined && schema.format in STRING_FORMATS) out.format = schema.format;

  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, toAjvSchema(v)]));
  }
  if (typeof schema.additionalProperties === 'object') out.additionalProperties = toAjvSchema(schema.additionalProperties);
  if (schema.items) out.items = toAjvSchema(schema.items);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (list) out[key] = list.map(toAjvSchema);
  }
  if (schema.not) out.not = toAjvSchema(schema.not);
  return out;
}

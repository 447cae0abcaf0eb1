import { deepCopy, isObject } from '../json.js';
import { childPath, indexPath, keyPath } from '../paths.js';
import type { Schema } from './structural.js';

/** Properties of a node that carry a default, computed once per schema node. */
const defaultedProps = new WeakMap<Schema, Array<[string, Schema]>>();

function defaultsOf(schema: Schema): Array<[string, Schema]> {
  let list = defaultedProps.get(schema);
  if (!list) {
    list = Object.entries(schema.properties ?? {}).filter(([, prop]) => prop.default !== undefined);
    defaultedProps.set(schema, list);
  }
  return list;
}

const isNonNullableNull = (value: unknown, schema: Schema): boolean => value === null && schema.nullable !== true;

/**
 * Prune and default `value` in place, the way the API server decodes a custom resource:
 * fields the schema does not know are dropped (with a warning) unless
 * x-kubernetes-preserve-unknown-fields says otherwise; nulls in non-nullable fields are
 * dropped; absent fields with a default get a copy of it, and defaults apply recursively, also
 * inside defaulted values. Values of the wrong type are left alone for validation to report.
 * Returns the value to store (a list item that was null may be replaced by its default).
 */
export function pruneAndDefault(value: unknown, schema: Schema, path: string, warnings: string[]): unknown {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return value;
    for (let i = 0; i < value.length; i++) {
      if (items.default !== undefined && isNonNullableNull(value[i], items)) value[i] = deepCopy(items.default);
      else value[i] = pruneAndDefault(value[i], items, indexPath(path, i), warnings);
    }
    return value;
  }
  if (!isObject(value)) return value;

  const props = schema.properties;
  const mapSchema = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const keepUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  for (const key of Object.keys(value)) {
    const prop = props?.[key];
    if (prop) {
      // A null with a default is replaced below; without one it is dropped.
      if (isNonNullableNull(value[key], prop)) {
        if (prop.default === undefined) delete value[key];
      } else {
        value[key] = pruneAndDefault(value[key], prop, childPath(path, key), warnings);
      }
    } else if (mapSchema) {
      if (isNonNullableNull(value[key], mapSchema)) delete value[key];
      else value[key] = pruneAndDefault(value[key], mapSchema, keyPath(path, key), warnings);
    } else if (!keepUnknown && !(schema['x-kubernetes-embedded-resource'] === true && EMBEDDED_ROOT_FIELDS.has(key))) {
      delete value[key];
      warnings.push(`${childPath(path, key)}: unknown field, dropped`);
    }
  }
  for (const [key, prop] of defaultsOf(schema)) {
    const current = value[key];
    if (current === undefined || isNonNullableNull(current, prop)) {
      value[key] = pruneAndDefault(deepCopy(prop.default), prop, childPath(path, key), warnings);
    }
  }
  return value;
}

/** An embedded resource always keeps its envelope. */
const EMBEDDED_ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

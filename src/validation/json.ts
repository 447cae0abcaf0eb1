/** Plain-JSON helpers: the validator only ever sees data that came out of a YAML or JSON parser. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy of JSON-shaped data; much cheaper than structuredClone for small documents. */
export function deepCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) out[key] = deepCopy((value as JsonObject)[key]);
  return out as T;
}

export { canonicalJson } from '../store/canonical.js';

/**
 * A value as the API server prints it in "Invalid value: X": strings quoted, numbers bare,
 * composite values by their type name.
 */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return 'null';
  return Array.isArray(value) ? '"array"' : '"object"';
}

/** JSON type name as used in "must be of type X" messages. */
export function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

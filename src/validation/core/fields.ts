import { isObject, renderValue, type JsonObject } from '../json.js';
import { typeError } from '../meta/object-meta.js';
import type { FieldProblem } from '../types.js';

/** Small typed readers for core kinds, which have no schema here: wrong types become problems. */

export function notSupported(path: string, value: unknown, supported: readonly string[]): FieldProblem {
  return { path, message: `Unsupported value: ${renderValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` };
}

export function invalid(path: string, value: unknown, message: string): FieldProblem {
  return { path, message: `Invalid value: ${renderValue(value)}: ${message}` };
}

export function optionalString(obj: JsonObject, key: string, path: string, problems: FieldProblem[]): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  problems.push(typeError(path, v, 'string'));
  return undefined;
}

export function optionalInt(obj: JsonObject, key: string, path: string, problems: FieldProblem[]): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  problems.push(typeError(path, v, 'integer'));
  return undefined;
}

export function optionalBool(obj: JsonObject, key: string, path: string, problems: FieldProblem[]): void {
  const v = obj[key];
  if (v !== undefined && v !== null && typeof v !== 'boolean') problems.push(typeError(path, v, 'boolean'));
}

/** A string field with a server-side default, written back when absent. */
export function defaultedString(obj: JsonObject, key: string, fallback: string, path: string, problems: FieldProblem[]): string | undefined {
  if (obj[key] === undefined || obj[key] === null || obj[key] === '') obj[key] = fallback;
  return optionalString(obj, key, path, problems);
}

/** A list field; absent is empty. */
export function list(obj: JsonObject, key: string, path: string, problems: FieldProblem[]): unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  problems.push(typeError(path, v, 'array'));
  return [];
}

/** An object field; absent is undefined. */
export function optionalObject(obj: JsonObject, key: string, path: string, problems: FieldProblem[]): JsonObject | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (isObject(v)) return v;
  problems.push(typeError(path, v, 'object'));
  return undefined;
}

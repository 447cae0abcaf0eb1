import { canonicalJson, isObject, renderValue } from '../json.js';
import { childPath, indexPath, keyPath } from '../paths.js';
import type { FieldProblem } from '../types.js';
import { mapValueSchema, subtreePredicate, type Schema } from './structural.js';

const needsWalk = subtreePredicate((s) => {
  const t = s['x-kubernetes-list-type'];
  return t === 'set' || t === 'map';
});

/**
 * The uniqueness x-kubernetes-list-type promises: items of a "set" list are distinct, items of a
 * "map" list are distinct by their x-kubernetes-list-map-keys. The API server reports each
 * repeat as "Duplicate value".
 */
export function validateListTypes(value: unknown, schema: Schema, path: string, problems: FieldProblem[]): void {
  if (!needsWalk(schema)) return;
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set') checkSet(value, path, problems);
    else if (listType === 'map') checkMap(value, schema['x-kubernetes-list-map-keys'] ?? [], path, problems);
    if (schema.items) for (let i = 0; i < value.length; i++) validateListTypes(value[i], schema.items, indexPath(path, i), problems);
    return;
  }
  if (!isObject(value)) return;
  const mapSchema = mapValueSchema(schema);
  for (const [key, child] of Object.entries(value)) {
    const prop = schema.properties?.[key];
    if (prop) validateListTypes(child, prop, childPath(path, key), problems);
    else if (mapSchema) validateListTypes(child, mapSchema, keyPath(path, key), problems);
  }
}

function checkSet(items: unknown[], path: string, problems: FieldProblem[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = canonicalJson(item);
    if (seen.has(key)) problems.push({ path: indexPath(path, i), message: `Duplicate value: ${typeof item === 'object' && item !== null ? key : renderValue(item)}` });
    seen.add(key);
  });
}

function checkMap(items: unknown[], keys: string[], path: string, problems: FieldProblem[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!isObject(item)) return; // a type error, reported by schema validation
    const identity: Record<string, unknown> = {};
    for (const k of keys) if (item[k] !== undefined) identity[k] = item[k];
    const key = canonicalJson(identity);
    if (seen.has(key)) problems.push({ path: indexPath(path, i), message: `Duplicate value: ${key}` });
    seen.add(key);
  });
}

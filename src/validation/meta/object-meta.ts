import type { KindInfo } from '../../api/kinds.js';
import { isObject, jsonType, renderValue, type JsonObject } from '../json.js';
import { keyPath } from '../paths.js';
import type { FieldProblem } from '../types.js';
import { dns1035Label, dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from './names.js';

/** ObjectMeta's fields; anything else under metadata is dropped, as the API server does. */
const KNOWN_FIELDS = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation',
  'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations',
  'ownerReferences', 'finalizers', 'managedFields',
]);

const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Name syntax per kind: Services are DNS-1035 labels, Namespaces DNS-1123 labels, the rest subdomains. */
export function nameSyntax(info: KindInfo): (name: string) => string[] {
  switch (info.kind) {
    case 'Service':
      return dns1035Label;
    case 'Namespace':
      return dns1123Label;
    default:
      return dns1123Subdomain;
  }
}

/**
 * Check and normalize metadata in place: unknown fields dropped, namespace defaulted to
 * "default" (as kubectl does) or cleared on cluster-scoped kinds (as the API server does).
 * Returns whether a problem is of a kind that keeps the API server from running CEL rules
 * (a missing name, a wrong type).
 */
export function validateObjectMeta(obj: JsonObject, info: KindInfo, problems: FieldProblem[], warnings: string[]): boolean {
  const before = problems.length;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  const meta = obj.metadata;
  if (!isObject(meta)) {
    problems.push(typeError('metadata', meta, 'object'));
    return true;
  }
  for (const key of Object.keys(meta)) {
    if (meta[key] === null) delete meta[key];
    else if (!KNOWN_FIELDS.has(key)) {
      delete meta[key];
      warnings.push(`metadata.${key}: unknown field, dropped`);
    }
  }

  const name = meta.name;
  if (name === undefined || name === '') {
    const message = meta.generateName === undefined
      ? 'Required value: name or generateName is required'
      : 'Required value: generateName is not supported when reading files; set name';
    problems.push({ path: 'metadata.name', message });
  } else if (typeof name !== 'string') {
    problems.push(typeError('metadata.name', name, 'string'));
  } else {
    for (const m of nameSyntax(info)(name)) problems.push({ path: 'metadata.name', message: `Invalid value: ${renderValue(name)}: ${m}` });
  }

  const ns = meta.namespace;
  if (info.namespaced) {
    if (ns === undefined || ns === '') meta.namespace = 'default';
    else if (typeof ns !== 'string') problems.push(typeError('metadata.namespace', ns, 'string'));
    else for (const m of dns1123Label(ns)) problems.push({ path: 'metadata.namespace', message: `Invalid value: ${renderValue(ns)}: ${m}` });
  } else if (ns !== undefined) {
    if (ns !== '') warnings.push(`metadata.namespace ${renderValue(ns)} ignored: ${info.kind} is cluster-scoped`);
    delete meta.namespace;
  }

  if (meta.labels !== undefined) validateLabels(meta.labels, 'metadata.labels', problems);
  if (meta.annotations !== undefined) validateAnnotations(meta.annotations, 'metadata.annotations', problems);
  return problems.slice(before).some((p) => /^(Required value|Invalid value: "\w+": must be of type )/.test(p.message));
}

/** A map[string]string of labels or a label selector's matchLabels. */
export function validateLabels(labels: unknown, path: string, problems: FieldProblem[]): void {
  const map = stringMap(labels, path, problems);
  for (const [key, value] of map) {
    for (const m of qualifiedName(key)) problems.push({ path, message: `Invalid value: ${renderValue(key)}: ${m}` });
    for (const m of labelValue(value)) problems.push({ path, message: `Invalid value: ${renderValue(value)}: ${m}` });
  }
}

function validateAnnotations(annotations: unknown, path: string, problems: FieldProblem[]): void {
  let size = 0;
  for (const [key, value] of stringMap(annotations, path, problems)) {
    // The API server lower-cases annotation keys before checking them.
    for (const m of qualifiedName(key.toLowerCase())) problems.push({ path, message: `Invalid value: ${renderValue(key)}: ${m}` });
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (size > MAX_ANNOTATIONS_BYTES) problems.push({ path, message: `Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes` });
}

/** Entries of a map whose values must all be strings; wrong types become problems. */
export function stringMap(value: unknown, path: string, problems: FieldProblem[]): Array<[string, string]> {
  if (!isObject(value)) {
    problems.push(typeError(path, value, 'object'));
    return [];
  }
  const entries: Array<[string, string]> = [];
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') entries.push([key, v]);
    else problems.push(typeError(keyPath(path, key), v, 'string'));
  }
  return entries;
}

export function typeError(path: string, value: unknown, expected: string): FieldProblem {
  return { path, message: `Invalid value: ${JSON.stringify(jsonType(value))}: must be of type ${expected}` };
}

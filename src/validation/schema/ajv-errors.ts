import type { ErrorObject } from 'ajv';
import { isObject, jsonType, renderValue } from '../json.js';
import { childPath, indexPath, keyPath } from '../paths.js';
import type { FieldProblem } from '../types.js';
import { mapValueSchema, type Schema } from './structural.js';

/** A JSON pointer from ajv ("/spec/rules/0") as a field path ("spec.rules[0]"), guided by data and schema. */
export function pointerToPath(root: unknown, schema: Schema | undefined, pointer: string): string {
  if (pointer === '') return '';
  let path = '';
  let data = root;
  let node = schema;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(data)) {
      const i = Number(seg);
      path = indexPath(path, i);
      data = data[i];
      node = node?.items;
      continue;
    }
    const declared = node?.properties?.[seg];
    const mapSchema = node && !declared ? mapValueSchema(node) : undefined;
    path = mapSchema ? keyPath(path, seg) : childPath(path, seg);
    node = declared ?? mapSchema;
    data = isObject(data) ? data[seg] : undefined;
  }
  return path;
}

const COMPARISON: Record<string, string> = {
  '<=': 'less than or equal to',
  '<': 'less than',
  '>=': 'greater than or equal to',
  '>': 'greater than',
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Within an anyOf/oneOf/not branch these only say "this branch did not apply". */
const BRANCH_NOISE = new Set(['enum', 'not', 'required', 'anyOf', 'oneOf', 'const']);

/**
 * Violations the API server classes as NotSupported, Required, TooLong, TooMany or TypeInvalid
 * (formats are type errors there): with any of them it skips CEL rules, whose cost and meaning
 * assume those bounds hold.
 */
const BLOCKING = new Set(['type', 'format', 'enum', 'required', 'maxLength', 'maxItems', 'maxProperties']);

export interface SchemaErrors {
  problems: FieldProblem[];
  /** Some violation blocks CEL evaluation (see BLOCKING). */
  blocking: boolean;
}

/** ajv's errors in the API server's words. */
export function describeAjvErrors(errors: readonly ErrorObject[], root: unknown, schema: Schema): SchemaErrors {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  let blocking = false;
  for (const err of errors) {
    const inBranch = /\/(anyOf|oneOf)\/\d+\/|\/not\//.test(err.schemaPath);
    if (inBranch && BRANCH_NOISE.has(err.keyword)) continue;
    const path = pointerToPath(root, schema, err.instancePath);
    const problem = describe(err, path);
    if (BLOCKING.has(err.keyword)) blocking = true;
    const key = `${problem.path}\n${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return { problems, blocking };
}

function describe(err: ErrorObject, path: string): FieldProblem {
  // ajv types params per keyword only through a union; read them as a plain record.
  const params = err.params as Record<string, unknown>;
  const data: unknown = err.data;
  const value = renderValue(data);
  const limit = Number(params.limit);
  switch (err.keyword) {
    case 'required':
      return { path: childPath(path, String(params.missingProperty)), message: 'Required value' };
    case 'type':
      return { path, message: `Invalid value: ${JSON.stringify(jsonType(data))}: must be of type ${String(params.type).split(',').join(' or ')}` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { path, message: `Unsupported value: ${value}: supported values: ${allowed}` };
    }
    case 'format':
      return { path, message: `Invalid value: ${value}: must be of type ${String(params.format)}` };
    case 'pattern':
      return { path, message: `Invalid value: ${value}: should match '${String(params.pattern)}'` };
    case 'maxLength':
      return { path, message: `Too long: may not be more than ${plural(limit, 'character')}` };
    case 'minLength':
      return { path, message: `Invalid value: ${value}: must be at least ${plural(limit, 'character')} long` };
    case 'maxItems':
      return { path, message: `Too many: ${Array.isArray(data) ? data.length : '?'}: must have at most ${plural(limit, 'item')}` };
    case 'minItems':
      return { path, message: `Invalid value: ${Array.isArray(data) ? data.length : '?'}: must have at least ${plural(limit, 'item')}` };
    case 'maxProperties':
      return { path, message: `Too many: ${isObject(data) ? Object.keys(data).length : '?'}: must have at most ${plural(limit, 'item')}` };
    case 'minProperties':
      return { path, message: `Invalid value: ${isObject(data) ? Object.keys(data).length : '?'}: must have at least ${plural(limit, 'item')}` };
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
      return { path, message: `Invalid value: ${value}: must be ${COMPARISON[String(params.comparison)] ?? String(params.comparison)} ${limit}` };
    case 'multipleOf':
      return { path, message: `Invalid value: ${value}: must be a multiple of ${String(params.multipleOf)}` };
    case 'uniqueItems': {
      const i = Math.max(Number(params.i), Number(params.j));
      return { path: indexPath(path, i), message: `Duplicate value: ${renderValue(Array.isArray(data) ? data[i] : undefined)}` };
    }
    case 'oneOf':
      return {
        path,
        message: params.passingSchemas
          ? `Invalid value: ${value}: must validate one and only one schema (oneOf), but more than one matches`
          : `Invalid value: ${value}: must validate one and only one schema (oneOf)`,
      };
    case 'anyOf':
      return { path, message: `Invalid value: ${value}: must validate at least one schema (anyOf)` };
    case 'not':
      return { path, message: `Invalid value: ${value}: must not validate the schema (not)` };
    default:
      return { path, message: `Invalid value: ${value}: ${err.message ?? err.keyword}` };
  }
}

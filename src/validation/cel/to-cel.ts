import { isObject } from '../json.js';
import { mapValueSchema, type Schema } from '../schema/structural.js';

/** CEL keywords the API server escapes when they appear as property names ("namespace" → "__namespace__"). */
const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

const escapes = new Map<string, string | undefined>();

/**
 * A property name as rules see it (k8s.io/apiserver/pkg/cel escaping): reserved words wrapped in
 * "__", and "__", ".", "-", "/" spelled out. Names that cannot be escaped are not visible to rules.
 */
export function escapeProperty(name: string): string | undefined {
  if (escapes.has(name)) return escapes.get(name);
  let escaped: string | undefined;
  if (name === '' || /^[0-9]/.test(name)) escaped = undefined;
  else if (RESERVED.has(name)) escaped = `__${name}__`;
  else if (/[^a-zA-Z0-9_./-]/.test(name)) escaped = undefined;
  else {
    escaped = name.replace(/__|[./-]/g, (s) =>
      s === '__' ? '__underscores__' : s === '.' ? '__dot__' : s === '-' ? '__dash__' : '__slash__');
  }
  escapes.set(name, escaped);
  return escaped;
}

/**
 * A value as rules see it, in plain JS that @bufbuild/cel accepts as input (it wraps Maps and
 * arrays on access) and the fast path reads directly: ints are bigint, doubles number, lists
 * arrays, maps and objects Map.
 */
export type CelView = string | boolean | bigint | number | null | CelView[] | Map<string, CelView>;

/**
 * Converts validated JSON data into CEL values, guided by the schema: integers become CEL ints
 * (bigint) so `self.numerator <= self.denominator` compares ints, objects with properties become
 * maps keyed by escaped property names without their absent (or null) fields so has() works, and
 * additionalProperties objects become plain maps. Each node is converted once per object: rules at
 * a parent and at its children share the converted children.
 */
export class CelConverter {
  private readonly cache = new WeakMap<object, CelView>();

  convert(value: unknown, schema: Schema | undefined): CelView {
    if (value === null || value === undefined) return null;
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        return schema?.type !== 'number' && Number.isInteger(value) ? BigInt(value) : value;
      case 'object':
        break;
      default:
        return null;
    }
    const hit = this.cache.get(value);
    if (hit !== undefined) return hit;
    let result: CelView;
    if (Array.isArray(value)) {
      const items = schema?.items;
      result = value.map((item) => this.convert(item, items));
    } else if (isObject(value)) {
      const mapSchema = schema && !schema.properties ? mapValueSchema(schema) : undefined;
      const entries = new Map<string, CelView>();
      if (mapSchema || !schema?.properties) {
        for (const [key, v] of Object.entries(value)) entries.set(key, this.convert(v, mapSchema));
      } else {
        for (const [key, v] of Object.entries(value)) {
          const name = escapeProperty(key);
          if (name === undefined || v === null || v === undefined) continue;
          entries.set(name, this.convert(v, schema.properties[key]));
        }
      }
      result = entries;
    } else {
      return null;
    }
    this.cache.set(value, result);
    return result;
  }
}

import { isCelError } from '@bufbuild/cel';
import { isObject } from '../json.js';
import { childPath, indexPath, keyPath } from '../paths.js';
import { mapValueSchema, subtreePredicate, type Schema, type ValidationRule } from '../schema/structural.js';
import type { FieldProblem } from '../types.js';
import { compileRule, RuleCompileError, type CompiledRule } from './compile.js';
import { CelConverter, type CelView } from './to-cel.js';

export interface RuleCompileFailure {
  /** Schema location, e.g. "spec.rules[].matches[].path". */
  location: string;
  rule: string;
  error: string;
}

const hasOwnRules = (s: Schema): boolean => (s['x-kubernetes-validations']?.length ?? 0) > 0;
const needsWalk = subtreePredicate(hasOwnRules);

/**
 * The x-kubernetes-validations rules of one schema, compiled once, and their evaluation over
 * data: rules on a node run with `self` bound to that node's value, rules on list items once per
 * item, rules on absent fields not at all. Transition rules (oldSelf) are skipped, as the API
 * server skips them on create.
 */
export class SchemaRules {
  private readonly compiled = new WeakMap<Schema, CompiledRule[]>();
  readonly failures: RuleCompileFailure[] = [];
  /** Every rule found, compiled or not: lets tests prove nothing was missed. */
  count = 0;

  constructor(root: Schema, location = '') {
    this.compileTree(root, location);
  }

  private compileTree(schema: Schema, location: string): void {
    const rules = schema['x-kubernetes-validations'];
    if (rules?.length) {
      const ok: CompiledRule[] = [];
      for (const rule of rules) {
        this.count++;
        try {
          ok.push(compileRule(rule));
        } catch (err) {
          if (!(err instanceof RuleCompileError)) throw err;
          this.failures.push({ location, rule: rule.rule, error: err.message });
        }
      }
      this.compiled.set(schema, ok);
    }
    for (const [key, prop] of Object.entries(schema.properties ?? {})) this.compileTree(prop, childPath(location, key));
    const mapSchema = mapValueSchema(schema);
    if (mapSchema) this.compileTree(mapSchema, `${location}[*]`);
    if (schema.items) this.compileTree(schema.items, `${location}[]`);
  }

  /** Evaluate every rule at or below `schema` over `value`, parents before children. */
  validate(value: unknown, schema: Schema, path: string, problems: FieldProblem[], converter = new CelConverter()): void {
    if (value === null || value === undefined || !needsWalk(schema)) return;
    const rules = this.compiled.get(schema);
    if (rules) {
      const self = converter.convert(value, schema);
      for (const rule of rules) {
        if (rule.transition || rule.fast?.(self) === true) continue;
        evaluate(rule, self, path, problems);
      }
    }
    if (Array.isArray(value)) {
      if (schema.items) for (let i = 0; i < value.length; i++) this.validate(value[i], schema.items, indexPath(path, i), problems, converter);
    } else if (isObject(value)) {
      const mapSchema = mapValueSchema(schema);
      for (const [key, child] of Object.entries(value)) {
        const prop = schema.properties?.[key];
        if (prop) this.validate(child, prop, childPath(path, key), problems, converter);
        else if (mapSchema) this.validate(child, mapSchema, keyPath(path, key), problems, converter);
      }
    }
  }
}

function evaluate(compiled: CompiledRule, self: CelView, path: string, problems: FieldProblem[]): void {
  const { rule } = compiled;
  const result = compiled.program({ self });
  const at = rule.fieldPath ? appendFieldPath(path, rule.fieldPath) : path;
  if (result === true) return;
  if (isCelError(result)) {
    problems.push({ path: at, message: `${errorText(result.message)} evaluating rule: ${ruleText(rule)}` });
    return;
  }
  if (result !== false) {
    problems.push({ path: at, message: `rule did not evaluate to a bool: ${ruleText(rule)}` });
    return;
  }
  let message = rule.message?.trim() ? rule.message.trim() : `failed rule: ${rule.rule.trim()}`;
  if (compiled.messageProgram) {
    // As the API server: a messageExpression that fails or yields nothing usable falls back to message.
    const m = compiled.messageProgram({ self });
    if (typeof m === 'string' && m.trim() !== '' && !/[\r\n]/.test(m)) message = m.trim();
  }
  problems.push({ path: at, message: withReason(rule.reason, message) });
}

/** The API server names the rule by its message when it has one. */
function ruleText(rule: ValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : rule.rule.trim();
}

/** cel-es's wording for a missing field, in cel-go's words (what users see from the API server). */
function errorText(message: string): string {
  return message.replace(/^field not found: /, 'no such key: ');
}

function withReason(reason: ValidationRule['reason'], message: string): string {
  switch (reason) {
    case 'FieldValueForbidden':
      return `Forbidden: ${message}`;
    case 'FieldValueRequired':
      return `Required value: ${message}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${message}`;
    default:
      return message;
  }
}

/** fieldPath is relative to the rule's node: ".a.b" or ".a['b.c']". */
function appendFieldPath(path: string, fieldPath: string): string {
  const rel = fieldPath.replace(/\['([^']*)'\]/g, '[$1]');
  return path === '' ? rel.replace(/^\./, '') : `${path}${rel.startsWith('.') || rel.startsWith('[') ? '' : '.'}${rel}`;
}

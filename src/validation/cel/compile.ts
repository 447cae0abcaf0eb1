import { parse, plan, type CelResult } from '@bufbuild/cel';
import type { ValidationRule } from '../schema/structural.js';
import { ruleEnv } from './env.js';
import { compileFast, type FastProgram } from './fast.js';
import type { CelView } from './to-cel.js';

/** A planned CEL program: bindings in, value or CelError out (it never throws). */
export type Program = (bindings: { self: CelView; oldSelf?: CelView }) => CelResult;

export interface CompiledRule {
  readonly rule: ValidationRule;
  /** References oldSelf: only meaningful on update, so skipped when there is no old object. */
  readonly transition: boolean;
  readonly program: Program;
  /** Accept-only shortcut for `program`, when the rule is within what it covers. */
  readonly fast?: FastProgram;
  readonly messageProgram?: Program;
}

export class RuleCompileError extends Error {}

/** The parsed AST node type, taken from parse() so we need not import the AST package itself. */
type Expr = ReturnType<typeof parse>['expr'];

/** CEL's type names, which rules compare with type(x) (`type(self) == int`). */
const TYPE_NAMES = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type']);

/** Operators the planner implements itself rather than through the function registry. */
const PLANNER_BUILTINS = new Set(['_&&_', '_||_', '_?_:_', '@not_strictly_false', '_[_]', '_[?_]']);

interface Compiled {
  program: Program;
  fast?: FastProgram;
  references: ReadonlySet<string>;
}

const cache = new Map<string, Compiled>();

/**
 * Parse, check and plan one expression, once per distinct text. The library plans anything that
 * parses and only reports an unknown function or variable when evaluation reaches it, so the
 * check below walks the AST first: every function must exist with a matching arity and every
 * variable must be declared, as the API server's type-checker demands when a CRD is created.
 */
export function compileExpression(text: string): Compiled {
  const hit = cache.get(text);
  if (hit) return hit;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(text);
  } catch (err) {
    throw new RuleCompileError(`syntax error: ${(err as Error).message}`);
  }
  const references = new Set<string>();
  check(parsed.expr, new Set(), references);
  const fast = compileFast(parsed.expr);
  // plan()'s bindings type follows the env's declared variables; Program narrows it back.
  const compiled = { program: plan(ruleEnv, parsed) as Program, references, ...(fast && { fast }) };
  cache.set(text, compiled);
  return compiled;
}

export function compileRule(rule: ValidationRule): CompiledRule {
  const { program, fast, references } = compileExpression(rule.rule);
  const messageExpression = rule.messageExpression;
  const messageProgram = messageExpression ? compileExpression(messageExpression).program : undefined;
  return { rule, transition: references.has('oldSelf'), program, ...(fast && { fast }), ...(messageProgram && { messageProgram }) };
}

function check(expr: Expr | undefined, scope: ReadonlySet<string>, references: Set<string>): void {
  if (!expr) return;
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'identExpr': {
      const name = kind.value.name;
      if (scope.has(name) || TYPE_NAMES.has(name)) return;
      if (name !== 'self' && name !== 'oldSelf') throw new RuleCompileError(`undeclared reference to '${name}'`);
      references.add(name);
      return;
    }
    case 'selectExpr':
      check(kind.value.operand, scope, references);
      return;
    case 'callExpr': {
      const { function: name, target, args } = kind.value;
      check(target, scope, references);
      for (const arg of args) check(arg, scope, references);
      if (PLANNER_BUILTINS.has(name)) return;
      const group = ruleEnv.funcs.find(name);
      if (!group) throw new RuleCompileError(`undeclared reference to '${name}'`);
      const hasTarget = target !== undefined;
      for (const f of group) if ((f.target !== undefined) === hasTarget && f.arguments.length === args.length) return;
      throw new RuleCompileError(`found no matching overload for '${name}' applied to ${hasTarget ? 'a receiver and ' : ''}${args.length} argument(s)`);
    }
    case 'listExpr':
      for (const e of kind.value.elements) check(e, scope, references);
      return;
    case 'structExpr':
      if (kind.value.messageName) throw new RuleCompileError(`message construction is not supported: ${kind.value.messageName}`);
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') check(entry.keyKind.value, scope, references);
        check(entry.value, scope, references);
      }
      return;
    case 'comprehensionExpr': {
      const c = kind.value;
      check(c.iterRange, scope, references);
      check(c.accuInit, scope, references);
      const inner = new Set([...scope, c.iterVar, c.accuVar, ...(c.iterVar2 ? [c.iterVar2] : [])]);
      check(c.loopCondition, inner, references);
      check(c.loopStep, inner, references);
      check(c.result, new Set([...scope, c.accuVar]), references);
      return;
    }
    case 'constExpr':
      return;
    default:
      throw new RuleCompileError(`unsupported expression kind: ${String(kind.case)}`);
  }
}

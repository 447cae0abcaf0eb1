import type { parse } from '@bufbuild/cel';
import { is4In6, parseIP } from '../../net/ip.js';
import { compileRegex } from './env.js';
import type { CelView } from './to-cel.js';

/**
 * An accept-only fast path for rule evaluation.
 *
 * @bufbuild/cel evaluates a typical rule in a few microseconds; a route has dozens of rules,
 * which made 10,000 routes take seconds. This compiles the subset of CEL the CRD rules use into
 * closures over the same values (the CelView: bigint ints, arrays, Maps). It only ever answers "the
 * rule holds": whenever an operation is outside what it can decide exactly (an error, a type it
 * does not model, an overflow), evaluation bails out and the caller asks @bufbuild/cel, which
 * also produces every refusal and message. A wrong "true" is the one possible failure; the
 * differential test in test/unit/validation compares both evaluators on every rule.
 */

type Expr = ReturnType<typeof parse>['expr'];
type Value = CelView;
type Node = (self: Value, slots: Value[]) => Value;

/** Thrown to abandon an evaluation; a shared object so throwing costs no stack trace. */
const BAIL = { bail: true } as const;

/** Raised while compiling: the expression uses something the fast path does not model. */
class Unsupported extends Error {}

const bail = (): never => {
  throw BAIL;
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** BigInt(n) allocates; sizes are small and hot (the 128-matches rule takes 16 of them). */
const SMALL = Array.from({ length: 1025 }, (_, i) => BigInt(i));
const bigint = (n: number): bigint => SMALL[n] ?? BigInt(n);

export type FastProgram = (self: Value) => boolean | undefined;

interface Ctx {
  /** Comprehension variables in scope, by name, to their slot. */
  vars: Map<string, number>;
  slots: number;
}

/** Compile `expr`, or undefined when it uses anything the fast path does not cover. */
export function compileFast(expr: Expr): FastProgram | undefined {
  const ctx: Ctx = { vars: new Map(), slots: 0 };
  let node: Node;
  try {
    node = build(expr, ctx);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  // Evaluation is synchronous and never re-enters the same program, so one slot array will do.
  const slots = new Array<Value>(ctx.slots);
  return (self) => {
    try {
      const r = node(self, slots);
      return typeof r === 'boolean' ? r : undefined;
    } catch {
      return undefined; // BAIL, or anything unexpected: let the real evaluator decide
    }
  };
}

function build(expr: Expr | undefined, ctx: Ctx): Node {
  if (!expr) throw new Unsupported('missing expression');
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'constExpr': {
      const c = kind.value.constantKind;
      let v: Value;
      switch (c.case) {
        case 'int64Value':
        case 'stringValue':
        case 'boolValue':
          v = c.value;
          break;
        case 'nullValue':
          v = null;
          break;
        default:
          throw new Unsupported(`constant ${String(c.case)}`);
      }
      return () => v;
    }
    case 'identExpr': {
      const name = kind.value.name;
      const slot = ctx.vars.get(name);
      if (slot !== undefined) return (_self, slots) => slots[slot] as Value;
      if (name === 'self') return (self) => self;
      throw new Unsupported(`identifier ${name}`);
    }
    case 'selectExpr': {
      const operand = build(kind.value.operand, ctx);
      const field = kind.value.field;
      if (kind.value.testOnly) {
        return (self, slots) => {
          const m = operand(self, slots);
          return m instanceof Map ? m.has(field) : bail();
        };
      }
      return (self, slots) => {
        const m = operand(self, slots);
        if (!(m instanceof Map)) return bail();
        const v = m.get(field);
        return v === undefined ? bail() : v;
      };
    }
    case 'listExpr': {
      if (kind.value.optionalIndices.length > 0) throw new Unsupported('optional list elements');
      const elements = kind.value.elements.map((e) => build(e, ctx));
      return (self, slots) => elements.map((e) => e(self, slots));
    }
    case 'callExpr':
      return buildCall(kind.value.function, kind.value.target, kind.value.args, ctx);
    case 'comprehensionExpr':
      return buildComprehension(kind.value, ctx);
    default:
      throw new Unsupported(`expression ${String(kind.case)}`);
  }
}

type Comprehension = Extract<Expr['exprKind'], { case: 'comprehensionExpr' }>['value'];

function buildComprehension(c: Comprehension, ctx: Ctx): Node {
  if (c.iterVar2) throw new Unsupported('two-variable comprehension');
  const range = build(c.iterRange, ctx);
  const init = build(c.accuInit, ctx);
  const accuSlot = ctx.slots++;
  const iterSlot = ctx.slots++;
  const outer = ctx.vars;
  ctx.vars = new Map(outer).set(c.accuVar, accuSlot).set(c.iterVar, iterSlot);
  const cond = build(c.loopCondition, ctx);
  const step = build(c.loopStep, ctx);
  ctx.vars = new Map(outer).set(c.accuVar, accuSlot);
  const result = build(c.result, ctx);
  ctx.vars = outer;
  return (self, slots) => {
    const r = range(self, slots);
    const items: Value[] = Array.isArray(r) ? r : r instanceof Map ? [...r.keys()] : bail();
    slots[accuSlot] = init(self, slots);
    for (let i = 0; i < items.length; i++) {
      slots[iterSlot] = items[i] as Value;
      const keepGoing = cond(self, slots);
      if (typeof keepGoing !== 'boolean') bail();
      if (!keepGoing) break;
      slots[accuSlot] = step(self, slots);
    }
    return result(self, slots);
  };
}

const asBool = (v: Value): boolean => (typeof v === 'boolean' ? v : bail());
const asString = (v: Value): string => (typeof v === 'string' ? v : bail());
const asInt = (v: Value): bigint => (typeof v === 'bigint' ? v : bail());
const checked = (n: bigint): bigint => (n < INT64_MIN || n > INT64_MAX ? bail() : n);

/** Equality for the value pairs it can decide exactly; anything mixed or exotic bails. */
function equals(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b ? true : bail();
  const ta = typeof a;
  if (ta === 'string' || ta === 'bigint' || ta === 'boolean' || ta === 'number') return ta === typeof b ? a === b : bail();
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(a[i] as Value, b[i] as Value)) return false;
    return true;
  }
  return bail();
}

function size(v: Value): bigint {
  if (typeof v === 'string') {
    let n = 0;
    for (const _ of v) n++; // code points, as CEL counts
    return bigint(n);
  }
  if (Array.isArray(v)) return bigint(v.length);
  if (v instanceof Map) return bigint(v.size);
  return bail();
}

function index(container: Value, key: Value): Value {
  if (Array.isArray(container)) {
    const i = asInt(key);
    return i >= 0n && i < BigInt(container.length) ? (container[Number(i)] as Value) : bail();
  }
  if (container instanceof Map && typeof key === 'string') {
    const v = container.get(key);
    return v === undefined ? bail() : v;
  }
  return bail();
}

function compare(a: Value, b: Value): number {
  // Strings compare by UTF-8 bytes in CEL and by UTF-16 units in JS: not modelled.
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  return bail();
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function isIP(text: string): boolean {
  const ip = parseIP(text);
  return ip !== undefined && ip.zone === undefined && !is4In6(ip);
}

function buildCall(name: string, targetExpr: Expr | undefined, argExprs: Expr[], ctx: Ctx): Node {
  const target = targetExpr ? build(targetExpr, ctx) : undefined;
  const args = argExprs.map((a) => build(a, ctx));
  const [a, b, c] = args;
  const arity = (n: number, withTarget: boolean): boolean => args.length === n && (target !== undefined) === withTarget;
  const binary = (f: (x: Value, y: Value) => Value): Node => {
    if (!arity(2, false)) throw new Unsupported(name);
    const l = a as Node;
    const r = b as Node;
    return (s, v) => f(l(s, v), r(s, v));
  };
  const method = (f: (t: Value, x: Value) => Value): Node => {
    if (!arity(1, true)) throw new Unsupported(name);
    const t = target as Node;
    const x = a as Node;
    return (s, v) => f(t(s, v), x(s, v));
  };
  switch (name) {
    case '_&&_':
    case '_||_': {
      if (!arity(2, false)) throw new Unsupported(name);
      const l = a as Node;
      const r = b as Node;
      const stopOn = name === '_||_';
      return (s, v) => (asBool(l(s, v)) === stopOn ? stopOn : asBool(r(s, v)));
    }
    case '!_': {
      if (!arity(1, false)) throw new Unsupported(name);
      const x = a as Node;
      return (s, v) => !asBool(x(s, v));
    }
    case '@not_strictly_false': {
      if (!arity(1, false)) throw new Unsupported(name);
      const x = a as Node;
      return (s, v) => asBool(x(s, v));
    }
    case '_?_:_': {
      if (!arity(3, false)) throw new Unsupported(name);
      const [cond, yes, no] = [a, b, c] as [Node, Node, Node];
      return (s, v) => (asBool(cond(s, v)) ? yes(s, v) : no(s, v));
    }
    case '_==_':
      return binary((x, y) => equals(x, y));
    case '_!=_':
      return binary((x, y) => !equals(x, y));
    case '_<_':
      return binary((x, y) => compare(x, y) < 0);
    case '_<=_':
      return binary((x, y) => compare(x, y) <= 0);
    case '_>_':
      return binary((x, y) => compare(x, y) > 0);
    case '_>=_':
      return binary((x, y) => compare(x, y) >= 0);
    case '_+_':
      return binary((x, y) => {
        if (typeof x === 'bigint' && typeof y === 'bigint') return checked(x + y);
        if (typeof x === 'string' && typeof y === 'string') return x + y;
        if (Array.isArray(x) && Array.isArray(y)) return [...x, ...y]; // how filter() accumulates
        return bail();
      });
    case '_-_':
      return binary((x, y) => checked(asInt(x) - asInt(y)));
    case '_[_]':
      return binary(index);
    case '@in':
      return binary((x, list) => {
        if (!Array.isArray(list)) return bail();
        for (const item of list) if (equals(x, item)) return true;
        return false;
      });
    case 'size':
      if (arity(1, false)) {
        const x = a as Node;
        return (s, v) => size(x(s, v));
      }
      if (arity(0, true)) {
        const t = target as Node;
        return (s, v) => size(t(s, v));
      }
      throw new Unsupported(name);
    case 'startsWith':
      return method((t, x) => asString(t).startsWith(asString(x)));
    case 'endsWith':
      return method((t, x) => asString(t).endsWith(asString(x)));
    case 'contains':
      return method((t, x) => asString(t).includes(asString(x)));
    case 'matches':
      return method((t, x) => compileRegex(asString(x)).test(asString(t)));
    case 'split':
      return method((t, x) => {
        const sep = asString(x);
        return sep === '' ? bail() : asString(t).split(sep);
      });
    case 'substring':
      return method((t, x) => {
        const text = asString(t);
        const start = asInt(x);
        // Indices count code points in CEL; only ASCII makes them equal to JS's.
        if (!isAscii(text) || start < 0n || start > BigInt(text.length)) return bail();
        return text.substring(Number(start));
      });
    case 'isIP': {
      if (!arity(1, false)) throw new Unsupported(name);
      const x = a as Node;
      return (s, v) => isIP(asString(x(s, v)));
    }
    default:
      throw new Unsupported(`function ${name}`);
  }
}

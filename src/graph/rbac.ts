/**
 * A TrafficPolicy's rbac: CEL match expressions over the request, in the subset a proxy can
 * decide from the request line, its headers and the client's address. Each expression is
 * compiled into a disjunction of conjunctions of (possibly negated) tests, the shape HAProxy's
 * conditions take (`a b || c`), with negations pushed down to the tests. Anything outside the
 * subset is refused with the expression named, never approximated.
 *
 * The subset (Envoy's attribute names, and the Kubernetes CEL IP library for networks):
 *   cidr('10.0.0.0/8').containsIP(source.address)    source.address == '192.0.2.1'
 *   request.headers['x-team'] == 'a'                 'x-team' in request.headers
 *   request.method == 'GET'                          request.url_path == '/a'   (request.path has the query)
 *   request.url_path.startsWith('/admin')            &&  ||  !  and != for each ==
 */
import { parse } from '@bufbuild/cel';
import { formatIP, parseCIDR, parseIP } from '../net/ip.js';

/** One test of the request. */
export type RequestTest =
  | { kind: 'sourceCidr'; value: string }
  | { kind: 'header'; name: string; value?: string }
  | { kind: 'method'; value: string }
  | { kind: 'path' | 'pathQuery' | 'pathPrefix'; value: string };

export interface Literal {
  test: RequestTest;
  negate: boolean;
}

/** Any of the conjunctions holds. */
export type Disjunction = Literal[][];

type Expr = ReturnType<typeof parse>['expr'];

class Refused extends Error {}

/** The largest compiled condition accepted: beyond, the expression is refused rather than blown up. */
const MAX_TERMS = 64;
// Header names HAProxy takes as a fetch argument unquoted (a conservative part of RFC 9110's tokens).
const HEADER = /^[a-z0-9!*+.^_|~&-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function stringConst(e: Expr | undefined): string | undefined {
  const k = e?.exprKind;
  return k?.case === 'constExpr' && k.value.constantKind.case === 'stringValue' ? k.value.constantKind.value : undefined;
}

/** "request.url_path" for a chain of field selections on an identifier, or undefined. */
function dotted(e: Expr | undefined): string | undefined {
  const k = e?.exprKind;
  if (k?.case === 'identExpr') return k.value.name;
  if (k?.case === 'selectExpr' && !k.value.testOnly) {
    const base = dotted(k.value.operand);
    return base === undefined ? undefined : `${base}.${k.value.field}`;
  }
  return undefined;
}

function literalValue(value: string | undefined, what: string): string {
  if (value === undefined) throw new Refused(`${what} must be compared with a string literal`);
  if (CONTROL.test(value)) throw new Refused(`${what}: the value holds a control character`);
  return value;
}

/** The test `a == b` stands for (either side may be the attribute). */
function equality(left: Expr | undefined, right: Expr | undefined): RequestTest {
  const [attr, value] = stringConst(left) !== undefined ? [right, stringConst(left)] : [left, stringConst(right)];
  const name = dotted(attr);
  if (name === 'source.address') {
    const ip = parseIP(literalValue(value, name));
    if (!ip || ip.zone !== undefined) throw new Refused(`source.address is compared with ${JSON.stringify(value)}, not an IP address`);
    return { kind: 'sourceCidr', value: `${formatIP(ip)}/${ip.bytes.length * 8}` };
  }
  if (name === 'request.method') {
    const m = literalValue(value, name);
    if (!/^[A-Z]+$/.test(m)) throw new Refused(`request.method is compared with ${JSON.stringify(m)}, not a method`);
    return { kind: 'method', value: m };
  }
  if (name === 'request.url_path') return { kind: 'path', value: literalValue(value, name) };
  if (name === 'request.path') return { kind: 'pathQuery', value: literalValue(value, name) };
  const k = attr?.exprKind;
  if (k?.case === 'callExpr' && k.value.function === '_[_]' && dotted(k.value.args[0]) === 'request.headers') {
    const header = stringConst(k.value.args[1]);
    if (header === undefined || !HEADER.test(header.toLowerCase())) throw new Refused('request.headers must be indexed with a header name literal');
    return { kind: 'header', name: header.toLowerCase(), value: literalValue(value, `request.headers['${header}']`) };
  }
  throw new Refused(`comparisons of ${name ?? 'this expression'} are not supported`);
}

function test(e: Expr | undefined): RequestTest {
  const k = e?.exprKind;
  if (k?.case !== 'callExpr') throw new Refused('not a condition Portico can evaluate');
  const { function: fn, target, args } = k.value;
  if (fn === '_==_') return equality(args[0], args[1]);
  if (fn === 'containsIP') {
    const t = target?.exprKind;
    const cidrText = t?.case === 'callExpr' && t.value.function === 'cidr' ? stringConst(t.value.args[0]) : undefined;
    let subject = args[0];
    const s = subject?.exprKind;
    if (s?.case === 'callExpr' && s.value.function === 'ip' && s.value.args.length === 1) subject = s.value.args[0];
    const cidr = cidrText !== undefined ? parseCIDR(cidrText) : undefined;
    if (!cidr || dotted(subject) !== 'source.address') throw new Refused("containsIP is supported as cidr('<network>').containsIP(source.address)");
    return { kind: 'sourceCidr', value: `${formatIP(cidr.ip)}/${cidr.prefix}` };
  }
  if (fn === 'startsWith' && dotted(target) === 'request.url_path') return { kind: 'pathPrefix', value: literalValue(stringConst(args[0]), 'request.url_path.startsWith') };
  if (fn === '@in' && dotted(args[1]) === 'request.headers') {
    const header = stringConst(args[0]);
    if (header === undefined || !HEADER.test(header.toLowerCase())) throw new Refused('`in request.headers` needs a header name literal');
    return { kind: 'header', name: header.toLowerCase() };
  }
  throw new Refused(`the function ${fn.replace(/^_|_$/g, '').replace(/_/g, ' ')} is not supported`);
}

function and(a: Disjunction, b: Disjunction): Disjunction {
  const out: Disjunction = [];
  for (const x of a) for (const y of b) out.push([...x, ...y]);
  if (out.length > MAX_TERMS) throw new Refused(`the condition has more than ${MAX_TERMS} alternatives once expanded`);
  return out;
}

/** The expression (negated when `negate`) as a disjunction of conjunctions. */
function dnf(e: Expr | undefined, negate: boolean): Disjunction {
  const k = e?.exprKind;
  if (k?.case === 'callExpr') {
    const { function: fn, args } = k.value;
    if (fn === '!_') return dnf(args[0], !negate);
    // De Morgan: under a negation && and || trade places.
    if ((fn === '_&&_' && !negate) || (fn === '_||_' && negate)) return and(dnf(args[0], negate), dnf(args[1], negate));
    if (fn === '_||_' || fn === '_&&_') {
      const out = [...dnf(args[0], negate), ...dnf(args[1], negate)];
      if (out.length > MAX_TERMS) throw new Refused(`the condition has more than ${MAX_TERMS} alternatives once expanded`);
      return out;
    }
    if (fn === '_!=_') return [[{ test: equality(args[0], args[1]), negate: !negate }]];
  }
  if (k?.case === 'constExpr' && k.value.constantKind.case === 'boolValue') return k.value.constantKind.value !== negate ? [[]] : [];
  return [[{ test: test(e), negate }]];
}

/** The expressions (any of them) compiled, or the first one refused with why. */
export function compileMatchExpressions(expressions: readonly string[], where: string): Disjunction | string {
  const out: Disjunction = [];
  for (const [i, text] of expressions.entries()) {
    try {
      out.push(...dnf(parse(text).expr, false));
    } catch (err) {
      const why = err instanceof Refused ? err.message : 'not a valid CEL expression';
      return `${where}[${i}] ${JSON.stringify(text)}: ${why}`;
    }
    if (out.length > MAX_TERMS) return `${where}: more than ${MAX_TERMS} alternatives once expanded`;
  }
  return out;
}

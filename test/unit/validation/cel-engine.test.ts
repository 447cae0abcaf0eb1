import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCelError } from '@bufbuild/cel';
import { compileRule } from '../../../src/validation/cel/compile.js';
import { SchemaRules } from '../../../src/validation/cel/rules.js';
import { CelConverter, escapeProperty } from '../../../src/validation/cel/to-cel.js';
import type { Schema } from '../../../src/validation/schema/structural.js';
import type { FieldProblem } from '../../../src/validation/types.js';

function check(schema: Schema, value: unknown): FieldProblem[] {
  const rules = new SchemaRules(schema);
  assert.deepEqual(rules.failures, []);
  const problems: FieldProblem[] = [];
  rules.validate(value, schema, 'spec', problems);
  return problems;
}

/** Evaluate one expression with @bufbuild/cel (no fast path) against `self`. */
function evaluate(rule: string, self: unknown, schema: Schema = {}): unknown {
  const result = compileRule({ rule }).program({ self: new CelConverter().convert(self, schema) });
  return isCelError(result) ? `error: ${result.message}` : result;
}

describe('rule evaluation', () => {
  test('message, messageExpression, fieldPath and reason', () => {
    const schema: Schema = {
      type: 'object',
      properties: { min: { type: 'integer' }, max: { type: 'integer' }, name: { type: 'string' } },
      'x-kubernetes-validations': [
        { rule: 'self.min <= self.max', message: 'min must not exceed max', fieldPath: '.min' },
        { rule: 'self.min <= self.max', messageExpression: "'min ' + string(self.min) + ' exceeds max ' + string(self.max)" },
        { rule: "self.name != 'forbidden'", reason: 'FieldValueForbidden', message: 'that name is reserved' },
        { rule: 'self.min >= 0' },
      ],
    };
    assert.deepEqual(check(schema, { min: 1, max: 2, name: 'ok' }), []);
    assert.deepEqual(check(schema, { min: -3, max: -5, name: 'forbidden' }), [
      { path: 'spec.min', message: 'min must not exceed max' },
      { path: 'spec', message: 'min -3 exceeds max -5' },
      { path: 'spec', message: 'Forbidden: that name is reserved' },
      { path: 'spec', message: 'failed rule: self.min >= 0' },
    ]);
  });

  test('rules on list items run per item; rules on absent fields do not run', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != 'bad'", message: 'bad item' }] } },
        opt: { type: 'string', 'x-kubernetes-validations': [{ rule: 'false', message: 'never satisfied' }] },
      },
    };
    assert.deepEqual(check(schema, { items: ['ok', 'bad', 'bad'] }), [
      { path: 'spec.items[1]', message: 'bad item' },
      { path: 'spec.items[2]', message: 'bad item' },
    ]);
  });

  test('transition rules (oldSelf) are skipped on create', () => {
    const schema: Schema = { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }] };
    assert.deepEqual(check(schema, 'x'), []);
  });

  test('has() sees absent and null fields as absent; reserved words are escaped', () => {
    const schema: Schema = { type: 'object', properties: { namespace: { type: 'string' }, 'my-field': { type: 'string' } } };
    assert.equal(evaluate('has(self.__namespace__)', { namespace: 'a' }, schema), true);
    assert.equal(evaluate('has(self.__namespace__)', { namespace: null }, schema), false);
    assert.equal(evaluate('self.my__dash__field', { 'my-field': 'x' }, schema), 'x');
    assert.equal(escapeProperty('a__b.c/d'), 'a__underscores__b__dot__c__slash__d');
    assert.equal(escapeProperty('1abc'), undefined);
  });

  test('integers are CEL ints, int-or-string keeps its shape, maps stay maps', () => {
    const schema: Schema = {
      type: 'object',
      properties: { n: { type: 'integer' }, d: { type: 'number' }, p: { 'x-kubernetes-int-or-string': true }, m: { type: 'object', additionalProperties: { type: 'string' } } },
    };
    const value = { n: 3, d: 2, p: 'http', m: { 'a.b/c': 'x' } };
    assert.equal(evaluate('self.n / 2 == 1', value, schema), true); // integer division
    assert.equal(evaluate('self.d / 4.0 == 0.5', value, schema), true);
    assert.equal(evaluate("self.p == 'http'", value, schema), true);
    assert.equal(evaluate("'a.b/c' in self.m && self.m['a.b/c'] == 'x'", value, schema), true);
    assert.match(String(evaluate('self.missing == 1', value, schema)), /^error: /);
  });

  test('the Kubernetes IP and CIDR library', () => {
    assert.equal(evaluate("isIP('10.0.0.1') && isIP('2001:db8::1')", null), true);
    assert.equal(evaluate("isIP('010.0.0.1') || isIP('fe80::1%eth0') || isIP('::ffff:1.2.3.4') || isIP('example.com')", null), false);
    assert.equal(evaluate("ip('2001:0db8:0:0:0:0:0:1') == ip('2001:db8::1')", null), true);
    assert.equal(evaluate("ip('10.1.2.3').family() == 4 && ip('::1').isLoopback()", null), true);
    assert.equal(evaluate("cidr('10.0.0.0/8').containsIP('10.9.8.7') && !cidr('10.0.0.0/8').containsIP('11.0.0.1')", null), true);
    assert.equal(evaluate("cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8') && cidr('10.0.0.0/8').prefixLength() == 8", null), true);
    assert.equal(evaluate("isCIDR('10.0.0.0/33')", null), false);
    assert.match(String(evaluate("ip('nope').family()", null)), /^error: /);
  });

  test('the quantity library, type names and the global matches()', () => {
    assert.equal(evaluate("quantity('4Gi').isGreaterThan(quantity('4095Mi')) && quantity('100m').isLessThan(quantity('1'))", null), true);
    assert.equal(evaluate("quantity('1k').compareTo(quantity('1e3')) == 0 && isQuantity('12Ki') && !isQuantity('12 Ki')", null), true);
    assert.match(String(evaluate("quantity('lots')", null)), /^error: /);
    const sizeRule = "(type(self) == int && int(self) > 0) || (type(self) == string && quantity(self).isGreaterThan(quantity('0')))";
    assert.equal(evaluate(sizeRule, 5, { 'x-kubernetes-int-or-string': true }), true);
    assert.equal(evaluate(sizeRule, '1Mi', { 'x-kubernetes-int-or-string': true }), true);
    assert.equal(evaluate(sizeRule, '0', { 'x-kubernetes-int-or-string': true }), false);
    assert.equal(evaluate("matches(self, '^[0-9]+ms$') && !matches(self, '^s')", '50ms'), true);
  });

  test('strings extension and RE2', () => {
    assert.equal(evaluate("'a/b/c'.split('/')[1] == 'b' && 'hello'.substring(1) == 'ello'", null), true);
    assert.equal(evaluate("'Foo.Bar'.matches('^(?i)[a-z.]+$')", null), true); // RE2 inline flag, not JS syntax
    assert.equal(evaluate("'é😀'.size() == 2", null), true); // code points
  });
});

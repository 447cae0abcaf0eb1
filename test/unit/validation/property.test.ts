import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compileRule } from '../../../src/validation/cel/compile.js';
import { CelConverter } from '../../../src/validation/cel/to-cel.js';
import { Validator } from '../../../src/validation/index.js';
import * as fx from './fixtures.js';

const validator = new Validator();

describe('properties', () => {
  test('any header name either validates or yields a problem at that field; validation never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const route = fx.httpRoute();
        fx.spec(route).rules[0].matches[0].headers = [{ name, value: 'v' }];
        const result = validator.validate(route);
        if (result.ok) assert.equal(fx.spec(result.object).rules[0].matches[0].headers[0].name, name);
        else assert.ok(result.problems.some((p) => p.path.startsWith('spec.rules[0].matches[0].headers[0]')), JSON.stringify(result.problems));
      }),
      { numRuns: 500 },
    );
  });

  test('arbitrary JSON anywhere in a spec never makes validation throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const route = fx.httpRoute();
        fx.spec(route).rules[0].matches = a;
        fx.spec(route).parentRefs[0].port = b;
        const result = validator.validate(route);
        assert.equal(result.ok, result.problems.length === 0);
      }),
      { numRuns: 300 },
    );
  });

  test('validating what validation returned changes nothing (defaults and pruning are idempotent)', () => {
    for (const make of [fx.gateway, fx.httpRoute, fx.grpcRoute, fx.listenerSet, fx.service, fx.secret, fx.endpointSlice]) {
      const once = validator.validate(make());
      assert.ok(once.object);
      const twice = validator.validate(once.object);
      assert.deepEqual(twice.object, once.object);
      assert.deepEqual(twice.warnings, []);
    }
  });

  test('the fast path agrees with @bufbuild/cel on arbitrary path values', () => {
    const rules = [
      "(self.type in ['Exact','PathPrefix']) ? self.value.startsWith('/') : true",
      "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('//') : true",
      "(self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/..') : true",
      '(self.type in [\'Exact\',\'PathPrefix\']) ? self.value.matches(r"""^(?:[-A-Za-z0-9/._~!$&\'()*+,;=:@]|[%][0-9a-fA-F]{2})+$""") : true',
      "self.all(h, h.contains('*') ? (h.startsWith('*.') && h.substring(2).matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$')) : true)",
      'self.all(key, key.split("/")[0].size() < 253)',
    ].map((rule) => compileRule({ rule }));
    const pathSchema = { type: 'object' as const, properties: { type: { type: 'string' as const }, value: { type: 'string' as const } } };
    const listSchema = { type: 'array' as const, items: { type: 'string' as const } };
    fc.assert(
      fc.property(fc.constantFrom('Exact', 'PathPrefix', 'RegularExpression'), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.string({ maxLength: 300 }), { maxLength: 3 }), (type, value, list) => {
        const path = new CelConverter().convert({ type, value }, pathSchema);
        const strings = new CelConverter().convert(list, listSchema);
        for (const [i, rule] of rules.entries()) {
          const self = i < 4 ? path : strings;
          const fast = rule.fast?.(self);
          if (fast !== undefined) assert.equal(fast, rule.program({ self }), rule.rule.rule);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

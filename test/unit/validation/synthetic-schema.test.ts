import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CrdVersionValidator } from '../../../src/validation/crd-version.js';
import type { Schema } from '../../../src/validation/schema/structural.js';
import type { FieldProblem } from '../../../src/validation/types.js';

/** Structural-schema features the Gateway API CRDs do not use (yet), on a made-up CRD. */
const root: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        note: { type: 'string', nullable: true, default: 'none' },
        mode: { type: 'string', nullable: true, enum: ['A', 'B'] },
        ratio: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1 },
        count: { type: 'integer', format: 'int32' },
        odd: { type: 'string', format: 'some-unknown-format' },
        when: { type: 'string', format: 'date-time' },
        net: { type: 'string', format: 'cidr' },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'integer', default: 7 } } },
        embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        withDefaultItem: { type: 'array', items: { type: 'string', default: 'filled' } },
      },
    },
  },
};
const validator = new CrdVersionValidator('Thing', 'v1', root);

function run(spec: Record<string, unknown>): { obj: Record<string, unknown>; problems: FieldProblem[]; warnings: string[] } {
  const obj = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec };
  const warnings: string[] = [];
  const problems: FieldProblem[] = [];
  validator.prepare(obj, warnings);
  validator.check(obj, problems);
  return { obj: obj.spec, problems, warnings };
}

describe('structural schema features', () => {
  test('int-or-string accepts either, nothing else', () => {
    assert.deepEqual(run({ port: 80 }).problems, []);
    assert.deepEqual(run({ port: 'http' }).problems, []);
    assert.equal(run({ port: true }).problems[0]?.path, 'spec.port');
  });

  test('nullable: null is kept (and not defaulted); non-nullable nulls are dropped', () => {
    const r = run({ note: null, mode: null, count: null });
    assert.deepEqual(r.problems, []);
    assert.equal(r.obj.note, null);
    assert.equal(r.obj.mode, null);
    assert.equal('count' in r.obj, false);
    assert.equal(run({}).obj.note, 'none');
  });

  test('OpenAPI 3.0 exclusive bounds', () => {
    assert.deepEqual(run({ ratio: 0 }).problems, [{ path: 'spec.ratio', message: 'Invalid value: 0: must be greater than 0' }]);
    assert.deepEqual(run({ ratio: 1 }).problems, []);
  });

  test('formats: numeric and unknown ones are ignored, known string formats checked', () => {
    assert.deepEqual(run({ count: 5, odd: 'anything', when: '2024-02-29T12:00:00Z', net: '10.0.0.0/8' }).problems, []);
    assert.deepEqual(run({ when: '2023-02-29T12:00:00Z' }).problems.slice(0, 1), [{ path: 'spec.when', message: 'Invalid value: "2023-02-29T12:00:00Z": must be of type date-time' }]);
    assert.equal(run({ net: '10.0.0.0/33' }).problems[0]?.message, 'Invalid value: "10.0.0.0/33": must be of type cidr');
  });

  test('preserve-unknown-fields keeps unknown fields and still defaults known ones; embedded resources keep their envelope', () => {
    const r = run({ free: { anything: { deep: 1 } }, embedded: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: {}, junk: 1 } });
    assert.deepEqual(r.obj.free, { anything: { deep: 1 }, known: 7 });
    assert.deepEqual(r.obj.embedded, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: {} });
    assert.deepEqual(r.warnings, ['spec.embedded.junk: unknown field, dropped']);
  });

  test('set lists and null list items with an item default', () => {
    assert.deepEqual(run({ tags: ['a', 'b', 'a'] }).problems, [{ path: 'spec.tags[2]', message: 'Duplicate value: "a"' }]);
    assert.deepEqual(run({ withDefaultItem: ['x', null] }).obj.withDefaultItem, ['x', 'filled']);
  });
});

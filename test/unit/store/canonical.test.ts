import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../../src/store/canonical.js';

test('canonicalJson: key order does not matter, array order does', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, 2], c: null } }), canonicalJson({ a: { c: null, d: [1, 2] }, b: 1 }));
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  assert.equal(canonicalJson({ a: 1, b: undefined }), '{"a":1}');
  assert.equal(canonicalJson(undefined), 'null');
  assert.equal(canonicalJson('x"y'), '"x\\"y"');
});

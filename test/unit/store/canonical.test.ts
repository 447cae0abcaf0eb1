import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, canonicalJsonOf } from '../../../src/store/canonical.js';

test('canonicalJson: key order does not matter, array order does', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, 2], c: null } }), canonicalJson({ a: { c: null, d: [1, 2] }, b: 1 }));
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  assert.equal(canonicalJson({ a: 1, b: undefined }), '{"a":1}');
  assert.equal(canonicalJson(undefined), 'null');
  assert.equal(canonicalJson('x"y'), '"x\\"y"');
});

test('canonicalJsonOf: the canonical string, made once per object', () => {
  const status = { b: [1], a: 'x' };
  assert.equal(canonicalJsonOf(status), canonicalJson(status));
  // Remembered by identity: the values it is meant for are never changed once made.
  status.a = 'changed';
  assert.equal(canonicalJsonOf(status), '{"a":"x","b":[1]}');
  assert.equal(canonicalJsonOf({ ...status }), '{"a":"changed","b":[1]}');
  assert.equal(canonicalJsonOf(undefined), 'null');
  assert.equal(canonicalJsonOf(3), '3');
});

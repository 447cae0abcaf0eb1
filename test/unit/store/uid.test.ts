import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uidFor } from '../../../src/store/uid.js';

test('uidFor: a stable RFC 4122 version 5 UUID per key', () => {
  const uid = uidFor('Gateway/default/web');
  assert.equal(uid, uidFor('Gateway/default/web'));
  assert.notEqual(uid, uidFor('Gateway/default/web2'));
  assert.match(uid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

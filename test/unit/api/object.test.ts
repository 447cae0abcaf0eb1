import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupOf, keyOf, objectKey, parseObjectKey, versionOf } from '../../../src/api/object.js';

test('objectKey and parseObjectKey: namespaced and cluster-scoped objects survive the round trip', () => {
  assert.equal(objectKey('HTTPRoute', 'apps', 'web'), 'HTTPRoute/apps/web');
  assert.deepEqual(parseObjectKey('HTTPRoute/apps/web'), { kind: 'HTTPRoute', namespace: 'apps', name: 'web' });
  assert.equal(objectKey('GatewayClass', undefined, 'portico'), 'GatewayClass//portico');
  assert.deepEqual(parseObjectKey('GatewayClass//portico'), { kind: 'GatewayClass', namespace: undefined, name: 'portico' });
  assert.equal(keyOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' } }), 'Service/n/s');
});

test('groupOf and versionOf split an apiVersion; the core group is ""', () => {
  assert.deepEqual([groupOf('gateway.networking.k8s.io/v1'), versionOf('gateway.networking.k8s.io/v1')], ['gateway.networking.k8s.io', 'v1']);
  assert.deepEqual([groupOf('v1'), versionOf('v1')], ['', 'v1']);
});

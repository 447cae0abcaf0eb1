import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectorMatches } from '../../../src/graph/labels.js';
import { ReferenceGrantIndex } from '../../../src/graph/reference-grants.js';
import type { ReferenceGrantObject } from '../../../src/api/spec.js';
import { referenceGrant } from './builders.js';

test('selectorMatches: matchLabels and every expression operator', () => {
  const labels = { env: 'prod', team: 'a' };
  assert.equal(selectorMatches(undefined, labels), true);
  assert.equal(selectorMatches({ matchLabels: { env: 'prod' } }, labels), true);
  assert.equal(selectorMatches({ matchLabels: { env: 'dev' } }, labels), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, labels), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['prod'] }] }, labels), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, labels), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, labels), false);
});

test('ReferenceGrantIndex: same namespace always, cross namespace only when granted', () => {
  const grants = new ReferenceGrantIndex([
    referenceGrant('backends', [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'apps' }], [{ group: '', kind: 'Service', name: 'only' }]),
    referenceGrant('certs', [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra' }], [{ group: '', kind: 'Secret' }], 'g2'),
  ] as ReferenceGrantObject[]);
  const route = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'apps' };
  assert.equal(grants.allows(route, { group: '', kind: 'Service', namespace: 'apps', name: 'x' }), true);
  assert.equal(grants.allows(route, { group: '', kind: 'Service', namespace: 'backends', name: 'only' }), true);
  assert.equal(grants.allows(route, { group: '', kind: 'Service', namespace: 'backends', name: 'other' }), false);
  assert.equal(grants.allows({ ...route, namespace: 'elsewhere' }, { group: '', kind: 'Service', namespace: 'backends', name: 'only' }), false);
  assert.equal(grants.allows({ ...route, kind: 'GRPCRoute' }, { group: '', kind: 'Service', namespace: 'backends', name: 'only' }), false);
  const gw = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra' };
  assert.equal(grants.allows(gw, { group: '', kind: 'Secret', namespace: 'certs', name: 'any' }), true);
});

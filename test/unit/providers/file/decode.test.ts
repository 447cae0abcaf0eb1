import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDocument, type Decoded } from '../../../../src/providers/file/decode.js';

const at = { file: 'f.yaml', document: 2, line: 5 };
const decode = (value: unknown): Decoded => decodeDocument({ value, location: at });
const problemOf = (d: Decoded): string => {
  assert.equal(d.type, 'problem');
  return d.type === 'problem' ? [d.problem.subject, d.problem.path, d.problem.message].filter(Boolean).join(' | ') : '';
};

test('decodeDocument: a Gateway API object, namespace defaulted for its key and subject', () => {
  const d = decode({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web' }, spec: {} });
  assert.equal(d.type, 'object');
  if (d.type !== 'object') return;
  assert.equal(d.key, 'Gateway/default/web');
  assert.equal(d.subject, 'Gateway default/web');
  assert.equal(d.info.plural, 'gateways');
});

test('decodeDocument: cluster-scoped kinds have no namespace', () => {
  const d = decode({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'portico' } });
  assert.equal(d.type === 'object' && d.key, 'GatewayClass//portico');
  assert.equal(d.type === 'object' && d.subject, 'GatewayClass portico');
});

test('decodeDocument: core kinds and older served versions are accepted', () => {
  assert.equal(decode({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'x' } }).type, 'object');
  assert.equal(decode({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's' } }).type, 'object');
  assert.equal(decode({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'HTTPRoute', metadata: { name: 'r' } }).type, 'object');
});

test('decodeDocument: kinds Portico does not read are skipped, not errors', () => {
  assert.deepEqual(decode({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }), {
    type: 'skipped',
    kind: 'Deployment',
    apiVersion: 'apps/v1',
  });
});

test('decodeDocument: missing kind or apiVersion is a problem naming the document', () => {
  const noKind = decode({ apiVersion: 'v1', metadata: { name: 'x' } });
  assert.equal(problemOf(noKind), 'kind: required');
  assert.equal(noKind.type === 'problem' && noKind.problem.document, 2);
  assert.equal(problemOf(decode({ kind: 'Service', metadata: { name: 'x' } })), 'apiVersion: required');
  assert.equal(problemOf(decode({ metadata: { name: 'x' } })), 'apiVersion, kind: required');
  assert.match(problemOf(decode(['a list'])), /not a Kubernetes object/);
  assert.match(problemOf(decode('text')), /not a Kubernetes object/);
});

test('decodeDocument: a kind of ours by name but in another group is not ours: skipped', () => {
  // An Istio Gateway or a Knative Service must not be read as ours, nor refused.
  assert.deepEqual(decode({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'web' } }), {
    type: 'skipped',
    kind: 'Gateway',
    apiVersion: 'networking.istio.io/v1',
  });
  assert.equal(decode({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 's' } }).type, 'skipped');
});

test('decodeDocument: an unknown version of a known kind is a problem on apiVersion', () => {
  assert.match(
    problemOf(decode({ apiVersion: 'gateway.networking.k8s.io/v9', kind: 'Gateway', metadata: { name: 'web' } })),
    /apiVersion \| version v9 of Gateway is not served \(served: v1, v1beta1\)/,
  );
});

test('decodeDocument: missing metadata or name', () => {
  assert.equal(problemOf(decode({ apiVersion: 'v1', kind: 'Service' })), 'Service default/(no name) | metadata | required');
  assert.equal(problemOf(decode({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'a' } })), 'Service a/(no name) | metadata.name | required');
});

/**
 * Backends of type Static (gateway.portico.dev, kgateway's kind) through a real HAProxy: a host
 * given as a DNS name (localhost, resolved by HAProxy) and one given as an IP address; a Backend
 * with a host that is neither is refused for its route alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const objects = (port: number) => `
apiVersion: gateway.portico.dev/v1alpha1
kind: Backend
metadata: {name: by-name, namespace: ${INFRA_NS}}
spec:
  type: Static
  static:
    hosts: [{host: localhost, port: ${port}}]
---
apiVersion: gateway.portico.dev/v1alpha1
kind: Backend
metadata: {name: by-address, namespace: ${INFRA_NS}}
spec:
  type: Static
  static:
    hosts: [{host: 127.0.0.1, port: ${port}}]
---
apiVersion: gateway.portico.dev/v1alpha1
kind: Backend
metadata: {name: crafted, namespace: ${INFRA_NS}}
spec:
  type: Static
  static:
    hosts: [{host: "x:1 check\\nserver evil 192.0.2.1", port: ${port}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: external, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /name}}]
    backendRefs: [{group: gateway.portico.dev, kind: Backend, name: by-name}]
  - matches: [{path: {type: PathPrefix, value: /address}}]
    backendRefs: [{group: gateway.portico.dev, kind: Backend, name: by-address}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: crafted, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /crafted}}]
    backendRefs: [{group: gateway.portico.dev, kind: Backend, name: crafted}]
`;

test('Static Backends through HAProxy', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1), (echo) => `${gatewayYaml()}---\n${objects(echo.get(V1)?.port ?? 0)}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const byName = await stack.expect(gw, 80, { path: '/name' }, (r) => r.status === 200, 'the Backend named by DNS name answers');
  assert.equal(byName.json?.pod, V1);
  assert.equal((await stack.request(gw, 80, { path: '/address' })).json?.pod, V1);
  await stack.routeCondition(INFRA_NS, 'crafted', 'same-namespace', 'ResolvedRefs', 'False', 'BackendNotFound');
  assert.equal((await stack.request(gw, 80, { path: '/crafted' })).status, 500);
});

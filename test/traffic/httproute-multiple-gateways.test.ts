/**
 * Traffic port of upstream HTTPRouteMultipleGateways (and the traffic side of
 * GatewayWithAttachedRoutes): two Gateways listening on port 80, each on its own address, share
 * one route and each has a route of its own; a request reaches only its Gateway's routes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, runCases, V1, V2, V3 } from './cases.js';
import { extraGatewayYaml, gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = (name: string, parents: string[], prefix: string, backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: ${JSON.stringify(parents.map((name) => ({ name })))}
  rules:
  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]
    backendRefs: [{name: ${backend}, port: 8080}]
`;

const manifests = [
  gatewayYaml(),
  extraGatewayYaml('all-namespaces', INFRA_NS, '  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: All}}\n'),
  route('multiple-gateways-shared-route', ['same-namespace', 'all-namespaces'], '/shared', V1),
  route('same-namespace-dedicated-route', ['same-namespace'], '/', V2),
  route('all-namespaces-dedicated-route', ['all-namespaces'], '/', V3),
].join('---\n');

test('HTTPRouteMultipleGateways', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), manifests);
  const same = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const all = await stack.gatewayAddress(INFRA_NS, 'all-namespaces');
  assert.notEqual(same, all, 'each Gateway gets its own address');
  await runCases(stack, same, 80, [
    { path: '/shared', backend: V1 },
    { path: '/', backend: V2 },
  ]);
  await runCases(stack, all, 80, [
    { path: '/shared', backend: V1 },
    { path: '/', backend: V3 },
  ]);
  for (const gw of ['same-namespace', 'all-namespaces']) {
    const listener = stack.status('Gateway', INFRA_NS, gw)?.listeners?.[0];
    assert.equal(listener?.attachedRoutes, 2, `${gw} attachedRoutes`);
  }
});

const selector = '{kinds: [{kind: HTTPRoute}], namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: gateway-conformance-infra}}}}';
const attachedRoutes = [
  gatewayYaml('gateway-with-one-attached-route', INFRA_NS, `  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes: ${selector}\n`),
  extraGatewayYaml('gateway-with-two-attached-routes', INFRA_NS, `  - name: http\n    port: 80\n    protocol: HTTP\n    hostname: foo.example.com\n    allowedRoutes: ${selector}\n`),
  extraGatewayYaml(
    'unresolved-gateway-with-one-attached-unresolved-route',
    INFRA_NS,
    `  - name: tls\n    port: 443\n    protocol: HTTPS\n    allowedRoutes: ${selector}\n    tls: {mode: Terminate, certificateRefs: [{group: "", kind: Secret, name: does-not-exist}]}\n`,
  ),
  route('http-route-1', ['gateway-with-one-attached-route'], '/', V1),
  route('http-route-2', ['gateway-with-two-attached-routes'], '/two', V2),
  route('http-route-3', ['gateway-with-two-attached-routes'], '/three', V3),
  route('http-route-not-accepted', ['gateway-with-two-attached-routes'], '/', V1).replace('spec:\n', 'spec:\n  hostnames: [not-accepted.test.com]\n'),
  `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: http-route-4, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: unresolved-gateway-with-one-attached-unresolved-route, sectionName: tls}]
  rules:
  - backendRefs: [{name: does-not-exist, port: 8080}]
`,
].join('---\n');

test('GatewayWithAttachedRoutes (traffic)', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), attachedRoutes);
  const one = await stack.gatewayAddress(INFRA_NS, 'gateway-with-one-attached-route');
  const two = await stack.gatewayAddress(INFRA_NS, 'gateway-with-two-attached-routes');
  assert.notEqual(one, two, 'each Gateway gets its own address');
  const attached = (gw: string) => stack.status('Gateway', INFRA_NS, gw)?.listeners?.map((l) => l.attachedRoutes);
  assert.deepEqual(attached('gateway-with-one-attached-route'), [1]);
  assert.deepEqual(attached('gateway-with-two-attached-routes'), [2]);
  assert.deepEqual(attached('unresolved-gateway-with-one-attached-unresolved-route'), [1]);
  await runCases(stack, one, 80, [
    { path: '/', backend: V1 },
    { host: 'foo.example.com', path: '/two', backend: V1 },
  ]);
  await runCases(stack, two, 80, [
    { host: 'foo.example.com', path: '/two', backend: V2 },
    { host: 'foo.example.com', path: '/three', backend: V3 },
    { host: 'foo.example.com', path: '/', status: 404 },
    { host: 'bar.example.com', path: '/two', status: 404 },
    { host: 'not-accepted.test.com', path: '/', status: 404 },
  ]);
});

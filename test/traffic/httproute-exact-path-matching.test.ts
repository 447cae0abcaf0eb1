/** Traffic port of upstream HTTPRouteExactPathMatching: Exact paths match the whole path, case-sensitively. */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: exact-matching, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: Exact, value: /one}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: Exact, value: /two}}]
    backendRefs: [{name: ${V2}, port: 8080}]
`;

test('HTTPRouteExactPathMatching', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/one', backend: V1 },
    { path: '/two', backend: V2 },
    { path: '/', status: 404 },
    { path: '/one/example', status: 404 },
    { path: '/two/', status: 404 },
    { path: '/Two', status: 404 },
  ]);
});

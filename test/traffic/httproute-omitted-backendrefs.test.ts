/** Traffic port of upstream HTTPRouteOmittedBackendRefs: a rule without backendRefs (omitted or empty) answers 500. */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: omitted-backendrefs, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: Exact, value: /omitted-no-forward}}]
  - matches: [{path: {type: Exact, value: /empty-no-forward}}]
    backendRefs: []
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: ${V1}, port: 8080}]
`;

test('HTTPRouteOmittedBackendRefs', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${route}`);
  await stack.routeCondition(INFRA_NS, 'omitted-backendrefs', 'same-namespace', 'ResolvedRefs', 'True', 'ResolvedRefs');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/forward', backend: V1 },
    { path: '/omitted-no-forward', status: 500 },
    { path: '/empty-no-forward', status: 500 },
  ]);
});

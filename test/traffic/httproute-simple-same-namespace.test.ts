/** Traffic port of upstream HTTPRouteSimpleSameNamespace: one route, no matches, same namespace. */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: gateway-conformance-infra-test, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: [{name: ${V1}, port: 8080}]
`;

test('HTTPRouteSimpleSameNamespace', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${route}`);
  await stack.routeCondition(INFRA_NS, 'gateway-conformance-infra-test', 'same-namespace', 'ResolvedRefs', 'True', 'ResolvedRefs');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ path: '/', backend: V1 }]);
});

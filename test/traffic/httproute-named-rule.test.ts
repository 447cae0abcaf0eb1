/** Traffic port of upstream HTTPRouteNamedRule: a rule with a name routes like one without. */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: http-named-rules, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - name: named-rule
    matches: [{path: {type: PathPrefix, value: /named}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /unnamed}}]
    backendRefs: [{name: ${V2}, port: 8080}]
`;

test('HTTPRouteNamedRule', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  await stack.routeCondition(INFRA_NS, 'http-named-rules', 'same-namespace', 'Accepted', 'True', 'Accepted');
  await stack.routeCondition(INFRA_NS, 'http-named-rules', 'same-namespace', 'ResolvedRefs', 'True', 'ResolvedRefs');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/named', backend: V1 },
    { path: '/unnamed', backend: V2 },
  ]);
});

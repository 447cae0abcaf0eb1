/**
 * Traffic ports of upstream HTTPRouteRequestTimeout and HTTPRouteBackendRequestTimeout: a
 * backend slower than the rule's timeout gives 504; a timeout of 0s disables it.
 */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const rule = (prefix: string, timeouts: string) => `  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]\n    backendRefs: [{name: ${V1}, port: 8080}]\n    timeouts: ${timeouts}\n`;
const routes = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: request-timeout, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
${rule('/request-timeout', '{request: 500ms}')}${rule('/disable-request-timeout', '{request: "0s"}')}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: backend-request-timeout, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
${rule('/backend-timeout', '{backendRequest: 500ms}')}${rule('/disable-backend-timeout', '{backendRequest: "0s"}')}`;

test('HTTPRouteRequestTimeout and HTTPRouteBackendRequestTimeout', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${routes}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/request-timeout', backend: V1 },
    { path: '/request-timeout?delay=1s', status: 504 },
    { path: '/disable-request-timeout?delay=1s', backend: V1 },
    { path: '/backend-timeout', backend: V1 },
    { path: '/backend-timeout?delay=1s', status: 504 },
    { path: '/disable-backend-timeout?delay=1s', backend: V1 },
  ]);
});

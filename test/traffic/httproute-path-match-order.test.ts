/** Traffic port of upstream HTTPRoutePathMatchOrder: Exact beats PathPrefix, longer prefixes beat shorter ones. */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2, V3 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const rule = (type: string, value: string, backend: string) => `  - matches: [{path: {type: ${type}, value: ${value}}}]\n    backendRefs: [{name: ${backend}, port: 8080}]\n`;
const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: path-matching-order, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
${rule('Exact', '/match', V1)}${rule('Exact', '/match/exact', V2)}${rule('Exact', '/match/exact/one', V3)}${rule('PathPrefix', '/match/', V3)}${rule('PathPrefix', '/match/prefix/', V1)}${rule('PathPrefix', '/match/prefix/one', V2)}`;

test('HTTPRoutePathMatchOrder', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/match/exact/one', backend: V3 },
    { path: '/match/exact', backend: V2 },
    { path: '/match', backend: V1 },
    { path: '/match/prefix/one/any', backend: V2 },
    { path: '/match/prefix/any', backend: V1 },
    { path: '/match/any', backend: V3 },
  ]);
});

/** Traffic port of upstream HTTPRouteMethodMatching: method matches alone and with path and header matches. */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2, V3 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: method-matching, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{method: POST}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{method: GET}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /path1}, method: GET}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{headers: [{name: version, value: one}], method: PUT}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /path2}, headers: [{name: version, value: two}], method: POST}]
    backendRefs: [{name: ${V3}, port: 8080}]
  - matches:
    - {path: {type: PathPrefix, value: /path3}, method: PATCH}
    - {path: {type: PathPrefix, value: /path4}, headers: [{name: version, value: three}], method: DELETE}
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /path5}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{method: PATCH}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{headers: [{name: version, value: four}]}]
    backendRefs: [{name: ${V3}, port: 8080}]
`;

test('HTTPRouteMethodMatching', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/', method: 'POST', backend: V1 },
    { path: '/', method: 'GET', backend: V2 },
    { path: '/', method: 'HEAD', status: 404 },
    { path: '/path1', method: 'GET', backend: V1 },
    { path: '/', method: 'PUT', headers: { version: 'one' }, backend: V2 },
    { path: '/path2', method: 'POST', headers: { version: 'two' }, backend: V3 },
    { path: '/path3', method: 'PATCH', backend: V1 },
    { path: '/path4', method: 'DELETE', headers: { version: 'three' }, backend: V1 },
    { path: '/', method: 'PUT', status: 404 },
    { path: '/path4', method: 'DELETE', status: 404 },
    // precedence: path first, then method, then headers
    { path: '/path5', method: 'PATCH', backend: V1 },
    { path: '/', method: 'PATCH', headers: { version: 'four' }, backend: V2 },
  ]);
});

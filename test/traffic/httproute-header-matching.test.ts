/**
 * Traffic port of upstream HTTPRouteHeaderMatching: header names match case-insensitively, values
 * exactly; a rule with more header matches wins; matches of one rule are ORed.
 */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: header-matching, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{headers: [{name: version, value: one}]}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{headers: [{name: version, value: two}]}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{headers: [{name: version, value: two}, {name: color, value: orange}]}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{headers: [{name: color, value: blue}]}, {headers: [{name: color, value: green}]}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{headers: [{name: color, value: red}]}, {headers: [{name: color, value: yellow}]}]
    backendRefs: [{name: ${V2}, port: 8080}]
`;

test('HTTPRouteHeaderMatching', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/', headers: { Version: 'one' }, backend: V1 },
    { path: '/', headers: { Version: 'two' }, backend: V2 },
    { path: '/', headers: { Version: 'two', Color: 'orange' }, backend: V1 },
    { path: '/', headers: { Version: 'two', Color: 'blue' }, backend: V2 },
    { path: '/', headers: { Color: 'orange' }, status: 404 },
    { path: '/', headers: { 'Some-Other-Header': 'one' }, status: 404 },
    { path: '/', headers: { Color: 'blue' }, backend: V1 },
    { path: '/', headers: { Color: 'green' }, backend: V1 },
    { path: '/', headers: { Color: 'red' }, backend: V2 },
    { path: '/', headers: { Color: 'yellow' }, backend: V2 },
    { path: '/', headers: { Color: 'purple' }, status: 404 },
  ]);
});

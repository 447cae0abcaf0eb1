/**
 * Traffic port of upstream HTTPRouteQueryParamMatching: query parameter names and values match
 * exactly (case-sensitively), combined with path and header matches, in precedence order.
 */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2, V3 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: query-param-matching, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{queryParams: [{name: animal, value: whale}]}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{queryParams: [{name: animal, value: dolphin}]}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches:
    - queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]
    - queryParams: [{name: ANIMAL, value: Whale}]
    backendRefs: [{name: ${V3}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /path1}, queryParams: [{name: animal, value: whale}]}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{headers: [{name: version, value: one}], queryParams: [{name: animal, value: whale}]}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /path2}, headers: [{name: version, value: two}], queryParams: [{name: animal, value: whale}]}]
    backendRefs: [{name: ${V3}, port: 8080}]
  - matches:
    - {path: {type: PathPrefix, value: /path3}, queryParams: [{name: animal, value: shark}]}
    - {path: {type: PathPrefix, value: /path4}, headers: [{name: version, value: three}], queryParams: [{name: animal, value: kraken}]}
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /path5}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{queryParams: [{name: animal, value: hydra}]}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{headers: [{name: version, value: four}]}]
    backendRefs: [{name: ${V3}, port: 8080}]
`;

test('HTTPRouteQueryParamMatching', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/?animal=whale', backend: V1 },
    { path: '/?animal=dolphin', backend: V2 },
    { path: '/?animal=dolphin&color=blue', backend: V3 },
    { path: '/?ANIMAL=Whale', backend: V3 },
    { path: '/?animal=whale&otherparam=irrelevant', backend: V1 },
    { path: '/?animal=dolphin&color=yellow', backend: V2 },
    { path: '/?color=blue', status: 404 },
    { path: '/?animal=dog', status: 404 },
    { path: '/?animal=whaledolphin', status: 404 },
    { path: '/', status: 404 },
    // combined with path and header matches
    { path: '/path1?animal=whale', backend: V1 },
    { path: '/?animal=whale', headers: { version: 'one' }, backend: V2 },
    { path: '/path2?animal=whale', headers: { version: 'two' }, backend: V3 },
    // matches of one rule are ORed; all conditions of one match are ANDed
    { path: '/path3?animal=shark', backend: V1 },
    { path: '/path4?animal=kraken', headers: { version: 'three' }, backend: V1 },
    { path: '/?animal=shark', status: 404 },
    { path: '/path4?animal=kraken', status: 404 },
    // precedence: path first, then header matches, then query parameter matches
    { path: '/path5?animal=hydra', backend: V1 },
    { path: '/?animal=hydra', headers: { version: 'four' }, backend: V3 },
  ]);
});

/**
 * Traffic ports of upstream HTTPRouteRequestHeaderModifier and HTTPRouteBackendRequestHeaderModifier:
 * set replaces, add appends, remove deletes, with header names matched case-insensitively; the
 * same cases hold whether the filter sits on the rule or on its one backendRef.
 */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

type Level = 'rule' | 'backendRef';
const filter = (modifier: string) => `[{type: RequestHeaderModifier, requestHeaderModifier: ${modifier}}]`;
const ruleAt = (level: Level) => (prefix: string, modifier: string) =>
  level === 'rule'
    ? `  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]
    filters: ${filter(modifier)}
    backendRefs: [{name: ${V1}, port: 8080}]
`
    : `  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]
    backendRefs: [{name: ${V1}, port: 8080, filters: ${filter(modifier)}}]
`;
const routeAt = (rule: ReturnType<typeof ruleAt>) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: request-header-modifier, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
${rule('/set', '{set: [{name: X-Header-Set, value: set-overwrites-values}]}')}${rule('/add', '{add: [{name: X-Header-Add, value: add-appends-values}]}')}${rule('/remove', '{remove: [X-Header-Remove]}')}${rule(
  '/multiple',
  '{set: [{name: X-Header-Set-1, value: header-set-1}, {name: X-Header-Set-2, value: header-set-2}], add: [{name: X-Header-Add-1, value: header-add-1}, {name: X-Header-Add-2, value: header-add-2}, {name: X-Header-Add-3, value: header-add-3}], remove: [X-Header-Remove-1, X-Header-Remove-2]}',
)}${rule('/case-insensitivity', '{set: [{name: X-Header-Set, value: header-set}], add: [{name: X-Header-Add, value: header-add}], remove: [X-Header-Remove]}')}`;

for (const [name, level] of [['HTTPRouteRequestHeaderModifier', 'rule'], ['HTTPRouteBackendRequestHeaderModifier', 'backendRef']] as const) {
  test(name, { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
    const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${routeAt(ruleAt(level))}`);
    const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
    await runCases(stack, gw, 80, [
      {
        path: '/set',
        headers: { 'Some-Other-Header': 'val' },
        expectedRequest: { headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'set-overwrites-values' } },
        backend: V1,
      },
      {
        path: '/set',
        headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'some-other-value' },
        expectedRequest: { headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'set-overwrites-values' } },
        backend: V1,
      },
      {
        path: '/add',
        headers: { 'Some-Other-Header': 'val' },
        expectedRequest: { headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'add-appends-values' } },
        backend: V1,
      },
      {
        path: '/add',
        headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value' },
        expectedRequest: { headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value,add-appends-values' } },
        backend: V1,
      },
      { path: '/remove', headers: { 'X-Header-Remove': 'val' }, expectedRequest: { absentHeaders: ['X-Header-Remove'] }, backend: V1 },
      {
        path: '/multiple',
        headers: { 'X-Header-Set-2': 'set-val-2', 'X-Header-Add-2': 'add-val-2', 'X-Header-Remove-2': 'remove-val-2', 'Another-Header': 'another-header-val' },
        expectedRequest: {
          headers: {
            'X-Header-Set-1': 'header-set-1',
            'X-Header-Set-2': 'header-set-2',
            'X-Header-Add-1': 'header-add-1',
            'X-Header-Add-2': 'add-val-2,header-add-2',
            'X-Header-Add-3': 'header-add-3',
            'Another-Header': 'another-header-val',
          },
          absentHeaders: ['X-Header-Remove-1', 'X-Header-Remove-2'],
        },
        backend: V1,
      },
      {
        path: '/case-insensitivity',
        headers: { 'x-header-set': 'original-val-set', 'x-header-add': 'original-val-add', 'x-header-remove': 'original-val-remove', 'Another-Header': 'another-header-val' },
        expectedRequest: {
          headers: { 'X-Header-Set': 'header-set', 'X-Header-Add': 'original-val-add,header-add', 'Another-Header': 'another-header-val' },
          absentHeaders: ['x-header-remove', 'X-Header-Remove'],
        },
        backend: V1,
      },
    ]);
  });
}

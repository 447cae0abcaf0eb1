/**
 * A rule whose filter Portico cannot carry out is not skipped: its matches answer 500 and never
 * reach a backend, neither its own (unfiltered) nor a less specific rule's. The route says which
 * rule and why (PartiallyInvalid, UnsupportedValue).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, runCases, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: guarded, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /secure}}]
    filters:
    - type: ExternalAuth
      externalAuth: {protocol: HTTP, backendRef: {name: ${V2}, port: 8080}, http: {}}
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /custom}}]
    filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: Magic, name: m}}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - backendRefs: [{name: ${V1}, port: 8080}]
`;

test('a rule with a filter Portico cannot carry out answers 500 instead of being skipped', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.routeCondition(INFRA_NS, 'guarded', 'same-namespace', 'Accepted', 'True', 'Accepted');
  await stack.routeCondition(INFRA_NS, 'guarded', 'same-namespace', 'PartiallyInvalid', 'True', 'UnsupportedValue');
  await runCases(stack, gw, 80, [
    { path: '/secure', status: 500 },
    { path: '/secure/x', status: 500 },
    { path: '/custom/y', status: 500 },
    { path: '/other', backend: V1 },
  ]);
  const parents = (stack.status('HTTPRoute', INFRA_NS, 'guarded') as { parents?: { conditions?: { type: string; message: string }[] }[] } | undefined)?.parents;
  const message = parents?.[0]?.conditions?.find((c) => c.type === 'PartiallyInvalid')?.message ?? '';
  assert.match(message, /Rule 0 answers 500: filter type ExternalAuth is not supported/);
  assert.match(message, /Rule 1 answers 500: filter type ExtensionRef is supported only for kind DirectResponse of group gateway.portico.dev/);
});

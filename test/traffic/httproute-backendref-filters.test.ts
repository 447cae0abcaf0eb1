/**
 * Traffic port of upstream HTTPRouteRequestHeaderModifierBackendWeights: filters on a backendRef
 * apply only to requests sent to that backend (each backend here gets a "Backend" header naming it).
 *
 * The renderer applies rule-level filters only, so such rules are refused (UnsupportedValue) rather
 * than served without their filters: the upstream test is a todo, and a second test pins the refusal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, runCases, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const skip = !haproxyInstalled && 'haproxy is not installed';
const NAME = 'request-header-modifier-backend-weights';
const ref = (backend: string) =>
  `    - {name: ${backend}, port: 8080, weight: 10, filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: Backend, value: ${backend}}]}}]}\n`;
const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${NAME}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs:
${ref(V1)}${ref(V2)}`;

test('HTTPRouteRequestHeaderModifierBackendWeights', { skip, todo: 'filters on backendRefs are not rendered; such rules are refused' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const accepted = stack.status('HTTPRoute', INFRA_NS, NAME)?.parents?.[0]?.conditions.find((c) => c.type === 'Accepted');
  assert.equal(accepted?.status, 'True', accepted?.message);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ path: '/' }]);
  for (let i = 0; i < 100; i++) {
    const r = await stack.request(gw, 80, { path: '/' });
    assert.equal(r.status, 200);
    const set = r.json?.headers.Backend ?? [];
    assert.equal(set.length, 1, `request ${i}: one Backend header, got ${JSON.stringify(set)}`);
    assert.ok(r.json?.pod.startsWith(set[0] ?? '?'), `request ${i}: sent to ${r.json?.pod} with Backend: ${set[0]}`);
  }
});

test('a rule with backendRef filters is refused, not served without them', { skip }, async (t) => {
  const plain = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: plain, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [plain.example.com]
  rules:
  - backendRefs: [{name: ${V1}, port: 8080}]
`;
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}---\n${plain}`);
  await stack.routeCondition(INFRA_NS, NAME, 'same-namespace', 'Accepted', 'False', 'UnsupportedValue');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/', status: 404 },
    { host: 'plain.example.com', path: '/', backend: V1 },
  ]);
});

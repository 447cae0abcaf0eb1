/**
 * Traffic ports of upstream HTTPRouteInvalidCrossNamespaceBackendRef,
 * HTTPRouteInvalidNonExistentBackendRef and HTTPRouteInvalidBackendRefUnknownKind: a rule whose
 * backendRef cannot be resolved answers 500 (and the route says why in ResolvedRefs). Also: a
 * Service with no ready endpoint answers 503, and a rule with one valid and one invalid
 * backendRef sends the invalid one's share of requests to 500.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { INFRA_NS, runCases, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, namespaceYaml, startStack, type BackendSpec } from './harness.js';

const skip = !haproxyInstalled && 'haproxy is not installed';
const WEB_NS = 'gateway-conformance-web-backend';

const route = (name: string, backendRefs: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: ${backendRefs}
`;

async function expect500(t: TestContext, name: string, backendRefs: string, reason: string, path: string, extra: BackendSpec[] = []): Promise<void> {
  const manifests = [gatewayYaml(), namespaceYaml(WEB_NS, { 'gateway-conformance': 'backend' }), route(name, backendRefs)].join('---\n');
  const stack = await startStack(t, extra, manifests);
  await stack.routeCondition(INFRA_NS, name, 'same-namespace', 'ResolvedRefs', 'False', reason);
  await stack.routeCondition(INFRA_NS, name, 'same-namespace', 'Accepted', 'True', 'Accepted');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ path, status: 500 }]);
}

test('HTTPRouteInvalidCrossNamespaceBackendRef', { skip }, async (t) => {
  await expect500(t, 'invalid-cross-namespace-backend-ref', `[{name: web-backend, namespace: ${WEB_NS}, port: 8080}]`, 'RefNotPermitted', '/', [
    { name: 'web-backend', namespace: WEB_NS },
  ]);
});

test('HTTPRouteInvalidNonExistentBackendRef', { skip }, async (t) => {
  await expect500(t, 'invalid-nonexistent-backend-ref', `[{name: nonexistent, namespace: ${INFRA_NS}, port: 8080}]`, 'BackendNotFound', '/');
});

test('HTTPRouteInvalidBackendRefUnknownKind', { skip }, async (t) => {
  await expect500(t, 'invalid-backend-ref-unknown-kind', `[{group: unknownkind.example.com, kind: NonExistent, name: ${V1}, port: 8080}]`, 'InvalidKind', '/v2', [
    { name: V1, namespace: INFRA_NS },
  ]);
});

test('a Service without ready endpoints answers 503', { skip }, async (t) => {
  const stack = await startStack(t, [{ name: 'not-ready', namespace: INFRA_NS, ready: false }], `${gatewayYaml()}---\n${route('no-endpoints', '[{name: not-ready, port: 8080}]')}`);
  await stack.routeCondition(INFRA_NS, 'no-endpoints', 'same-namespace', 'ResolvedRefs', 'True', 'ResolvedRefs');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ path: '/', status: 503 }]);
  assert.equal(stack.echo.get('not-ready')?.requests, 0, 'an endpoint that is not ready gets no traffic');
});

test('a rule with a valid and an invalid backendRef sends the invalid share to 500', { skip }, async (t) => {
  const refs = `[{name: ${V1}, port: 8080, weight: 1}, {name: nonexistent, port: 8080, weight: 1}]`;
  const stack = await startStack(t, [{ name: V1, namespace: INFRA_NS }], `${gatewayYaml()}---\n${route('half-invalid', refs)}`);
  await stack.routeCondition(INFRA_NS, 'half-invalid', 'same-namespace', 'ResolvedRefs', 'False', 'BackendNotFound');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ path: '/', backend: V1 }]);
  const counts = new Map<number, number>();
  for (let i = 0; i < 200; i++) {
    const r = await stack.request(gw, 80, { path: '/' });
    counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), [200, 500], `statuses seen: ${JSON.stringify([...counts])}`);
  const share500 = (counts.get(500) ?? 0) / 200;
  assert.ok(Math.abs(share500 - 0.5) <= 0.15, `share of 500s ${share500}, want about 0.5`);
});

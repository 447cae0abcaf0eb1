/**
 * Traffic port of upstream HTTPRouteRetry (experimental channel): a rule's retry policy retries
 * the listed status codes at most `attempts` times; other codes are returned at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { INFRA_NS, V3 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';
import { startRetryBackend, type RetryBackend } from './retry-backend.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: retries, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /retry/code-500-attempts-3}}]
    retry: {codes: [500], attempts: 3}
    backendRefs: [{name: ${V3}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /retry/code-all-attempts-2}}]
    retry: {codes: [500, 502, 503, 504], attempts: 2}
    backendRefs: [{name: ${V3}, port: 8080}]
`;

/** `tries`: requests the backend should see (failures plus the success, or 1 + attempts). */
const cases: { path: string; code: number; succeedAfter: number; status: number; tries: number }[] = [
  { path: '/retry/code-500-attempts-3', code: 500, succeedAfter: 2, status: 200, tries: 3 },
  { path: '/retry/code-500-attempts-3', code: 500, succeedAfter: 4, status: 500, tries: 4 },
  { path: '/retry/code-500-attempts-3', code: 503, succeedAfter: 2, status: 503, tries: 1 },
  { path: '/retry/code-all-attempts-2', code: 500, succeedAfter: 1, status: 200, tries: 2 },
  { path: '/retry/code-all-attempts-2', code: 500, succeedAfter: 3, status: 500, tries: 3 },
  { path: '/retry/code-all-attempts-2', code: 502, succeedAfter: 1, status: 200, tries: 2 },
  { path: '/retry/code-all-attempts-2', code: 502, succeedAfter: 3, status: 502, tries: 3 },
  { path: '/retry/code-all-attempts-2', code: 503, succeedAfter: 1, status: 200, tries: 2 },
  { path: '/retry/code-all-attempts-2', code: 503, succeedAfter: 3, status: 503, tries: 3 },
  { path: '/retry/code-all-attempts-2', code: 504, succeedAfter: 1, status: 200, tries: 2 },
  { path: '/retry/code-all-attempts-2', code: 504, succeedAfter: 3, status: 504, tries: 3 },
];

test('HTTPRouteRetry', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  let backend: RetryBackend | undefined;
  const spec = {
    name: V3,
    namespace: INFRA_NS,
    start: async () => (backend = await startRetryBackend(V3, INFRA_NS)),
  };
  const stack = await startStack(t, [spec], `${gatewayYaml()}---\n${route}`);
  await stack.routeCondition(INFRA_NS, 'retries', 'same-namespace', 'Accepted', 'True', 'Accepted');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  for (const c of cases) {
    const what = `${c.path}: ${c.code} for the first ${c.succeedAfter} tries → ${c.status}`;
    let uuid = '';
    const r = await stack.eventually(
      what,
      () => {
        uuid = randomUUID();
        return stack.request(gw, 80, { path: `${c.path}?responseCode=${c.code}&succeedAfter=${c.succeedAfter}&uuid=${uuid}` });
      },
      (res) => res.status === c.status,
    );
    if (c.status === 200) assert.equal((r.json as { pod?: string } | undefined)?.pod, V3, what);
    assert.equal(backend?.attempts.get(uuid), c.tries, `${what}: tries the backend saw`);
  }
});

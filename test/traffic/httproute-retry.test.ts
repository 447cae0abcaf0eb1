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

const moreRoutes = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: retries-more, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /retry/no-status-code-attempts-3}}]
    retry: {attempts: 3}
    backendRefs: [{name: ${V3}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /retry/backend-request-timeout-200ms}}]
    retry: {attempts: 2}
    timeouts: {backendRequest: 200ms}
    backendRefs: [{name: ${V3}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /retry/request-timeout-200ms}}]
    retry: {codes: [500], attempts: 5}
    timeouts: {backendRequest: 200ms, request: 400ms}
    backendRefs: [{name: ${V3}, port: 8080}]
`;

/**
 * Upstream HTTPRouteRetryConnectionError and HTTPRouteRetryWithTimeouts. A query without
 * responseCode makes the backend reset the connection; delayRetry makes it answer late.
 */
const moreCases: { name: string; path: string; query: string; status: number[]; tries?: number }[] = [
  { name: 'connection resets: succeeds on the third try', path: '/retry/no-status-code-attempts-3', query: 'succeedAfter=2', status: [200], tries: 3 },
  { name: 'connection resets beyond the attempts: 503', path: '/retry/no-status-code-attempts-3', query: 'succeedAfter=4', status: [500, 503], tries: 4 },
  { name: 'backend timeouts: succeeds on the third try', path: '/retry/backend-request-timeout-200ms', query: 'responseCode=500&succeedAfter=2&delayRetry=300ms', status: [200], tries: 3 },
  { name: 'backend timeouts beyond the attempts: 504', path: '/retry/backend-request-timeout-200ms', query: 'responseCode=500&succeedAfter=3&delayRetry=300ms', status: [504] },
  { name: 'retries within the request timeout: 200', path: '/retry/request-timeout-200ms', query: 'responseCode=500&succeedAfter=1', status: [200], tries: 2 },
  {
    name: 'retries beyond the request timeout: 504',
    path: '/retry/request-timeout-200ms',
    query: 'responseCode=500&succeedAfter=4&delayRetry=100ms',
    status: [504],
  },
];

test('HTTPRouteRetryConnectionError and HTTPRouteRetryWithTimeouts', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  let backend: RetryBackend | undefined;
  const spec = { name: V3, namespace: INFRA_NS, start: async () => (backend = await startRetryBackend(V3, INFRA_NS)) };
  const stack = await startStack(t, [spec], `${gatewayYaml()}---\n${moreRoutes}`);
  await stack.routeCondition(INFRA_NS, 'retries-more', 'same-namespace', 'Accepted', 'True', 'Accepted');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.expect(gw, 80, { path: '/retry/request-timeout-200ms' }, (r) => r.status === 200, 'the route is served');
  for (const c of moreCases) {
    await t.test(c.name, async () => {
      let uuid = '';
      const r = await stack.eventually(
        c.name,
        () => {
          uuid = randomUUID();
          return stack.request(gw, 80, { path: `${c.path}?${c.query}&uuid=${uuid}` });
        },
        (res) => c.status.includes(res.status),
      );
      if (c.tries !== undefined) assert.equal(backend?.attempts.get(uuid), c.tries, `${c.name}: tries the backend saw`);
      if (r.status === 503) assert.match(r.text, /no response from the backend after every retry/);
    });
  }
});

/**
 * Traffic port of upstream HTTPRouteWeight: 500 requests (10 at a time) split over backends
 * weighted 70/30/0 must land within ±5 percentage points of those shares; weight 0 gets nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, runCases, shareProblems, V1, V2, V3 } from './cases.js';
import { stringify } from 'yaml';
import { gatewayYaml, haproxyInstalled, startStack, type Stack } from './harness.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: weighted-backends, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs:
    - {name: ${V1}, port: 8080, weight: 70}
    - {name: ${V2}, port: 8080, weight: 30}
    - {name: ${V3}, port: 8080, weight: 0}
`;

const TOTAL = 500;
const CONCURRENCY = 10;
const TOLERANCE = 0.05;
const ATTEMPTS = 3;

async function distribution(stack: Stack, gw: string, host?: string): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < TOTAL) {
      const i = next++;
      const r = await stack.request(gw, 80, { path: `/?entropy=${i}`, host });
      assert.equal(r.status, 200, `request ${i}: ${r.text.slice(0, 200)}`);
      const pod = r.json?.pod ?? '?';
      seen.set(pod, (seen.get(pod) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return seen;
}

const problems = (seen: Map<string, number>, want: Record<string, number>): string[] => shareProblems(seen, want, TOTAL, TOLERANCE);

test('HTTPRouteWeight', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ path: '/' }]);
  const want = { [V1]: 0.7, [V2]: 0.3, [V3]: 0 };
  let last: string[] = [];
  // Upstream allows several tries, since shares are statistical for some data planes.
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    last = problems(await distribution(stack, gw), want);
    if (last.length === 0) return;
  }
  assert.fail(`weighted distribution off after ${ATTEMPTS} tries: ${last.join('; ')}`);
});

test('a backendRef\'s weight is shared by its endpoints', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  // Service "two" has two endpoints (echo servers two-a and two-b), Service "one" has one; equal
  // weights give each Service half of the requests, so each endpoint of "two" gets a quarter.
  const echoes = ['two-a', 'two-b', 'one-a'].map((name) => ({ name, namespace: INFRA_NS }));
  const stack = await startStack(t, echoes, (echo) => {
    const service = (name: string, members: string[]) => [
      stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: INFRA_NS }, spec: { ports: [{ name: 'http', port: 8080 }] } }),
      ...members.map((m) =>
        stringify({
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: `${name}-${m}`, namespace: INFRA_NS, labels: { 'kubernetes.io/service-name': name } },
          addressType: 'IPv4',
          ports: [{ name: 'http', port: echo.get(m)?.port }],
          endpoints: [{ addresses: [echo.get(m)?.host] }],
        }),
      ),
    ];
    const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: endpoints-share, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [share.example.com]
  rules:
  - backendRefs: [{name: two, port: 8080, weight: 1}, {name: one, port: 8080, weight: 1}]
`;
    return [gatewayYaml(), route, ...service('two', ['two-a', 'two-b']), ...service('one', ['one-a'])].join('---\n');
  });
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ host: 'share.example.com', path: '/' }]);
  const want = { 'two-a': 0.25, 'two-b': 0.25, 'one-a': 0.5 };
  let last: string[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    last = problems(await distribution(stack, gw, 'share.example.com'), want);
    if (last.length === 0) return;
  }
  assert.fail(`distribution off after ${ATTEMPTS} tries: ${last.join('; ')}`);
});

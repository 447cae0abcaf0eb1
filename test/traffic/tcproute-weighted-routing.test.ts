/**
 * Traffic port of upstream TCPRouteWeightedRouting: 500 TCP connections (10 at a time) split over
 * backends weighted 70/30/0 must land within ±5 percentage points of those shares; weight 0 gets
 * nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INFRA_NS, shareProblems } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, startStack, type Stack } from './harness.js';
import { expectStream, streamBackend } from './stream.js';
import { streamExchange } from '../support/stream-echo.js';

const listener = `  - name: tcp
    protocol: TCP
    port: 9300
    allowedRoutes: {kinds: [{kind: TCPRoute}]}
`;
const route = `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: tcp-weighted-route, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: tcp-weighted-gateway, sectionName: tcp}]
  rules:
  - backendRefs:
    - {name: tcp-backend-v1, port: 3000, weight: 70}
    - {name: tcp-backend-v2, port: 3000, weight: 30}
    - {name: tcp-backend-v3, port: 3000, weight: 0}
`;

const TOTAL = 500;
const CONCURRENCY = 10;
const TOLERANCE = 0.05;
const ATTEMPTS = 3;

async function distribution(stack: Stack, gw: string): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < TOTAL) {
      next++;
      const r = await streamExchange(gw, 9300);
      seen.set(r.greeting.pod, (seen.get(r.greeting.pod) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return seen;
}

const problems = (seen: Map<string, number>, want: Record<string, number>): string[] => shareProblems(seen, want, TOTAL, TOLERANCE);

test('TCPRouteWeightedRouting', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const names = ['tcp-backend-v1', 'tcp-backend-v2', 'tcp-backend-v3'];
  const stack = await startStack(t, names.map((n) => streamBackend(n, 3000)), [classYaml(), extraGatewayYaml('tcp-weighted-gateway', INFRA_NS, listener), route].join('---\n'));
  const gw = await stack.gatewayAddress(INFRA_NS, 'tcp-weighted-gateway');
  await expectStream(stack, gw, 9300, {}, { backend: 'tcp-backend-v1', backendTls: false });
  const want = { 'tcp-backend-v1': 0.7, 'tcp-backend-v2': 0.3, 'tcp-backend-v3': 0 };
  let last: string[] = [];
  // Upstream allows several tries, since shares are statistical for some data planes.
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    last = problems(await distribution(stack, gw), want);
    if (last.length === 0) return;
  }
  assert.fail(`weighted distribution off after ${ATTEMPTS} tries: ${last.join('; ')}`);
});

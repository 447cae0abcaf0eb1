/**
 * Traffic port of upstream TCPRouteMultipleRoutesAttachment: two TCPRoutes on one TCP listener.
 * Both are Accepted and the listener counts both, but TCP has nothing to tell their connections
 * apart, so by the Gateway API's conflict rule the oldest route (creationTimestamp) takes every
 * connection. The newer route's name sorts first, so the tie-break by name cannot pass for age.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INFRA_NS } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, startStack } from './harness.js';
import { expectRouteCondition, expectStream, streamBackend } from './stream.js';
import { streamExchange } from '../support/stream-echo.js';

const GW = 'tcp-multi-route-attach-gateway';
const listener = `  - name: tcp
    protocol: TCP
    port: 9310
    allowedRoutes:
      kinds: [{kind: TCPRoute, group: gateway.networking.k8s.io}]
      namespaces: {from: Same}
`;
const route = (name: string, created: string, backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}, creationTimestamp: "${created}"}
spec:
  parentRefs: [{name: ${GW}, sectionName: tcp}]
  rules:
  - backendRefs: [{name: ${backend}, port: 3000}]
`;
const older = route('tcproute-attach-older', '2026-01-01T00:00:00Z', 'tcp-attach-backend-1');
const newer = route('tcproute-attach-newer', '2026-01-01T00:00:01Z', 'tcp-attach-backend-2');
const SAMPLES = 100;

test('TCPRouteMultipleRoutesAttachment', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const base = [classYaml(), extraGatewayYaml(GW, INFRA_NS, listener), older];
  const stack = await startStack(t, [streamBackend('tcp-attach-backend-1', 3000), streamBackend('tcp-attach-backend-2', 3000)], base.join('---\n'));
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  await expectStream(stack, gw, 9310, {}, { backend: 'tcp-attach-backend-1', backendTls: false });

  stack.write([...base, newer].join('---\n'));
  for (const name of ['tcproute-attach-older', 'tcproute-attach-newer']) await expectRouteCondition(stack, 'TCPRoute', name, GW, 'Accepted', 'True', 'Accepted');
  await stack.eventually('listener tcp counts 2 routes', async () => stack.status('Gateway', INFRA_NS, GW)?.listeners?.find((l) => l.name === 'tcp')?.attachedRoutes, (n) => n === 2);

  const seen = new Map<string, number>();
  for (let i = 0; i < SAMPLES; i++) {
    const pod = (await streamExchange(gw, 9310)).greeting.pod;
    seen.set(pod, (seen.get(pod) ?? 0) + 1);
  }
  assert.deepEqual(Object.fromEntries(seen), { 'tcp-attach-backend-1': SAMPLES });
});

/**
 * Upstream TCPRouteInvalidBackendRefNonexistent checks status only; this adds what happens to
 * traffic. A TCPRoute whose only backendRef names a missing Service has its connections closed.
 * A route that also has a valid backendRef of equal weight closes about half of them (the share of
 * the invalid one) and sends the rest to the valid backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INFRA_NS } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, startStack } from './harness.js';
import { expectRejected, expectRouteCondition, expectStream, streamBackend } from './stream.js';
import { streamRejected } from '../support/stream-echo.js';

const GW = 'tcp-invalid-backends';
const listener = (name: string, port: number) => `  - name: ${name}
    protocol: TCP
    port: ${port}
    allowedRoutes: {kinds: [{kind: TCPRoute}]}
`;
const route = (name: string, section: string, refs: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${GW}, sectionName: ${section}}]
  rules:
  - backendRefs: ${refs}
`;
const SAMPLES = 200;

test('TCPRoute backendRefs that cannot be resolved close their share of connections', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const manifests = [
    classYaml(),
    extraGatewayYaml(GW, INFRA_NS, listener('only-missing', 9400) + listener('half-missing', 9401)),
    route('only-missing', 'only-missing', '[{name: does-not-exist, port: 3000}]'),
    route('half-missing', 'half-missing', '[{name: tcp-backend, port: 3000, weight: 1}, {name: does-not-exist, port: 3000, weight: 1}]'),
  ].join('---\n');
  const stack = await startStack(t, [streamBackend('tcp-backend', 3000)], manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  await expectRouteCondition(stack, 'TCPRoute', 'only-missing', GW, 'ResolvedRefs', 'False', 'BackendNotFound');
  await expectStream(stack, gw, 9401, {}, { backend: 'tcp-backend', backendTls: false });
  await expectRejected(stack, gw, 9400, {});

  const outcomes = new Map<string, number>();
  for (let i = 0; i < SAMPLES; i++) {
    const outcome = await streamRejected(gw, 9401);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  const rejected = outcomes.get('rejected') ?? 0;
  const served = outcomes.get('served by tcp-backend') ?? 0;
  assert.equal(rejected + served, SAMPLES, `unexpected outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  // Half each; bounds wide enough that chance alone essentially never fails them.
  assert.ok(rejected > SAMPLES * 0.3 && rejected < SAMPLES * 0.7, `rejected ${rejected} of ${SAMPLES}, want about half`);
});

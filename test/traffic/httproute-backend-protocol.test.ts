/**
 * Traffic ports of upstream HTTPRouteBackendProtocolH2C and HTTPRouteBackendProtocolWebSocket:
 * a Service port with appProtocol kubernetes.io/h2c is spoken to with HTTP/2 prior knowledge (the
 * echo backend here answers HTTP/1 with 400, so only h2c succeeds); one with kubernetes.io/ws
 * carries a WebSocket through the Gateway.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectWebSocket } from '../support/echo-server.js';
import { INFRA_NS, runCases, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const skip = !haproxyInstalled && 'haproxy is not installed';
const route = (name: string, port: number) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: [{name: ${V1}, port: ${port}}]
`;

test('HTTPRouteBackendProtocolH2C', { skip }, async (t) => {
  const backend = { name: V1, namespace: INFRA_NS, protocol: 'h2c' as const, ports: [{ port: 8081, name: 'http2', appProtocol: 'kubernetes.io/h2c' }] };
  const stack = await startStack(t, [backend], `${gatewayYaml()}---\n${route('backend-protocol-h2c', 8081)}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  // Upstream's client speaks h2c with prior knowledge to the Gateway as well.
  const r = await stack.expect(gw, 80, { path: '/', http2: true }, (res) => res.status === 200, 'h2c request through the Gateway');
  assert.equal(r.json?.pod, V1);
  assert.equal(r.json?.proto, 'HTTP/2.0', 'the backend was spoken to over HTTP/2');
  // And an HTTP/1.1 client still reaches the h2c backend.
  await runCases(stack, gw, 80, [{ path: '/h1-client', backend: V1 }]);
});

test('HTTPRouteBackendProtocolWebSocket', { skip }, async (t) => {
  const backend = { name: V1, namespace: INFRA_NS, protocol: 'http1' as const, ports: [{ port: 8082, name: 'ws', appProtocol: 'kubernetes.io/ws' }] };
  const stack = await startStack(t, [backend], `${gatewayYaml()}---\n${route('backend-protocol-ws', 8082)}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const ws = await stack.eventually(
    'WebSocket handshake through the Gateway',
    () => connectWebSocket(`ws://${gw}:80/ws`, { headers: { Origin: 'ws://gateway/HTTPRouteBackendProtocolWebSocket' }, timeoutMs: 2000 }),
    () => true,
  );
  try {
    ws.send('Websocket Support!');
    const text = await ws.next();
    assert.equal(text.type, 'text');
    assert.equal(text.text, 'Websocket Support!');
    const binary = Buffer.from([1, 2, 3, 4, 5, 6, 7]);
    ws.send(binary);
    const reply = await ws.next();
    assert.equal(reply.type, 'binary');
    assert.deepEqual(reply.data, binary);
  } finally {
    await ws.close();
  }
});

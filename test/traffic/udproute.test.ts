/**
 * UDPRoute through Portico: HAProxy 2.6 has no UDP, so the data plane's UDP forwarder serves UDP
 * listeners (src/haproxy/udp-forwarder.ts) beside the Gateway's HAProxy. Not an upstream port of a
 * traffic test (upstream has only UDPRouteInvalidCrossNamespaceBackendRef, a status test); it
 * checks what the status claims: the route's datagrams reach its backend and the answers return,
 * while the HTTP listener of the same Gateway keeps working.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { backends, INFRA_NS, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, type BackendServer, startStack } from './harness.js';

const UDP_BACKEND = 'udp-echo';

async function startUdpEcho(name: string): Promise<BackendServer> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, from) => socket.send(`${name}:${msg.toString()}`, from.port, from.address));
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, resolve));
  return { host: '127.0.0.1', port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

function ask(address: string, port: number, text: string, timeoutMs = 1000): Promise<string> {
  const client = dgram.createSocket('udp4');
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new Error(`no answer from ${address}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.on('message', (msg) => {
      clearTimeout(timer);
      client.close();
      resolve(msg.toString());
    });
    client.send(text, port, address);
  });
}

const listeners = `  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes: {namespaces: {from: Same}}
  - name: dns
    port: 5353
    protocol: UDP
    allowedRoutes: {namespaces: {from: Same}}
`;
const routes = `
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: UDPRoute
metadata: {name: dns, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace, sectionName: dns}]
  rules:
  - backendRefs: [{name: ${UDP_BACKEND}, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace, sectionName: http}]
  rules:
  - backendRefs: [{name: ${V1}, port: 8080}]
`;

test('UDPRoute: datagrams through the UDP forwarder and back, beside an HTTP listener', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, [...backends(V1), { name: UDP_BACKEND, namespace: INFRA_NS, start: () => startUdpEcho(UDP_BACKEND) }], `${gatewayYaml('same-namespace', INFRA_NS, listeners)}---\n${routes}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const listener = stack.status('Gateway', INFRA_NS, 'same-namespace')?.listeners?.find((l) => l.name === 'dns');
  assert.deepEqual(listener?.conditions.filter((c) => c.type === 'Accepted' || c.type === 'Programmed').map((c) => c.status), ['True', 'True']);
  assert.equal(listener?.attachedRoutes, 1);
  const answer = await stack.eventually('a UDP answer through the Gateway', () => ask(gw, 5353, 'hello'), (a) => a === `${UDP_BACKEND}:hello`);
  assert.equal(answer, `${UDP_BACKEND}:hello`);
  const web = await stack.expect(gw, 80, { path: '/' }, (r) => r.status === 200, 'the HTTP listener');
  assert.equal(web.json?.pod, V1);
});

/**
 * Traffic port of upstream TLSRouteTerminateSimpleSameNamespace: a TLS listener with mode
 * Terminate for tls.example.com and a TLSRoute to a plain TCP backend. The gateway terminates TLS
 * with the listener's certificate and the backend receives the decrypted bytes (no TLS, no SNI).
 * Also (not upstream): the listener offers no ALPN protocol, since what it carries is not HTTP, and
 * a name no route takes is closed after the handshake.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INFRA_NS } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, startStack, tlsSecretYaml } from './harness.js';
import { expectRejected, expectStream, GATEWAY_CERT, streamBackend } from './stream.js';
import { streamExchange } from '../support/stream-echo.js';
import tls from 'node:tls';

const listener = `  - name: tlsterminate
    port: 8443
    protocol: TLS
    hostname: tls.example.com
    allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
    tls:
      mode: Terminate
      certificateRefs: [{name: tls-terminate-checks-certificate}]
`;
const route = `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: tlsroute-terminated-test, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: gateway-tlsroute-terminate, namespace: ${INFRA_NS}}]
  hostnames: [tls.example.com]
  rules:
  - backendRefs: [{name: tcp-backend, port: 3000}]
`;

/** The ALPN protocol the gateway picks when a client offers h2 and http/1.1 (false: none). */
function negotiatedAlpn(address: string, port: number, servername: string): Promise<string | false> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: address, port, servername, ALPNProtocols: ['h2', 'http/1.1'], rejectUnauthorized: false }, () => {
      resolve(socket.alpnProtocol ?? false);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

test('TLSRouteTerminateSimpleSameNamespace', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const manifests = [classYaml(), tlsSecretYaml('tls-terminate-checks-certificate', INFRA_NS, GATEWAY_CERT), extraGatewayYaml('gateway-tlsroute-terminate', INFRA_NS, listener), route].join('---\n');
  const stack = await startStack(t, [streamBackend('tcp-backend', 3000)], manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, 'gateway-tlsroute-terminate');
  await expectStream(stack, gw, 8443, { tls: { servername: 'tls.example.com' } }, { backend: 'tcp-backend', backendTls: false, cert: GATEWAY_CERT });
  assert.equal(await negotiatedAlpn(gw, 8443, 'tls.example.com'), false);
  await expectRejected(stack, gw, 8443, { tls: { servername: 'other.example.com' } });
  // Plain TCP to a TLS listener never reaches the backend.
  await assert.rejects(streamExchange(gw, 8443, { timeoutMs: 2000 }));
});

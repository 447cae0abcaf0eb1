/**
 * Traffic port of upstream TLSRouteMixedTerminationSameNamespace: on one port, a TLS listener
 * terminating TLS for tls.example.com and a passthrough one for abc.example.com. The SNI picks
 * the listener: tls.example.com is decrypted by the gateway (its certificate; the backend's plain
 * port receives no TLS), abc.example.com reaches the backend's TLS port untouched (the backend's
 * certificate and SNI). Both listeners report one attached route. Also (not upstream): a name
 * neither listener takes is closed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INFRA_NS } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, startStack, tlsSecretYaml } from './harness.js';
import { BACKEND_CERT, expectRejected, expectStream, GATEWAY_CERT, multiPortStreamService } from './stream.js';

const GW = 'gateway-tlsroute-mixed-termination';
const listeners = `  - name: tls-terminate
    port: 8883
    protocol: TLS
    hostname: tls.example.com
    allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
    tls:
      mode: Terminate
      certificateRefs: [{name: tls-terminate-checks-certificate}]
  - name: tls-passthrough
    port: 8883
    protocol: TLS
    hostname: abc.example.com
    allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
    tls: {mode: Passthrough}
`;
const route = (name: string, hostname: string, port: number) => `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${GW}, namespace: ${INFRA_NS}}]
  hostnames: [${hostname}]
  rules:
  - backendRefs: [{name: tcp-backend, port: ${port}}]
`;

test('TLSRouteMixedTerminationSameNamespace', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const backend = await multiPortStreamService(t, 'tcp-backend', [
    { name: 'tls', port: 8443, tls: true },
    { name: 'plain', port: 3000 },
  ]);
  const manifests = [
    classYaml(),
    tlsSecretYaml('tls-terminate-checks-certificate', INFRA_NS, GATEWAY_CERT),
    extraGatewayYaml(GW, INFRA_NS, listeners),
    route('gateway-conformance-mixed-passthroughroute', 'abc.example.com', 8443),
    route('gateway-conformance-mixed-terminateroute', 'tls.example.com', 3000),
    backend,
  ].join('---\n');
  const stack = await startStack(t, [], manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  const status = stack.status('Gateway', INFRA_NS, GW);
  for (const name of ['tls-terminate', 'tls-passthrough']) {
    const l = status?.listeners?.find((x) => x.name === name);
    assert.equal(l?.attachedRoutes, 1, `listener ${name}: ${JSON.stringify(l)}`);
    assert.ok(l?.conditions.some((c) => c.type === 'Programmed' && c.status === 'True'), `listener ${name} not programmed: ${JSON.stringify(l?.conditions)}`);
  }
  await expectStream(stack, gw, 8883, { tls: { servername: 'tls.example.com' } }, { backend: 'tcp-backend', backendTls: false, cert: GATEWAY_CERT });
  await expectStream(stack, gw, 8883, { tls: { servername: 'abc.example.com' } }, { backend: 'tcp-backend', backendTls: true, serverName: 'abc.example.com', cert: BACKEND_CERT });
  await expectRejected(stack, gw, 8883, { tls: { servername: 'other.example.com' } });
  await expectRejected(stack, gw, 8883, { tls: {} });
});

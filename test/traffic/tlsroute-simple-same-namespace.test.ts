/**
 * Traffic port of upstream TLSRouteSimpleSameNamespace: a TLS passthrough listener for
 * *.example.com and one TLSRoute for abc.example.com. A client asking for abc.example.com must
 * reach the TLS backend end to end: the backend terminates TLS (the client sees its certificate,
 * the backend sees the client's SNI) and bytes flow both ways. Also (not upstream): a name the
 * listener takes but no route does, a name outside the listener, and a client sending no SNI at
 * all are closed.
 */
import { test } from 'node:test';
import { INFRA_NS } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, startStack } from './harness.js';
import { BACKEND_CERT, expectRejected, expectStream, streamBackend } from './stream.js';

const listener = `  - name: https
    port: 443
    protocol: TLS
    hostname: "*.example.com"
    allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
    tls: {mode: Passthrough}
`;
const route = `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: gateway-conformance-infra-test, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: gateway-tlsroute, namespace: ${INFRA_NS}}]
  hostnames: [abc.example.com]
  rules:
  - backendRefs: [{name: tcp-backend, port: 8443}]
`;

test('TLSRouteSimpleSameNamespace', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, [streamBackend('tcp-backend', 8443, { tls: true })], [classYaml(), extraGatewayYaml('gateway-tlsroute', INFRA_NS, listener), route].join('---\n'));
  const gw = await stack.gatewayAddress(INFRA_NS, 'gateway-tlsroute');
  await expectStream(stack, gw, 443, { tls: { servername: 'abc.example.com' } }, { backend: 'tcp-backend', backendTls: true, serverName: 'abc.example.com', cert: BACKEND_CERT });
  // Once served, the refusals below are the configuration's answer, not a data plane still starting.
  await expectRejected(stack, gw, 443, { tls: { servername: 'other.example.com' } });
  await expectRejected(stack, gw, 443, { tls: { servername: 'abc.example.org' } });
  await expectRejected(stack, gw, 443, { tls: {} });
});

/**
 * Upstream TLSRouteInvalidBackendRefNonexistent checks status only; this adds what happens to
 * traffic on a passthrough listener: an SNI whose route has no usable backend is closed, while
 * another route on the same listener keeps working.
 */
import { test } from 'node:test';
import { INFRA_NS } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, startStack } from './harness.js';
import { BACKEND_CERT, expectRejected, expectRouteCondition, expectStream, streamBackend } from './stream.js';

const GW = 'gateway-tlsroute-invalid-backend-ref';
const listener = `  - name: tls
    protocol: TLS
    port: 443
    allowedRoutes: {kinds: [{kind: TLSRoute}]}
    tls: {mode: Passthrough}
`;
const route = (name: string, hostname: string, backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${GW}}]
  hostnames: [${hostname}]
  rules:
  - backendRefs: [{name: ${backend}, port: 443}]
`;

test('a TLSRoute without a usable backend closes its connections', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const manifests = [
    classYaml(),
    extraGatewayYaml(GW, INFRA_NS, listener),
    route('invalid-backend-ref-nonexistent', 'broken.example.com', 'does-not-exist'),
    route('working', 'ok.example.com', 'tls-backend'),
  ].join('---\n');
  const stack = await startStack(t, [streamBackend('tls-backend', 443, { tls: true })], manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  await expectRouteCondition(stack, 'TLSRoute', 'invalid-backend-ref-nonexistent', GW, 'ResolvedRefs', 'False', 'BackendNotFound');
  await expectStream(stack, gw, 443, { tls: { servername: 'ok.example.com' } }, { backend: 'tls-backend', backendTls: true, serverName: 'ok.example.com', cert: BACKEND_CERT });
  await expectRejected(stack, gw, 443, { tls: { servername: 'broken.example.com' } });
});

/**
 * Traffic port of upstream TLSRouteHostnameIntersection: four Gateways with one TLS passthrough
 * listener each (exact, *.example.com, *.com, no hostname) and TLSRoutes whose hostnames
 * intersect the listener's. A connection reaches the route whose hostname is the most specific
 * match for its SNI, within what the listener allows; an SNI outside the intersection is closed.
 */
import { test } from 'node:test';
import { INFRA_NS } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, startStack } from './harness.js';
import { BACKEND_CERT, expectRejected, expectStream, streamBackend } from './stream.js';

const listener = (name: string, hostname?: string) => `  - name: ${name}
    protocol: TLS
    port: 443
${hostname ? `    hostname: "${hostname}"\n` : ''}    allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
    tls: {mode: Passthrough}
`;
const route = (name: string, gateway: string, hostname: string, backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${gateway}, namespace: ${INFRA_NS}}]
  hostnames: ["${hostname}"]
  rules:
  - backendRefs: [{name: ${backend}, port: 443}]
`;

const GW1 = 'gw-tlsroute-exact-hostname-x-1';
const GW2 = 'gw-tlsroute-more-specific-wc-hostname-x-2';
const GW3 = 'gw-tlsroute-less-specific-wc-hostname-x-3';
const GW4 = 'gw-tlsroute-empty-hostname-x-4';

const manifests = [
  classYaml(),
  extraGatewayYaml(GW1, INFRA_NS, listener('listener-exact-hostname', 'abc.example.com')),
  extraGatewayYaml(GW2, INFRA_NS, listener('listener-more-specific-wc-hostname', '*.example.com')),
  extraGatewayYaml(GW3, INFRA_NS, listener('listener-less-specific-wc-hostname', '*.com')),
  extraGatewayYaml(GW4, INFRA_NS, listener('listener-empty-hostname')),
  route('tlsroute-more-specific-wc-hostname-x-1', GW1, '*.example.com', 'tls-backend'),
  route('tlsroute-exact-hostname-x-2', GW2, 'abc.example.com', 'tls-backend'),
  route('tlsroute-less-specific-wc-hostname-x-2', GW2, '*.com', 'tls-backend-2'),
  route('tlsroute-exact-hostname-x-3', GW3, 'abc.example.com', 'tls-backend'),
  route('tlsroute-more-specific-wc-hostname-x-3', GW3, '*.example.com', 'tls-backend-2'),
  route('tlsroute-exact-hostname-x-4', GW4, 'abc.example.com', 'tls-backend'),
  route('tlsroute-less-specific-wc-hostname-x-4', GW4, '*.com', 'tls-backend-2'),
].join('---\n');

test('TLSRouteHostnameIntersection', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, [streamBackend('tls-backend', 443, { tls: true }), streamBackend('tls-backend-2', 443, { tls: true })], manifests);
  const reaches = async (gateway: string, sni: string, backend: string) => {
    const gw = await stack.gatewayAddress(INFRA_NS, gateway);
    await expectStream(stack, gw, 443, { tls: { servername: sni } }, { backend, backendTls: true, serverName: sni, cert: BACKEND_CERT });
  };
  const closed = async (gateway: string, sni: string) => expectRejected(stack, await stack.gatewayAddress(INFRA_NS, gateway), 443, { tls: { servername: sni } });

  await t.test('exact listener hostname', async () => {
    await reaches(GW1, 'abc.example.com', 'tls-backend');
    await closed(GW1, 'non.matching.com');
    // Not upstream: the route's wildcard is cut down to the listener's name.
    await closed(GW1, 'other.example.com');
  });
  await t.test('more specific wildcard listener hostname', async () => {
    await reaches(GW2, 'abc.example.com', 'tls-backend');
    await reaches(GW2, 'other.example.com', 'tls-backend-2');
    await closed(GW2, 'non.matching.com');
  });
  await t.test('less specific wildcard listener hostname', async () => {
    await reaches(GW3, 'abc.example.com', 'tls-backend');
    await reaches(GW3, 'other.example.com', 'tls-backend-2');
    await closed(GW3, 'non.matching.com');
  });
  await t.test('empty listener hostname', async () => {
    await reaches(GW4, 'abc.example.com', 'tls-backend');
    await reaches(GW4, 'other.example.com', 'tls-backend-2');
    // Not upstream: SNI is matched without regard to case, as hostnames are.
    await reaches(GW4, 'ABC.Example.COM', 'tls-backend');
    await closed(GW4, 'non.matching.org');
  });
});

/**
 * Not an upstream test: HTTPS and TLS listeners on one port. The ClientHello's server name (SNI)
 * picks the most specific listener before anything is decrypted: the HTTPS listeners' connections
 * are terminated and routed by HTTPRoutes as on an HTTPS-only port (421 included), the passthrough
 * listener's reach its TLSRoute's backend untouched, the terminating TLS listener's reach its
 * TLSRoute's backend decrypted. A client without SNI gets what an HTTPS-only port gives it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, V1, V2 } from './cases.js';
import { classYaml, extraGatewayYaml, fixtureFingerprint, haproxyInstalled, sectionRouteYaml, startStack, tlsSecretYaml } from './harness.js';
import { BACKEND_CERT, expectRejected, expectStream, GATEWAY_CERT, streamBackend } from './stream.js';
import { openStream } from '../support/stream-echo.js';

const GW = 'shared-port';
const https = (name: string, hostname: string) => `  - name: ${name}
    port: 443
    protocol: HTTPS
    hostname: ${hostname}
    allowedRoutes: {namespaces: {from: Same}}
    tls: {certificateRefs: [{name: gateway-cert}]}
`;
const listeners = `${https('https-a', 'a.example.com')}${https('https-b', 'b.example.com')}  - name: passthrough
    port: 443
    protocol: TLS
    hostname: "*.example.com"
    allowedRoutes: {namespaces: {from: Same}}
    tls: {mode: Passthrough}
  - name: terminate
    port: 443
    protocol: TLS
    hostname: t.example.com
    allowedRoutes: {namespaces: {from: Same}}
    tls: {mode: Terminate, certificateRefs: [{name: gateway-cert}]}
`;
const httpRoute = (name: string, section: string, backend: string) => sectionRouteYaml(name, GW, section, backend, INFRA_NS);
const tlsRoute = (name: string, section: string, hostname: string, backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${GW}, sectionName: ${section}}]
  hostnames: ["${hostname}"]
  rules:
  - backendRefs: [{name: ${backend}, port: 9000}]
`;

const manifests = [
  classYaml(),
  tlsSecretYaml('gateway-cert', INFRA_NS, GATEWAY_CERT),
  extraGatewayYaml(GW, INFRA_NS, listeners),
  httpRoute('a', 'https-a', V1),
  httpRoute('b', 'https-b', V2),
  tlsRoute('passthrough', 'passthrough', '*.example.com', 'tls-echo'),
  tlsRoute('terminate', 'terminate', 't.example.com', 'tcp-echo'),
].join('---\n');

test('HTTPS and TLS listeners share a port', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, [...backends(V1, V2), streamBackend('tls-echo', 9000, { tls: true }), streamBackend('tcp-echo', 9000)], manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  const gatewayCert = fixtureFingerprint(GATEWAY_CERT);
  const https = (sni: string | undefined, host: string, backend: string) =>
    stack.expectHttps(gw, 443, { servername: sni, host, path: '/' }, (r) => r.status === 200 && r.json?.pod === backend && r.certFingerprint === gatewayCert, `HTTPS SNI ${sni ?? 'none'} Host ${host} → ${backend}`);

  await https('a.example.com', 'a.example.com', V1);
  await https('b.example.com', 'b.example.com', V2);
  // The HTTPS frontend behind the SNI frontend still sees the TLS server name.
  await stack.expectHttps(gw, 443, { servername: 'a.example.com', host: 'b.example.com', path: '/' }, (r) => r.status === 421, 'Host of another listener than the SNI → 421');
  await expectStream(stack, gw, 443, { tls: { servername: 'x.example.com' } }, { backend: 'tls-echo', backendTls: true, serverName: 'x.example.com', cert: BACKEND_CERT });
  await expectStream(stack, gw, 443, { tls: { servername: 't.example.com' } }, { backend: 'tcp-echo', backendTls: false, cert: GATEWAY_CERT });
  // No SNI: the HTTPS listeners' frontend takes it (the default certificate) and routes by Host.
  await https(undefined, 'b.example.com', V2);
  // A name outside every listener: on an HTTPS-only port the HTTP routing would answer, so it does here.
  await stack.expectHttps(gw, 443, { servername: 'example.org', host: 'example.org', path: '/' }, (r) => r.status === 404, 'unknown SNI and Host → 404');
  // Plain text is not a ClientHello.
  await expectRejected(stack, gw, 443, { preamble: 'GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n' });
});

test('open stream connections survive a reload, and the internal frontends keep serving after it', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, [...backends(V1, V2), streamBackend('tls-echo', 9000, { tls: true }), streamBackend('tcp-echo', 9000)], manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  await expectStream(stack, gw, 443, { tls: { servername: 't.example.com' } }, { backend: 'tcp-echo', backendTls: false });
  const passthrough = await openStream(gw, 443, { tls: { servername: 'x.example.com' } });
  const terminated = await openStream(gw, 443, { tls: { servername: 't.example.com' } });
  t.after(() => passthrough.close());
  t.after(() => terminated.close());
  assert.equal(passthrough.greeting.pod, 'tls-echo');
  assert.equal(terminated.greeting.pod, 'tcp-echo');

  // A rule with a filter of its own: a new backend section, so HAProxy reloads.
  const extra = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: extra, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${GW}, sectionName: https-a}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /extra}}]
    filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-extra, value: "1"}]}}]
    backendRefs: [{name: ${V2}, port: 8080}]
`;
  stack.write(`${manifests}---\n${extra}`);
  await stack.expectHttps(gw, 443, { servername: 'a.example.com', host: 'a.example.com', path: '/extra' }, (r) => r.status === 200 && r.json?.pod === V2 && r.json.headers['X-Extra']?.[0] === '1', 'the new rule is served');

  assert.equal(await passthrough.echo('still here'), 'still here');
  assert.equal(await terminated.echo('still here'), 'still here');
  // Closed now: open connections would hold the old worker, and the final stop, until they end.
  passthrough.close();
  terminated.close();
  await expectStream(stack, gw, 443, { tls: { servername: 'x.example.com' } }, { backend: 'tls-echo', backendTls: true, serverName: 'x.example.com', cert: BACKEND_CERT });
  await expectStream(stack, gw, 443, { tls: { servername: 't.example.com' } }, { backend: 'tcp-echo', backendTls: false, cert: GATEWAY_CERT });
  await stack.expectHttps(gw, 443, { servername: 'b.example.com', host: 'b.example.com', path: '/' }, (r) => r.status === 200 && r.json?.pod === V2, 'HTTPS after the reload');
});

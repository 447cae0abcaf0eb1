/**
 * Not an upstream test: on one HTTPS port, each listener presents its own certificate. SNI picks
 * the most specific listener whose hostname matches; any other SNI (or none) belongs to the
 * listener without hostname, and must get that listener's certificate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, V1, V2 } from './cases.js';
import { classYaml, extraGatewayYaml, fixtureFingerprint, haproxyInstalled, startStack, tlsSecretYaml } from './harness.js';

const listener = (name: string, secret: string, hostname?: string) => `  - name: ${name}
    port: 443
    protocol: HTTPS
    allowedRoutes: {namespaces: {from: Same}}
${hostname ? `    hostname: "${hostname}"\n` : ''}    tls: {certificateRefs: [{name: ${secret}}]}
`;
const route = (name: string, section: string, backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: certs, sectionName: ${section}}]
  rules:
  - backendRefs: [{name: ${backend}, port: 8080}]
`;

const manifests = [
  classYaml(),
  tlsSecretYaml('example-cert', INFRA_NS, 'example'),
  tlsSecretYaml('other-cert', INFRA_NS, 'other'),
  extraGatewayYaml('certs', INFRA_NS, listener('specific', 'example-cert', 'a.example.com') + listener('any', 'other-cert')),
  route('specific', 'specific', V1),
  route('any', 'any', V2),
].join('---\n');

test('each HTTPS listener presents its own certificate', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, 'certs');
  const example = fixtureFingerprint('example');
  const other = fixtureFingerprint('other');
  const cases = [
    { sni: 'a.example.com', host: 'a.example.com', cert: example, backend: V1 },
    { sni: 'other.org', host: 'other.org', cert: other, backend: V2 },
    { sni: 'b.example.com', host: 'b.example.com', cert: other, backend: V2 },
    { sni: 'unknown.test', host: 'unknown.test', cert: other, backend: V2 },
  ];
  const wrong: string[] = [];
  for (const c of cases) {
    const r = await stack.expectHttps(gw, 443, { servername: c.sni, host: c.host, path: '/' }, (res) => res.status === 200, `SNI ${c.sni}`);
    const got = r.certFingerprint === example ? 'example' : r.certFingerprint === other ? 'other' : r.certFingerprint;
    if (r.certFingerprint !== c.cert) wrong.push(`SNI ${c.sni}: certificate ${got}, want ${c.cert === example ? 'example' : 'other'}`);
    if (r.json?.pod !== c.backend) wrong.push(`SNI ${c.sni}: backend ${r.json?.pod}, want ${c.backend}`);
  }
  assert.deepEqual(wrong, []);
});

/**
 * Traffic port of upstream GatewayFrontendClientCertificateValidation, its InsecureFallback variant
 * and GatewayFrontendInvalidDefaultClientCertificateValidation, in one Gateway: port 443 lets in
 * only clients whose certificate the CA in a ConfigMap vouches for; port 8443 asks for one but lets
 * every client in (AllowInsecureFallback); port 9443 names a CA that does not exist, so it is not
 * served at all, while the HTTP listener on port 80 is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { backends, INFRA_NS, V1, V2 } from './cases.js';
import { classYaml, extraGatewayYaml, fixtureDir, haproxyInstalled, httpsRequest, sectionRouteYaml, startStack, tlsSecretYaml } from './harness.js';

const GW = 'client-validation';
const pem = (name: string) => readFileSync(path.join(fixtureDir(), 'tls', name), 'utf8');
const https = (name: string, port: number, hostname: string) => `  - name: ${name}
    port: ${port}
    protocol: HTTPS
    hostname: ${hostname}
    allowedRoutes: {namespaces: {from: Same}}
    tls: {certificateRefs: [{name: server-cert}]}
`;
const ca = (name: string) => `{group: "", kind: ConfigMap, name: ${name}}`;
const gatewayYaml = extraGatewayYaml(
  GW,
  INFRA_NS,
  https('https', 443, 'example.org') +
    https('https-fallback', 8443, 'second-example.org') +
    https('https-missing-ca', 9443, 'third-example.org') +
    '  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n',
).replace(
  /^spec:\n/m,
  `spec:
  tls:
    frontend:
      default:
        validation: {caCertificateRefs: [${ca('client-ca')}]}
      perPort:
      - port: 8443
        tls: {validation: {mode: AllowInsecureFallback, caCertificateRefs: [${ca('client-ca')}]}}
      - port: 9443
        tls: {validation: {caCertificateRefs: [${ca('no-such-ca')}]}}
`,
);
const route = (name: string, section: string, backend: string) => sectionRouteYaml(name, GW, section, backend, INFRA_NS);
const manifests = [
  classYaml(),
  gatewayYaml,
  tlsSecretYaml('server-cert', INFRA_NS),
  stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'client-ca', namespace: INFRA_NS }, data: { 'ca.crt': pem('client-ca.crt') } }),
  route('strict', 'https', V1),
  route('fallback', 'https-fallback', V2),
  route('missing-ca', 'https-missing-ca', V1),
  route('plain', 'http', V1),
].join('---\n');

const client = { cert: pem('client.crt'), key: pem('client.key') };
const stranger = { cert: pem('stranger.crt'), key: pem('stranger.key') };

test('GatewayFrontendClientCertificateValidation (default, AllowInsecureFallback, invalid CA reference)', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, GW);

  // AllowValidOnly: the CA's client gets through; a certificate no CA vouches for, or none, fails the handshake.
  const ok = await stack.expectHttps(gw, 443, { host: 'example.org', servername: 'example.org', ...client }, (r) => r.status === 200, 'port 443 with a valid client certificate');
  assert.equal(ok.json?.pod, V1);
  for (const [what, identity] of [['a certificate no CA vouches for', stranger], ['no certificate', {}]] as const) {
    await assert.rejects(httpsRequest(gw, 443, { host: 'example.org', servername: 'example.org', ...identity }), Error, `port 443 with ${what} must not get through`);
  }

  // AllowInsecureFallback: every client gets through.
  for (const [what, identity] of [['a valid certificate', client], ['a certificate no CA vouches for', stranger], ['no certificate', {}]] as const) {
    const r = await stack.expectHttps(gw, 8443, { host: 'second-example.org', servername: 'second-example.org', ...identity }, (res) => res.status === 200, `port 8443 with ${what}`);
    assert.equal(r.json?.pod, V2, `port 8443 with ${what}`);
  }
  const insecure = stack.status('Gateway', INFRA_NS, GW)?.conditions?.find((c) => c.type === 'InsecureFrontendValidationMode');
  assert.deepEqual([insecure?.status, insecure?.reason], ['True', 'ConfigurationChanged']);

  // A CA reference that does not resolve: that listener is neither accepted nor served; the rest are.
  const listener = stack.status('Gateway', INFRA_NS, GW)?.listeners?.find((l) => l.name === 'https-missing-ca');
  const cond = (type: string) => listener?.conditions.find((c) => c.type === type);
  assert.deepEqual([cond('Accepted')?.status, cond('Accepted')?.reason], ['False', 'NoValidCACertificate']);
  assert.deepEqual([cond('ResolvedRefs')?.status, cond('ResolvedRefs')?.reason], ['False', 'InvalidCACertificateRef']);
  assert.equal(cond('Programmed')?.status, 'False');
  await assert.rejects(httpsRequest(gw, 9443, { host: 'third-example.org', servername: 'third-example.org', ...client }), Error, 'port 9443 is not served');
  const plain = await stack.expect(gw, 80, { host: 'example.org' }, (r) => r.status === 200, 'the HTTP listener is served');
  assert.equal(plain.json?.pod, V1);
});

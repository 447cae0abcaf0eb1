/**
 * Traffic port of upstream HTTPRouteHTTPSListener: HTTPS listeners on port 443 terminate TLS with
 * the certificate from their Secret and route by Host like HTTP listeners; a route bound to the
 * listener with hostname second-example.org serves only that host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { backends, INFRA_NS, V1, V2 } from './cases.js';
import { classYaml, fixtureFingerprint, haproxyInstalled, startStack } from './harness.js';
import { HTTPS_GW, httpsGatewayYaml } from './https-gateway.js';

const routes = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: httproute-https-test, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${HTTPS_GW}}]
  hostnames: [example.org]
  rules:
  - backendRefs: [{name: ${V1}, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: httproute-https-test-no-hostname, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${HTTPS_GW}, sectionName: https-with-hostname}]
  rules:
  - backendRefs: [{name: ${V2}, port: 8080}]
`;

/** One HTTP/2 request over TLS (ALPN h2), as upstream's HTTPS clients may send. */
function h2Request(address: string, servername: string, authority: string, path: string): Promise<{ status: number; body: string; alpn: string | false | undefined }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://${address}:443`, { servername, rejectUnauthorized: false });
    session.on('error', reject);
    const stream = session.request({ ':method': 'GET', ':path': path, ':authority': authority });
    let status = 0;
    let body = '';
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (body += c));
    stream.on('error', reject);
    stream.on('end', () => {
      const alpn = session.alpnProtocol;
      session.close();
      resolve({ status, body, alpn });
    });
  });
}

test('HTTPRouteHTTPSListener', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${classYaml()}---\n${httpsGatewayYaml}---\n${routes}`);
  const gw = await stack.gatewayAddress(INFRA_NS, HTTPS_GW);
  const fingerprint = fixtureFingerprint('example');
  const cases = [
    { host: 'example.org', status: 200, backend: V1 },
    { host: 'unknown-example.org', status: 404 },
    { host: 'second-example.org', status: 200, backend: V2 },
  ];
  for (const c of cases) {
    const what = `https://${c.host}/ (SNI ${c.host}) → ${c.status}`;
    const r = await stack.expectHttps(gw, 443, { host: c.host, servername: c.host, path: '/' }, (res) => res.status === c.status, what);
    assert.equal(r.certFingerprint, fingerprint, `${what}: the listener's certificate`);
    if (c.backend) {
      assert.equal(r.json?.pod, c.backend, what);
      assert.equal(r.json?.namespace, INFRA_NS, what);
      assert.equal(r.json?.path, '/', what);
      assert.equal(r.json?.host, c.host, what);
    }
  }
  // The same over HTTP/2 (ALPN h2).
  const r = await stack.eventually('h2 over TLS', () => h2Request(gw, 'second-example.org', 'second-example.org', '/'), (res) => res.status === 200);
  assert.equal(r.alpn, 'h2');
  assert.equal((JSON.parse(r.body) as { pod: string }).pod, V2);
});

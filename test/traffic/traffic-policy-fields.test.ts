/**
 * The TrafficPolicy fields that become plain HAProxy directives, through a real HAProxy: rbac
 * (allow by network and header, deny by method and path), buffer (413 by Content-Length and for
 * a chunked body), response compression, CORS, a request timeout, retries, and a rate limit with
 * a bucket per client (by header value).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { backends, INFRA_NS, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, policyAccepted, startStack } from './harness.js';

const rule = (name: string) => `
  - name: ${name}
    matches: [{path: {type: PathPrefix, value: /${name}}}]
    backendRefs: [{name: ${V1}, port: 8080}]`;

const NAMES = ['rbac-allow', 'rbac-deny', 'buffer', 'gzip', 'cors', 'timeout', 'retry', 'per-client', 'own-timeout', 'rewrite', 'csrf'];

const policy = (name: string, body: string) => `---
apiVersion: gateway.portico.dev/v1alpha1
kind: TrafficPolicy
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: app, sectionName: ${name}}]
${body}
`;

const objects = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:${NAMES.filter((n) => n !== 'own-timeout').map(rule).join('')}
  - name: own-timeout
    matches: [{path: {type: PathPrefix, value: /own-timeout}}]
    timeouts: {request: 3s}
    backendRefs: [{name: ${V1}, port: 8080}]
${policy('rbac-allow', `  rbac:
    action: Allow
    policy:
      matchExpressions:
      - "cidr('127.0.0.0/8').containsIP(source.address) && request.headers['x-team'] == 'ops'"`)}
${policy('rbac-deny', `  rbac:
    action: Deny
    policy:
      matchExpressions: ["request.method == 'DELETE'", "request.url_path.startsWith('/rbac-deny/admin')"]`)}
${policy('buffer', '  buffer: {maxRequestSize: 1Ki}')}
${policy('gzip', '  compression: {responseCompression: {}}')}
${policy('cors', '  cors: {allowOrigins: ["https://app.example"], allowMethods: [GET, PUT]}')}
${policy('timeout', '  timeouts: {request: 500ms}')}
${policy('own-timeout', '  timeouts: {request: 500ms}')}
${policy('retry', '  retry: {attempts: 2, retryOn: [gateway-error]}')}
${policy('rewrite', `  urlRewrite:
    pathRegex: {pattern: '/v([0-9]+)/', substitution: '/version-\\1/'}`)}
${policy('csrf', '  csrf: {additionalOrigins: [{suffix: .trusted.example}]}')}
${policy('per-client', `  rateLimit:
    local:
      tokenBucket: {maxTokens: 2, tokensPerFill: 2, fillInterval: 60s}
      key: {type: Header, header: x-client}`)}
`;

/** A POST whose body is sent in chunks, without Content-Length. */
function postChunked(address: string, port: number, path: string, chunks: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: address, port, path, method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

test('TrafficPolicy fields carried out by HAProxy directives', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${objects}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.expect(gw, 80, { path: '/gzip' }, (r) => r.status === 200, 'the route is served');
  for (const name of NAMES) policyAccepted(stack, 'TrafficPolicy', INFRA_NS, name);

  await t.test('rbac Allow: only requests meeting the expression get through', async () => {
    assert.equal((await stack.request(gw, 80, { path: '/rbac-allow', headers: { 'x-team': 'ops' } })).status, 200);
    const refused = await stack.request(gw, 80, { path: '/rbac-allow', headers: { 'x-team': 'dev' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.text, 'access denied\n');
  });

  await t.test('rbac Deny: requests meeting any expression are refused', async () => {
    assert.equal((await stack.request(gw, 80, { path: '/rbac-deny/page' })).status, 200);
    assert.equal((await stack.request(gw, 80, { path: '/rbac-deny/page', method: 'DELETE' })).status, 403);
    assert.equal((await stack.request(gw, 80, { path: '/rbac-deny/admin/x' })).status, 403);
  });

  await t.test('buffer: a body over the limit is answered 413, with or without Content-Length', async () => {
    assert.equal((await stack.request(gw, 80, { path: '/buffer', method: 'POST', body: 'a'.repeat(1024) })).status, 200);
    assert.equal((await stack.request(gw, 80, { path: '/buffer', method: 'POST', body: 'a'.repeat(1025) })).status, 413);
    assert.equal(await postChunked(gw, 80, '/buffer', ['a'.repeat(600), 'b'.repeat(600)]), 413);
    assert.equal(await postChunked(gw, 80, '/buffer', ['a'.repeat(300), 'b'.repeat(300)]), 200);
  });

  await t.test('compression: JSON answers are gzipped for clients that accept it', async () => {
    const gz = await stack.request(gw, 80, { path: '/gzip', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    const plain = await stack.request(gw, 80, { path: '/gzip' });
    assert.equal(plain.headers['content-encoding'], undefined);
  });

  await t.test('cors: a preflight from an allowed origin is answered by the proxy', async () => {
    const r = await stack.request(gw, 80, { path: '/cors', method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' } });
    assert.equal(r.headers['access-control-allow-origin'], 'https://app.example');
    assert.match(String(r.headers['access-control-allow-methods']), /PUT/);
    const other = await stack.request(gw, 80, { path: '/cors', headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  await t.test("timeouts: the policy's request timeout applies, and a rule's own timeout wins over it", async () => {
    assert.equal((await stack.request(gw, 80, { path: '/timeout', headers: { 'x-echo-delay': '2000' } })).status, 504);
    assert.equal((await stack.request(gw, 80, { path: '/timeout' })).status, 200);
    assert.equal((await stack.request(gw, 80, { path: '/own-timeout', headers: { 'x-echo-delay': '1000' } })).status, 200);
  });

  await t.test('retry: a 503 is retried', async () => {
    const r = await stack.request(gw, 80, { path: '/retry', headers: { 'x-echo-fail-first': '1', 'x-echo-key': `retry-${Date.now()}` } });
    assert.equal(r.status, 200);
  });

  await t.test('urlRewrite: every match in the path is replaced, groups included, the query kept', async () => {
    const r = await stack.request(gw, 80, { path: '/rewrite/v1/a/v22/b?q=1' });
    assert.equal(r.json?.path, '/rewrite/version-1/a/version-22/b?q=1');
  });

  await t.test('csrf: unsafe requests from another origin are refused; same-origin, allowed origins and safe methods pass', async () => {
    const post = (origin?: string, method = 'POST') => stack.request(gw, 80, { path: '/csrf', method, host: 'shop.example', headers: origin ? { origin } : {} });
    assert.equal((await post('https://evil.example')).status, 403);
    assert.equal((await post()).status, 403, 'no origin at all');
    assert.equal((await post('https://shop.example')).status, 200);
    assert.equal((await post('https://a.trusted.example')).status, 200);
    assert.equal((await post('https://evil.example', 'GET')).status, 200);
    const viaReferer = await stack.request(gw, 80, { path: '/csrf', method: 'POST', host: 'shop.example', headers: { referer: 'https://shop.example/form?x=1' } });
    assert.equal(viaReferer.status, 200, 'the Referer stands in for a missing Origin');
  });

  await t.test('rate limit per client: one client emptying its bucket leaves the others theirs', async () => {
    const as = (client: string) => stack.request(gw, 80, { path: '/per-client', headers: { 'x-client': client } });
    assert.deepEqual([(await as('a')).status, (await as('a')).status, (await as('a')).status], [200, 200, 429]);
    assert.equal((await as('b')).status, 200);
  });
});

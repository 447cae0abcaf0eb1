/**
 * ListenerPolicy through a real HAProxy: a health check answered by the proxy, the client address
 * taken from X-Forwarded-For (and used by a TrafficPolicy's rbac), X-Forwarded-For appended,
 * request ids, early header changes, the Server header, HTTP/1.0 refused, and the PROXY protocol
 * on one port (perPort).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { backends, INFRA_NS, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, policyAccepted, startStack } from './harness.js';

const listeners = `  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes: {namespaces: {from: Same}}
  - name: behind-lb
    port: 8081
    protocol: HTTP
    allowedRoutes: {namespaces: {from: Same}}
`;

const objects = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /partners}}]
    backendRefs: [{name: ${V1}, port: 8080}]
---
apiVersion: gateway.portico.dev/v1alpha1
kind: TrafficPolicy
metadata: {name: partners-only, namespace: ${INFRA_NS}}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: app}]
  rbac:
    action: Deny
    policy:
      matchExpressions: ["request.url_path.startsWith('/partners') && !cidr('203.0.113.0/24').containsIP(source.address)"]
---
apiVersion: gateway.portico.dev/v1alpha1
kind: ListenerPolicy
metadata: {name: edge, namespace: ${INFRA_NS}}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: same-namespace}]
  default:
    httpSettings:
      healthCheck: {path: /healthz}
      xffNumTrustedHops: 1
      skipXFFAppend: false
      generateRequestId: true
      serverHeaderTransformation: Overwrite
      acceptHttp10: false
      earlyRequestHeaderModifier: {set: [{name: x-edge, value: "yes"}]}
  perPort:
  - port: 8081
    listener:
      proxyProtocol: {}
`;

/** One raw HTTP exchange; resolves with the response's status line and head. */
function raw(address: string, port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port }, () => socket.write(bytes));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (data += d));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
  });
}

test('ListenerPolicy through HAProxy', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1), `${gatewayYaml('same-namespace', INFRA_NS, listeners)}---\n${objects}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.expect(gw, 80, { path: '/' }, (r) => r.status === 200, 'the route is served');
  policyAccepted(stack, 'ListenerPolicy', INFRA_NS, 'edge');

  await t.test('the health check is answered by the proxy', async () => {
    const r = await stack.request(gw, 80, { path: '/healthz' });
    assert.equal(r.status, 200);
    assert.equal(r.text, 'ok\n');
  });

  await t.test('request headers: X-Forwarded-For appended, a request id, the early header; Server overwritten', async () => {
    const r = await stack.request(gw, 80, { path: '/' });
    assert.ok(r.json);
    assert.match(String(r.json.headers['X-Forwarded-For']?.[0]), /^127\./);
    assert.match(String(r.json.headers['X-Request-Id']?.[0]), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(r.json.headers['X-Edge'], ['yes']);
    assert.equal(r.headers.server, 'portico');
  });

  await t.test("the client address is X-Forwarded-For's last entry, and rbac sees it", async () => {
    assert.equal((await stack.request(gw, 80, { path: '/partners' })).status, 403);
    assert.equal((await stack.request(gw, 80, { path: '/partners', headers: { 'x-forwarded-for': '198.51.100.9, 203.0.113.7' } })).status, 200);
    assert.equal((await stack.request(gw, 80, { path: '/partners', headers: { 'x-forwarded-for': '203.0.113.7, 198.51.100.9' } })).status, 403);
  });

  await t.test('HTTP/1.0 is answered 426', async () => {
    const head = await raw(gw, 80, 'GET / HTTP/1.0\r\nHost: x\r\n\r\n');
    assert.match(head, /^HTTP\/1\.[01] 426 /);
  });

  await t.test('port 8081 reads the client address from a PROXY header', async () => {
    const head = await raw(gw, 8081, `PROXY TCP4 203.0.113.50 ${gw} 40000 8081\r\nGET /partners HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.match(head, /^HTTP\/1\.1 200 /);
    assert.match(head, /"X-Forwarded-For": \[\s*"203\.0\.113\.50"/);
    const plain = await raw(gw, 8081, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n').catch(() => '');
    assert.doesNotMatch(plain, /^HTTP\/1\.1 200 /, 'a connection without the PROXY header is not served');
  });
});

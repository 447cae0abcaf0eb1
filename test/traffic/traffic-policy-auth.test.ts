/**
 * Authentication by TrafficPolicy through a real HAProxy: an external authorization service
 * (allow with copied headers, deny with its own answer, a dead service failing open or closed),
 * basic auth, and JWT validation (RS256, ES256 and HS256; expired, badly signed, wrong issuer).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { backends, INFRA_NS, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, policyAccepted, startDead, startStack, type BackendServer } from './harness.js';

interface Asked {
  method: string;
  url: string;
  host: string | undefined;
  token: string | undefined;
}

/** An authorization service: x-token "good" is allowed, anything else refused with its own answer. */
async function startAuthService(asked: Asked[]): Promise<BackendServer> {
  const server = http.createServer((req, res) => {
    asked.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host, token: req.headers['x-token'] as string | undefined });
    if (req.headers['x-token'] === 'good') {
      res.writeHead(200, { 'x-user': 'alice', 'x-not-copied': 'no' });
      res.end();
      return;
    }
    res.writeHead(401, { 'www-authenticate': 'Custom realm=test', 'x-reason': 'denied', 'content-type': 'text/plain' });
    res.end('go away\n');
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  return { host: '127.0.0.1', port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function jwt(alg: 'RS256' | 'ES256' | 'HS256', key: KeyObject | string, claims: Record<string, unknown>, kid: string): string {
  const data = `${b64(JSON.stringify({ alg, typ: 'JWT', kid }))}.${b64(JSON.stringify(claims))}`;
  const signature =
    alg === 'HS256' ? createHmac('sha256', key as string).update(data).digest() : sign('sha256', Buffer.from(data), alg === 'ES256' ? { key: key as KeyObject, dsaEncoding: 'ieee-p1363' } : (key as KeyObject));
  return `${data}.${b64(signature)}`;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const HMAC_SECRET = 'shared-Secret_42';
const jwks = {
  keys: [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1' },
    { kty: 'oct', kid: 'hmac-1', k: b64(HMAC_SECRET) },
  ],
};

const route = (name: string, path: string, backend = V1) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - name: main
    matches: [{path: {type: PathPrefix, value: ${path}}}]
    backendRefs: [{name: ${backend}, port: 8080}]
  - name: public
    matches: [{path: {type: PathPrefix, value: ${path}-public}}]
    backendRefs: [{name: ${backend}, port: 8080}]
---`;

const policy = (name: string, target: string, body: string, sectionName?: string) => `
apiVersion: gateway.portico.dev/v1alpha1
kind: TrafficPolicy
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: ${target}${sectionName ? `, sectionName: ${sectionName}` : ''}}]
${body}
---`;

const extension = (name: string, service: string, extra = '') => `
apiVersion: gateway.portico.dev/v1alpha1
kind: GatewayExtension
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  type: ExtAuth
  extAuth:
    headersToForward: [x-token]
${extra}
    httpService:
      backendRef: {name: ${service}, port: 8080}
      pathPrefix: /verify
      requestTimeout: 1s
      authorizationResponse: {headersToBackend: [x-user]}
---`;

const objects = [
  route('ext', '/ext'),
  route('ext-open', '/open'),
  route('ext-closed', '/closed'),
  route('basic', '/basic'),
  route('jwt', '/jwt'),
  route('apikey', '/apikey'),
  extension('auth', 'auth'),
  extension('dead-open', 'dead', '    failOpen: true'),
  extension('dead-closed', 'dead', '    statusOnError: 418'),
  policy('ext', 'ext', '  extAuth: {extensionRef: {name: auth}}'),
  policy('ext-open', 'ext-open', '  extAuth: {extensionRef: {name: dead-open}}'),
  policy('ext-closed', 'ext-closed', '  extAuth: {extensionRef: {name: dead-closed}}'),
  // alice's password is "wonderland".
  policy('basic', 'basic', '  basicAuth: {users: ["alice:{SHA}tiY7sUhYKUwI5L3866kDY+ENcrQ="]}'),
  policy('basic-off', 'basic', '  basicAuth: {disable: {}}', 'public'),
  `
apiVersion: gateway.portico.dev/v1alpha1
kind: GatewayExtension
metadata: {name: jwt, namespace: ${INFRA_NS}}
spec:
  type: JWT
  jwt:
    providers:
    - name: test
      issuer: https://issuer.example
      audiences: [portico]
      jwks: {local: {inline: ${JSON.stringify(JSON.stringify(jwks))}}}
      claimsToHeaders: [{name: sub, header: x-sub}]
---`,
  policy('jwt', 'jwt', '  jwtAuth: {extensionRef: {name: jwt}}'),
  `
apiVersion: v1
kind: Secret
metadata: {name: api-keys, namespace: ${INFRA_NS}}
stringData: {client1: k-123, client2: k-456}
---`,
  policy('apikey', 'apikey', '  apiKeyAuth: {secretRef: {name: api-keys}, keySources: [{header: x-api-key}], clientIdHeader: x-client}'),
  policy('jwt-off', 'jwt', '  jwtAuth: {disable: {}}', 'public'),
].join('\n');

test('TrafficPolicy authentication through HAProxy', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const asked: Asked[] = [];
  const stack = await startStack(
    t,
    [...backends(V1), { name: 'auth', namespace: INFRA_NS, start: () => startAuthService(asked) }, { name: 'dead', namespace: INFRA_NS, start: startDead }],
    `${gatewayYaml()}---\n${objects}`,
  );
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.expect(gw, 80, { path: '/basic-public' }, (r) => r.status === 200, 'the routes are served');
  for (const name of ['ext', 'basic', 'basic-off', 'jwt', 'jwt-off', 'apikey']) policyAccepted(stack, 'TrafficPolicy', INFRA_NS, name);

  await t.test('ext auth: a refusal reaches the client with the service status, headers and body', async () => {
    const r = await stack.request(gw, 80, { path: '/ext/page?q=1', headers: { 'x-token': 'bad' } });
    assert.equal(r.status, 401);
    assert.equal(r.headers['x-reason'], 'denied');
    assert.equal(r.headers['www-authenticate'], 'Custom realm=test');
    assert.equal(r.text, 'go away\n');
    const question = asked.at(-1);
    assert.equal(question?.url, '/verify/ext/page?q=1', 'the path prefix goes before the request path and query');
    assert.equal(question?.method, 'GET');
    assert.equal(question?.token, 'bad', 'headersToForward are sent to the service');
  });

  await t.test('ext auth: an allowed request goes on with the headers the policy copies, and only those', async () => {
    const r = await stack.request(gw, 80, { path: '/ext/page', headers: { 'x-token': 'good' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json?.headers['X-User'], ['alice']);
    assert.equal(r.json?.headers['X-Not-Copied'], undefined);
    const before = asked.length;
    assert.equal((await stack.request(gw, 80, { path: '/ext-public' })).status, 401, 'the route-wide policy covers every rule');
    assert.equal(asked.length, before + 1);
  });

  await t.test('ext auth: an unreachable service fails open or closed as configured', async () => {
    assert.equal((await stack.request(gw, 80, { path: '/open' })).status, 200);
    const closed = await stack.request(gw, 80, { path: '/closed' });
    assert.equal(closed.status, 418, 'statusOnError, a status HAProxy never makes itself');
    assert.equal(closed.headers['x-portico-ext-auth-error'], undefined);
  });

  await t.test('basic auth: the right password passes, others are asked to authenticate', async () => {
    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    const none = await stack.request(gw, 80, { path: '/basic' });
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Basic realm="portico"/);
    assert.equal((await stack.request(gw, 80, { path: '/basic', headers: basic('alice', 'rabbit') })).status, 401);
    assert.equal((await stack.request(gw, 80, { path: '/basic', headers: basic('bob', 'wonderland') })).status, 401);
    assert.equal((await stack.request(gw, 80, { path: '/basic', headers: basic('alice', 'wonderland') })).status, 200);
    assert.equal((await stack.request(gw, 80, { path: '/basic-public' })).status, 200, 'disable on a rule turns the route-wide policy off');
  });

  await t.test('API keys: a known key passes with its client named, the key removed; others are 401', async () => {
    const ok = await stack.request(gw, 80, { path: '/apikey', headers: { 'x-api-key': 'k-456' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json?.headers['X-Client'], ['client2']);
    assert.equal(ok.json?.headers['X-Api-Key'], undefined);
    assert.equal((await stack.request(gw, 80, { path: '/apikey', headers: { 'x-api-key': 'k-999' } })).status, 401);
    assert.equal((await stack.request(gw, 80, { path: '/apikey' })).status, 401);
  });

  await t.test('JWT: valid tokens of each algorithm pass with their claims; expired, forged and foreign ones do not', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'https://issuer.example', aud: ['other', 'portico'], sub: 'alice', exp: now + 600 };
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    for (const [alg, key, kid] of [
      ['RS256', rsa.privateKey, 'rsa-1'],
      ['ES256', ec.privateKey, 'ec-1'],
      ['HS256', HMAC_SECRET, 'hmac-1'],
    ] as const) {
      const r = await stack.request(gw, 80, { path: '/jwt', headers: bearer(jwt(alg, key, claims, kid)) });
      assert.equal(r.status, 200, alg);
      assert.deepEqual(r.json?.headers['X-Sub'], ['alice'], `${alg}: the claim is copied to the header`);
      assert.equal(r.json?.headers.Authorization, undefined, `${alg}: the token is not forwarded`);
    }
    const refused = {
      none: {},
      expired: bearer(jwt('RS256', rsa.privateKey, { ...claims, exp: now - 60 }, 'rsa-1')),
      forged: bearer(jwt('RS256', stranger.privateKey, claims, 'rsa-1')),
      'wrong issuer': bearer(jwt('RS256', rsa.privateKey, { ...claims, iss: 'https://other.example' }, 'rsa-1')),
      'wrong audience': bearer(jwt('RS256', rsa.privateKey, { ...claims, aud: 'someone-else' }, 'rsa-1')),
      'not yet valid': bearer(jwt('RS256', rsa.privateKey, { ...claims, nbf: now + 600 }, 'rsa-1')),
    };
    for (const [what, headers] of Object.entries(refused)) {
      const r = await stack.request(gw, 80, { path: '/jwt', headers });
      assert.equal(r.status, 401, what);
      assert.equal(r.headers['www-authenticate'], 'Bearer', what);
    }
    assert.equal((await stack.request(gw, 80, { path: '/jwt-public' })).status, 200, 'disable on a rule turns the route-wide policy off');
  });
});

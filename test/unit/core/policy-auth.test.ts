import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { KubeObject } from '../../../src/api/object.js';
import type { TrafficPolicyObject } from '../../../src/api/policy-spec.js';
import { EndpointIndex } from '../../../src/graph/backends.js';
import { parseJwks } from '../../../src/graph/jwks.js';
import { apiKeyAuthSettings, basicAuthSettings, extAuthSettings, jwtAuthSettings, type AuthContext } from '../../../src/graph/policy-auth.js';
import { ReferenceGrantIndex } from '../../../src/graph/reference-grants.js';
import { redactIR } from '../../../src/ir/redact.js';
import type { ReferenceGrantObject } from '../../../src/api/spec.js';
import { ResourceSet } from '../../../src/store/resources.js';
import { endpointSlice, gateway, gatewayClass, httpRoute, run, service } from './builders.js';

const policy: TrafficPolicyObject = { apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'TrafficPolicy', metadata: { name: 'p', namespace: 'default' }, spec: {} };

function context(...objects: KubeObject[]): AuthContext {
  const resources = new ResourceSet(objects);
  const grants = new ReferenceGrantIndex(resources.list<ReferenceGrantObject>('ReferenceGrant'));
  return { resources, grants, backends: { resources, grants, endpoints: new EndpointIndex(resources.list('EndpointSlice')) } };
}

const ext = (name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject => ({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'GatewayExtension', metadata: { name, namespace }, spec } as KubeObject);
const authz = (extAuth: Record<string, unknown> = {}) => ext('authz', { type: 'ExtAuth', extAuth: { httpService: { backendRef: { name: 'authz', port: 80 } }, ...extAuth } });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });

test('parseJwks: key sets, single keys and PEM keys, with the algorithms each verifies', () => {
  const set = parseJwks(JSON.stringify({ keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'r' }, { ...ec.publicKey.export({ format: 'jwk' }), kid: 'e' }, { kty: 'oct', k: Buffer.from('abc').toString('base64url'), use: 'enc' }] }), 'jwks');
  assert.ok(Array.isArray(set));
  assert.deepEqual(set.map((k) => [k.kid, k.algs]), [['r', ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']], ['e', ['ES384']]], 'the encryption key is left out');
  assert.match(set[0]?.pem ?? '', /^-----BEGIN PUBLIC KEY-----/);
  const one = parseJwks(JSON.stringify({ ...rsa.publicKey.export({ format: 'jwk' }), alg: 'RS256' }), 'jwks');
  assert.deepEqual(Array.isArray(one) && one[0]?.algs, ['RS256']);
  const pem = parseJwks(ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'jwks');
  assert.deepEqual(Array.isArray(pem) && pem[0]?.algs, ['ES384']);
  assert.deepEqual(parseJwks(JSON.stringify({ kty: 'oct', kid: 'h', k: Buffer.from('Secret_1').toString('base64url') }), 'jwks'), [{ kid: 'h', algs: ['HS256', 'HS384', 'HS512'], secret: 'Secret_1' }]);
  assert.match(String(parseJwks(JSON.stringify({ kty: 'oct', k: Buffer.from([0, 1, 255]).toString('base64url') }), 'jwks')), /HMAC secret as text/);
  assert.match(String(parseJwks(JSON.stringify({ ...rsa.publicKey.export({ format: 'jwk' }), alg: 'ES256' }), 'jwks')), /alg ES256 does not fit a key of type rsa/);
  assert.match(String(parseJwks('not json', 'jwks')), /neither JSON nor a PEM public key/);
  assert.match(String(parseJwks('{"keys": []}', 'jwks')), /no signing key/);
});

test('basicAuthSettings: {SHA} entries inline or from a Secret; other hashes, missing keys and foreign Secrets are refused', () => {
  assert.deepEqual(basicAuthSettings(policy, { users: ['alice:{SHA}tiY7sUhYKUwI5L3866kDY+ENcrQ='] }, context()), { users: [{ name: 'alice', sha1: 'tiY7sUhYKUwI5L3866kDY+ENcrQ=' }] });
  assert.equal(basicAuthSettings(policy, { disable: {} }, context()), false);
  assert.match(String(basicAuthSettings(policy, { users: ['bob:$apr1$x$y'] }, context())), /spec\.basicAuth\.users\[0\]: only SHA-1 entries/);
  const secret = (data: Record<string, string>, namespace = 'default'): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'users', namespace }, data } as KubeObject);
  const htpasswd = Buffer.from('# team\n\nalice:{SHA}tiY7sUhYKUwI5L3866kDY+ENcrQ=\n').toString('base64');
  assert.deepEqual(basicAuthSettings(policy, { secretRef: { name: 'users' } }, context(secret({ '.htpasswd': htpasswd }))), { users: [{ name: 'alice', sha1: 'tiY7sUhYKUwI5L3866kDY+ENcrQ=' }] });
  assert.match(String(basicAuthSettings(policy, { secretRef: { name: 'users', key: 'other' } }, context(secret({ '.htpasswd': htpasswd })))), /Secret default\/users has no key other/);
  assert.match(String(basicAuthSettings(policy, { secretRef: { name: 'users', namespace: 'vault' } }, context(secret({ '.htpasswd': htpasswd }, 'vault')))), /another namespace and no ReferenceGrant/);
});

test('extAuthSettings: an HTTP service of a GatewayExtension; other kinds of extension and what Portico cannot send are refused', () => {
  const world = [service('authz'), endpointSlice('authz', ['127.0.0.2'])];
  const ok = extAuthSettings(policy, { extensionRef: { name: 'authz' } }, context(...world, authz({ headersToForward: ['Cookie'] })));
  assert.ok(ok && typeof ok === 'object');
  assert.deepEqual([ok.forwardHeaders, ok.timeoutMs, ok.statusOnError, ok.failOpen], [['host', 'authorization', 'cookie'], 2000, 403, false]);
  assert.equal(ok.service.endpoints.length, 1);
  assert.match(String(extAuthSettings(policy, { extensionRef: { name: 'nope' } }, context())), /GatewayExtension default\/nope not found/);
  assert.match(String(extAuthSettings(policy, { extensionRef: { name: 'authz' } }, context(...world, ext('authz', { type: 'JWT', jwt: { providers: [] } })))), /is of type JWT, not ExtAuth/);
  assert.match(String(extAuthSettings(policy, { extensionRef: { name: 'authz' } }, context(...world, ext('authz', { type: 'ExtAuth', extAuth: { grpcService: { backendRef: { name: 'authz' } } } })))), /grpcService .* is not supported/);
  assert.match(String(extAuthSettings(policy, { extensionRef: { name: 'authz' } }, context(...world, authz({ httpService: { backendRef: { name: 'authz', port: 80 }, authorizationRequest: { headersToAdd: { 'x-ip': '%DOWNSTREAM_REMOTE_ADDRESS%' } } } })))), /only plain values/);
  assert.match(String(extAuthSettings(policy, { extensionRef: { name: 'authz' } }, context(authz()))), /backendRef: .*authz/);
  assert.match(String(extAuthSettings(policy, { extensionRef: { name: 'authz', namespace: 'security' } }, context(...world))), /another namespace and no ReferenceGrant/);
});

test('jwtAuthSettings: local keys only, and a query-string token only when it may reach the backend', () => {
  const jwks = JSON.stringify({ kty: 'oct', k: Buffer.from('Secret_1').toString('base64url') });
  const provider = (extra: Record<string, unknown> = {}) => ext('tokens', { type: 'JWT', jwt: { providers: [{ name: 'p', jwks: { local: { inline: jwks } }, ...extra }] } });
  const ok = jwtAuthSettings(policy, { extensionRef: { name: 'tokens' } }, context(provider()));
  assert.ok(ok && typeof ok === 'object');
  assert.deepEqual(ok.providers[0]?.token, { header: 'authorization', prefix: 'Bearer ' });
  assert.match(String(jwtAuthSettings(policy, { extensionRef: { name: 'tokens' } }, context(provider({ tokenSource: { queryParameter: 'token' } })))), /cannot take a token out of the query string/);
  assert.ok(typeof jwtAuthSettings(policy, { extensionRef: { name: 'tokens' } }, context(provider({ tokenSource: { queryParameter: 'token' }, forwardToken: true }))) === 'object');
  assert.match(String(jwtAuthSettings(policy, { extensionRef: { name: 'tokens' } }, context(provider({ claimsToHeaders: [{ name: "a'b", header: 'x' }] })))), /not a claim name/);
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keys', namespace: 'default' }, data: { jwks } } as KubeObject;
  const fromMap = ext('tokens', { type: 'JWT', jwt: { providers: [{ name: 'p', jwks: { local: { configMapRef: { name: 'keys' } } } }] } });
  assert.equal((jwtAuthSettings(policy, { extensionRef: { name: 'tokens' } }, context(fromMap, cm)) as { providers: { keys: unknown[] }[] }).providers[0]?.keys.length, 1);
  assert.match(String(jwtAuthSettings(policy, { extensionRef: { name: 'tokens' } }, context(fromMap))), /ConfigMap default\/keys not found/);
});

test('redactIR hides HMAC secrets and password hashes of policies', () => {
  const jwks = JSON.stringify({ kty: 'oct', k: Buffer.from('Secret_1').toString('base64url') });
  const t = run([
    gatewayClass(),
    gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    service('app'),
    endpointSlice('app', ['127.0.0.1']),
    httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'app', port: 80 }] }] }),
    ext('tokens', { type: 'JWT', jwt: { providers: [{ name: 'p', jwks: { local: { inline: jwks } } }] } }),
    { ...policy, spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r' }], jwtAuth: { extensionRef: { name: 'tokens' } } } },
    { ...policy, metadata: { name: 'q', namespace: 'default' }, spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }], basicAuth: { users: ['alice:{SHA}tiY7sUhYKUwI5L3866kDY+ENcrQ='] } } },
  ]);
  const text = JSON.stringify(t.ir);
  assert.match(text, /Secret_1/);
  const red = JSON.stringify(redactIR(t.ir));
  assert.doesNotMatch(red, /Secret_1|tiY7sUhY/);
  assert.equal(red.match(/\(redacted\)/g)?.length, 2);
});

test('apiKeyAuthSettings: keys from Secrets by name or labels; sources that cannot be removed need forwardCredential', () => {
  const secret = (name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) }) as KubeObject;
  const ctx = context(secret('keys', { alice: 'k-1' }), secret('more', { bob: 'k-2' }, { team: 'a' }), secret('odd', { carol: 'k 3' }));
  assert.deepEqual(apiKeyAuthSettings(policy, { secretRef: { name: 'keys' } }, ctx), { keys: [{ client: 'alice', key: 'k-1' }], sources: [{ header: 'api-key' }], forwardCredential: false });
  assert.deepEqual((apiKeyAuthSettings(policy, { secretSelector: { matchLabels: { team: 'a' } } }, ctx) as { keys: unknown[] }).keys, [{ client: 'bob', key: 'k-2' }]);
  assert.match(String(apiKeyAuthSettings(policy, { secretRef: { name: 'odd' } }, ctx)), /may not hold whitespace/);
  assert.match(String(apiKeyAuthSettings(policy, { secretRef: { name: 'keys' }, keySources: [{ query: 'key' }] }, ctx)), /cannot take a key out of a query string/);
  assert.ok(typeof apiKeyAuthSettings(policy, { secretRef: { name: 'keys' }, keySources: [{ cookie: 'key' }], forwardCredential: true }, ctx) === 'object');
  assert.match(String(apiKeyAuthSettings(policy, { secretRef: { name: 'nope' } }, ctx)), /not found/);
});

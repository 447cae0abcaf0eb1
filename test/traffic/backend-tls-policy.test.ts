/**
 * BackendTLSPolicy through the real HAProxy (upstream BackendTLSPolicy, BackendTLSPolicySANValidation
 * and BackendTLSPolicyInvalidCACertificateRef in spirit): backends that speak only TLS, with the
 * test certificate for *.example.com. A policy whose CA and hostname fit gets traffic through,
 * with the hostname as SNI; one whose name the certificate does not carry, or whose CA does not
 * resolve, gets none: the client sees a 5xx, never an unverified connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { INFRA_NS } from './cases.js';
import { fixtureDir, gatewayYaml, haproxyInstalled, startStack, startTlsEcho, tlsSecretYaml } from './harness.js';

const pem = (name: string) => readFileSync(path.join(fixtureDir(), 'tls', name), 'utf8');

const backendNames = ['tls-good', 'tls-wrong-name', 'tls-no-ca', 'tls-none'];
const policy = (name: string, service: string, validation: object) =>
  stringify({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'BackendTLSPolicy', metadata: { name, namespace: INFRA_NS }, spec: { targetRefs: [{ group: '', kind: 'Service', name: service }], validation } });
const ca = [{ group: '', kind: 'ConfigMap', name: 'backend-ca' }];
const route = (name: string) =>
  stringify({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: INFRA_NS },
    spec: { parentRefs: [{ name: 'same-namespace' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/${name}` } }], backendRefs: [{ name, port: 8080 }] }] },
  });
const manifests = [
  gatewayYaml(),
  stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'backend-ca', namespace: INFRA_NS }, data: { 'ca.crt': pem('example.crt') } }),
  policy('good', 'tls-good', { caCertificateRefs: ca, hostname: 'abc.example.com' }),
  policy('wrong-name', 'tls-wrong-name', { caCertificateRefs: ca, hostname: 'abc.other.org' }),
  policy('no-ca', 'tls-no-ca', { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'no-such-ca' }], hostname: 'abc.example.com' }),
  ...backendNames.map(route),
].join('---\n');

test('BackendTLSPolicy: verified TLS to the backend, and no traffic when it cannot be verified', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backendNames.map((name) => ({ name, namespace: INFRA_NS, start: () => startTlsEcho(name, INFRA_NS) })), manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');

  const good = await stack.expect(gw, 80, { path: '/tls-good' }, (r) => r.status === 200, 'a backend the policy verifies');
  assert.equal(good.json?.pod, 'tls-good');
  assert.equal((good.json as unknown as { sni?: string }).sni, 'abc.example.com', 'the policy hostname is the SNI');

  // The certificate is for *.example.com: abc.other.org fails verification.
  const wrong = await stack.expect(gw, 80, { path: '/tls-wrong-name' }, (r) => r.status >= 500, 'a backend whose certificate lacks the name');
  assert.equal(wrong.status, 503);
  const noCa = await stack.expect(gw, 80, { path: '/tls-no-ca' }, (r) => r.status >= 500, 'a policy whose CA does not resolve');
  assert.equal(noCa.status, 503);
  // Without a policy the Gateway speaks plain HTTP to a TLS-only backend, which cannot answer it.
  const none = await stack.expect(gw, 80, { path: '/tls-none' }, (r) => r.status >= 500, 'no policy');
  assert.ok(none.status >= 500);

  const status = (name: string) => (stack.status('BackendTLSPolicy', INFRA_NS, name) as unknown as { ancestors?: { ancestorRef: { name: string }; conditions: { type: string; status: string; reason: string }[] }[] } | undefined)?.ancestors?.[0];
  const cond = (name: string, type: string) => status(name)?.conditions.find((c) => c.type === type);
  assert.equal(status('good')?.ancestorRef.name, 'same-namespace');
  assert.deepEqual([cond('good', 'Accepted')?.status, cond('good', 'ResolvedRefs')?.status], ['True', 'True']);
  assert.deepEqual([cond('no-ca', 'Accepted')?.reason, cond('no-ca', 'ResolvedRefs')?.reason], ['NoValidCACertificate', 'InvalidCACertificateRef']);
});

test('GatewayTLSBackendClientCertificate: the Gateway shows its client certificate to a backend that asks for one', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const gatewayWithClientCert = gatewayYaml().replace(/^spec:\n/m, 'spec:\n  tls:\n    backend:\n      clientCertificateRef: {name: gateway-client}\n');
  const objects = [
    gatewayWithClientCert,
    tlsSecretYaml('gateway-client', INFRA_NS, 'client'),
    stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'backend-ca', namespace: INFRA_NS }, data: { 'ca.crt': pem('example.crt') } }),
    policy('mtls', 'tls-mtls', { caCertificateRefs: ca, hostname: 'abc.example.com' }),
    route('tls-mtls'),
  ].join('---\n');
  const stack = await startStack(t, [{ name: 'tls-mtls', namespace: INFRA_NS, start: () => startTlsEcho('tls-mtls', INFRA_NS, { clientCA: pem('client-ca.crt') }) }], objects);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const r = await stack.expect(gw, 80, { path: '/tls-mtls' }, (res) => res.status === 200, 'a backend that requires a client certificate');
  assert.equal((r.json as unknown as { client?: string }).client, 'client.example.com');
  const resolved = stack.status('Gateway', INFRA_NS, 'same-namespace')?.conditions?.find((c) => c.type === 'ResolvedRefs');
  assert.deepEqual([resolved?.status, resolved?.reason], ['True', 'ResolvedRefs']);
});

test('BackendTLSPolicy on a Backend (gateway.portico.dev, Static, by DNS name): verified TLS to it', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const server = await startTlsEcho('tls-backend', INFRA_NS);
  t.after(() => server.close());
  const objects = [
    gatewayYaml(),
    stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'backend-ca', namespace: INFRA_NS }, data: { 'ca.crt': pem('example.crt') } }),
    stringify({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'Backend', metadata: { name: 'external', namespace: INFRA_NS }, spec: { type: 'Static', static: { hosts: [{ host: 'localhost', port: server.port }] } } }),
    stringify({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'BackendTLSPolicy', metadata: { name: 'external', namespace: INFRA_NS }, spec: { targetRefs: [{ group: 'gateway.portico.dev', kind: 'Backend', name: 'external' }], validation: { caCertificateRefs: ca, hostname: 'abc.example.com' } } }),
    stringify({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'external', namespace: INFRA_NS }, spec: { parentRefs: [{ name: 'same-namespace' }], rules: [{ backendRefs: [{ group: 'gateway.portico.dev', kind: 'Backend', name: 'external' }] }] } }),
  ].join('---\n');
  const stack = await startStack(t, [], objects);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const r = await stack.expect(gw, 80, { path: '/' }, (x) => x.status === 200, 'the Backend answers over verified TLS');
  assert.equal(r.json?.pod, 'tls-backend');
  assert.equal((r.json as unknown as { sni?: string }).sni, 'abc.example.com');
});

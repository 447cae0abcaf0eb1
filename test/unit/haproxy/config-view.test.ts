import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configView, hideSecrets } from '../../../src/haproxy/config-view.js';
import { renderGateway } from '../../../src/haproxy/render.js';
import { translateGoldenCase } from '../../support/golden-case.js';

async function rendered(name: string) {
  const translation = await translateGoldenCase(name);
  const [gw] = translation.ir.gateways;
  assert.ok(gw, `${name} has a programmable Gateway`);
  return renderGateway(gw, { dir: '/var/lib/portico/gw', globalLines: [] });
}

test('hideSecrets: an inline JWT HMAC key is hidden, a key file path stays, PEM lines go whole', () => {
  assert.equal(
    hideSecrets('  http-request set-var(txn.jws) var(txn.jt) if { var(txn.jt),jwt_verify(HS256,c2VjcmV0) -m int 1 }'),
    '  http-request set-var(txn.jws) var(txn.jt) if { var(txn.jt),jwt_verify(HS256,<HMAC key hidden>) -m int 1 }',
  );
  const path = '{ var(txn.jt),jwt_verify(ES256,/var/lib/portico/gw/jwk-1.pem) -m int 1 }';
  assert.equal(hideSecrets(path, new Set(['jwk-1.pem'])), path);
  assert.equal(hideSecrets(path), '{ var(txn.jt),jwt_verify(ES256,<HMAC key hidden>) -m int 1 }', 'not a file of this configuration');
  // Base64 has slashes: an HMAC key can start with one.
  assert.equal(hideSecrets('jwt_verify(HS256,/c2Vj/cmV0=)', new Set(['jwk-1.pem'])), 'jwt_verify(HS256,<HMAC key hidden>)');
  assert.equal(hideSecrets('  -----BEGIN PRIVATE KEY-----'), '  # <line hidden: it holds key material>');
  assert.equal(hideSecrets('  bind :443 ssl crt-list /x.crt-list'), '  bind :443 ssl crt-list /x.crt-list');
});

test('configView: the HMAC key of a JWT policy is in haproxy.cfg but not in what is shown', async () => {
  const r = await rendered('policy-auth');
  assert.match(r.config, /jwt_verify\(HS256,shared-Secret_42\)/, 'the case still writes the key inline');
  const view = configView(r.model, r.config);
  const everything = JSON.stringify(view);
  assert.ok(!everything.includes('shared-Secret_42'));
  assert.match(view.text, /jwt_verify\(HS256,<HMAC key hidden>\)/);
  assert.match(view.text, /jwt_verify\(ES256,\/var\/lib\/portico\/gw\/jwk-[0-9a-z]+\.pem\)/);
});

test('configView: no private key of an HTTPS listener is shown, though the files beside haproxy.cfg hold one', async () => {
  const r = await rendered('render-https-listener');
  assert.ok(Object.values(r.files).some((f) => f.includes('PRIVATE KEY')), 'the case has a key to leak');
  const everything = JSON.stringify(configView(r.model, r.config));
  assert.ok(!everything.includes('PRIVATE KEY'));
  assert.ok(!everything.includes('BEGIN'));
});

test('configView: a port gets its frontend, a route its backend sections and routing map lines', async () => {
  const r = await rendered('render-weights');
  const view = configView(r.model, r.config);
  assert.equal(view.format, 'haproxy.cfg');
  assert.equal(view.text, r.config);
  const ports = Object.keys(view.ports);
  assert.ok(ports.length > 0);
  for (const port of ports) assert.match(view.ports[port] ?? '', new RegExp(`^frontend p${port}\\n  bind `));
  const routes = Object.keys(view.routes);
  assert.ok(routes.length > 0);
  for (const key of routes) {
    const [kind, namespace, name] = key.split('/');
    const text = view.routes[key] ?? '';
    assert.match(text, new RegExp(`^backend p\\d+_r[0-9a-z_]+\\n  # ${kind} ${namespace}/${name}( rule \\d+)?\\n`));
    // Every backend listed is reached from a routing map line listed with it.
    const backends = [...text.matchAll(/^backend (\S+)$/gm)].map((m) => m[1] as string);
    const mapLines = text.split('\n').filter((l) => !l.startsWith(' ') && !l.startsWith('backend') && !l.startsWith('#'));
    for (const b of backends) assert.ok(mapLines.some((l) => l.includes(b)), `a map line leads to ${b}:\n${text}`);
  }
});

test('configView: a port that TLS and HTTPS listeners share gets each of its frontends', async () => {
  const r = await rendered('render-tls-https-same-port');
  const view = configView(r.model, r.config);
  const frontends = [...(view.ports['443'] ?? '').matchAll(/^frontend (\S+)$/gm)].map((m) => m[1]);
  assert.deepEqual(frontends, ['p443', 'p443_sni', 'p443_tls']);
});

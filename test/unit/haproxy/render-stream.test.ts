import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSlice, gateway, gatewayClass, httpRoute, service, tlsSecret } from '../core/builders.js';
import { endpointCommands } from '../../../src/haproxy/endpoint-update.js';
import { renderGateway, type RenderedConfig } from '../../../src/haproxy/render.js';
import { haproxyCheck, haproxyInstalled, renderObjects } from './support.js';
import { run } from '../core/builders.js';
import type { KubeObject } from '../../../src/api/object.js';

const G = 'gateway.networking.k8s.io/v1';
const DIR = '/tmp/portico-render';

function route(kind: 'TLSRoute' | 'TCPRoute', name: string, spec: object, meta: object = {}): KubeObject {
  return { apiVersion: G, kind, metadata: { name, namespace: 'default', generation: 1, ...meta }, spec };
}

const passthrough = (name: string, hostname?: string, port = 443) => ({ name, port, protocol: 'TLS', ...(hostname ? { hostname } : {}), tls: { mode: 'Passthrough' } });
const terminate = (name: string, hostname: string, secret: string, port = 443) => ({ name, port, protocol: 'TLS', hostname, tls: { mode: 'Terminate', certificateRefs: [{ name: secret }] } });
const https = (name: string, hostname: string, secret: string, port = 443) => ({ name, port, protocol: 'HTTPS', hostname, tls: { certificateRefs: [{ name: secret }] } });
const tcp = (name: string, port: number) => ({ name, port, protocol: 'TCP' });
const tlsRoute = (name: string, section: string, hostnames: string[], backend = 'echo', meta: object = {}) =>
  route('TLSRoute', name, { parentRefs: [{ name: 'gw', sectionName: section }], hostnames, rules: [{ backendRefs: [{ name: backend, port: 80 }] }] }, meta);

const services = (): KubeObject[] => [service('echo'), endpointSlice('echo', ['127.0.0.1', '127.0.0.2']), service('two'), { ...endpointSlice('two', ['127.0.0.5']), metadata: { name: 'two-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'two' } } }];

function render(listeners: object[], ...objects: KubeObject[]): RenderedConfig {
  const [r] = renderObjects([gatewayClass(), gateway('gw', listeners), tlsSecret('cert'), tlsSecret('cert2', 'other'), ...services(), ...objects]);
  assert.ok(r, 'the Gateway renders');
  return r;
}

/** The lines of one section ("frontend p443", "backend p443_t1"), without its header. */
function section(config: string, header: string): string[] {
  const lines = config.split('\n');
  const start = lines.indexOf(header);
  assert.ok(start >= 0, `no "${header}" in\n${config}`);
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith(' ')) break;
    out.push(l.trim());
  }
  return out;
}

/** HAProxy accepts the configuration without a warning (a warning is logged on every apply). */
function assertHaproxyAccepts(objects: KubeObject[]): void {
  const gw = run(objects).ir.gateways[0];
  assert.ok(gw);
  const check = haproxyCheck((dir) => renderGateway(gw, { dir, globalLines: [], defaultsLines: ['option idle-close-on-response'] }));
  assert.ok(check.ok, `${check.output}\n${check.config}`);
  assert.doesNotMatch(check.output, /WARNING/, `${check.output}\n${check.config}`);
}

test('passthrough: the SNI picks the most specific listener, then its most specific route; TLS is not terminated', () => {
  const r = render(
    [passthrough('wild', '*.example.com'), passthrough('exact', 'a.example.com'), passthrough('any')],
    tlsRoute('wild-route', 'wild', ['*.example.com']),
    tlsRoute('b-route', 'wild', ['b.example.com'], 'two'),
    tlsRoute('any-route', 'any', ['*.org'], 'two'),
  );
  const front = section(r.config, 'frontend p443');
  assert.deepEqual(front, [
    'mode tcp',
    'bind 127.0.10.236:443',
    'tcp-request inspect-delay 5s',
    'tcp-request content reject unless { req.ssl_hello_type 1 }',
    `tcp-request content set-var(txn.be) req.ssl_sni,lower,map_str(${DIR}/p443.sni.map)`,
    `tcp-request content set-var(txn.be) req.ssl_sni,lower,map_end(${DIR}/p443.sni-wild.map) if !{ var(txn.be) -m found }`,
    'tcp-request content set-var(txn.be) str(reject) if !{ var(txn.be) -m found }',
    'tcp-request content reject if { var(txn.be) -m str reject }',
    'use_backend %[var(txn.be)]',
  ]);
  // a.example.com has a listener of its own without routes: isolation closes it rather than
  // letting *.example.com take it.
  assert.equal(r.files['p443.sni.map'], 'a.example.com reject\nb.example.com p443_t2\n');
  assert.equal(r.files['p443.sni-wild.map'], '.example.com p443_t1\n.org p443_t2\n');
  assert.deepEqual(section(r.config, 'backend p443_t1'), [
    '# TLSRoute default/wild-route',
    'mode tcp',
    'balance roundrobin',
    'server s0_0 127.0.0.1:8080 weight 256',
    'server s0_1 127.0.0.2:8080 weight 256',
  ]);
  assert.doesNotMatch(r.config, / ssl /, 'nothing is decrypted');
  assert.doesNotMatch(r.config, /^frontend p443_sni$/m, 'no HTTPS listener: the SNI frontend is the port frontend');
});

test('stream sections come after a tcp defaults section of their own; HTTP ones keep theirs', () => {
  const r = render([passthrough('tls', 'a.example.com'), { name: 'http', port: 80, protocol: 'HTTP' }], tlsRoute('t', 'tls', ['a.example.com']), httpRoute('h', { parentRefs: [{ name: 'gw', sectionName: 'http' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }));
  const headers = r.config.split('\n').filter((l) => /^(defaults|frontend|backend)/.test(l));
  const streams = headers.indexOf('defaults streams');
  assert.ok(streams > headers.indexOf('frontend p80') && streams > headers.indexOf('backend p80_r1'), headers.join('\n'));
  assert.ok(streams < headers.indexOf('frontend p443') && streams < headers.indexOf('backend p443_t1'), headers.join('\n'));
  assert.deepEqual(section(r.config, 'defaults streams'), ['mode tcp', 'timeout connect 5s', 'timeout client 60s', 'timeout server 60s', 'timeout tunnel 1h']);
});

test('among routes for the same SNI the oldest wins, then namespace/name', () => {
  const r = render(
    [passthrough('tls')],
    tlsRoute('a-newer', 'tls', ['x.example.com'], 'echo', { creationTimestamp: '2026-01-02T00:00:00Z' }),
    tlsRoute('b-older', 'tls', ['x.example.com'], 'two', { creationTimestamp: '2026-01-01T00:00:00Z' }),
  );
  assert.equal(r.files['p443.sni.map'], 'x.example.com p443_t1\n');
  assert.match(section(r.config, 'backend p443_t1')[0] ?? '', /b-older/);
});

test('terminate only: the port frontend terminates TLS itself (no ALPN) and routes by the TLS server name', () => {
  const r = render([terminate('t', 'tls.example.com', 'cert', 8443)], tlsRoute('t', 't', ['tls.example.com']));
  const front = section(r.config, 'frontend p8443');
  assert.equal(front[1], `bind 127.0.10.236:8443 ssl crt-list ${DIR}/p8443.tls.crt-list`);
  assert.ok(front.includes(`tcp-request content set-var(txn.be) ssl_fc_sni,lower,map_str(${DIR}/p8443.tls-sni.map)`), front.join('\n'));
  assert.ok(!front.some((l) => l.includes('inspect-delay')), 'no ClientHello to wait for');
  assert.equal(r.files['p8443.tls.crt-list'], `${DIR}/p8443.l0.c0.pem tls.example.com\n`);
  assert.equal(r.files['p8443.tls-sni.map'], 'tls.example.com p8443_t1\n');
  assert.doesNotMatch(r.config, /unix@/);
});

test('HTTPS, passthrough and terminate on one port: SNI frontend, internal frontends over private unix sockets', () => {
  const objects = [
    gatewayClass(),
    gateway('gw', [https('www', 'www.example.com', 'cert'), passthrough('pass', '*.example.com'), terminate('term', 't.example.com', 'cert2')]),
    tlsSecret('cert'),
    tlsSecret('cert2', 'other'),
    ...services(),
    tlsRoute('p', 'pass', ['*.example.com']),
    tlsRoute('t', 'term', ['t.example.com'], 'two'),
    httpRoute('h', { parentRefs: [{ name: 'gw', sectionName: 'www' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }),
  ];
  const [r] = renderObjects(objects);
  assert.ok(r);
  // Beside the configuration directory, in the instance's own (private) directory.
  const address = (kind: string) => new RegExp(`unix@/tmp/p443-${kind}\\.sock`).exec(r.config)?.[0];
  const httpsSocket = address('https');
  const tlsSocket = address('tls');
  assert.ok(httpsSocket && tlsSocket, r.config);
  assert.equal(section(r.config, 'frontend p443_sni')[1], 'bind 127.0.10.236:443');
  // The HTTP frontend is reached only through the SNI frontend; it keeps TLS, ALPN and routing.
  assert.equal(section(r.config, 'frontend p443')[0], `bind ${httpsSocket} accept-proxy ssl crt-list ${DIR}/p443.crt-list alpn h2,http/1.1`);
  assert.equal(section(r.config, 'frontend p443_tls')[1], `bind ${tlsSocket} accept-proxy ssl crt-list ${DIR}/p443.tls.crt-list`);
  assert.deepEqual(section(r.config, 'backend p443_to_https'), ['mode tcp', `server https ${httpsSocket} send-proxy-v2`]);
  assert.deepEqual(section(r.config, 'backend p443_to_tls'), ['mode tcp', `server tls ${tlsSocket} send-proxy-v2`]);
  assert.equal(r.files['p443.sni.map'], 'www.example.com p443_to_https\nt.example.com p443_to_tls\n');
  assert.equal(r.files['p443.sni-wild.map'], '.example.com p443_t1\n');
  // Each crt-list holds its own listeners' certificates only.
  assert.equal(r.files['p443.crt-list'], `${DIR}/p443.l0.c0.pem [alpn h2,http/1.1] www.example.com\n`);
  assert.equal(r.files['p443.tls.crt-list'], `${DIR}/p443.l1.c0.pem t.example.com\n`);
  // Names no listener takes go to the HTTPS frontend, as on an HTTPS-only port.
  assert.ok(section(r.config, 'frontend p443_sni').includes('tcp-request content set-var(txn.be) str(p443_to_https) if !{ var(txn.be) -m found }'));
  // Each instance's sockets are in its own directory.
  const gw = run(objects).ir.gateways[0];
  assert.ok(gw);
  const socketOf = (dir: string) => /unix@\S+/.exec(renderGateway(gw, { dir, globalLines: [] }).config)?.[0];
  assert.equal(socketOf('/state/a/current'), 'unix@/state/a/p443-https.sock');
  assert.notEqual(socketOf('/state/a/current'), socketOf('/state/b/current'));
  if (haproxyInstalled) assertHaproxyAccepts(objects);
});

test('HTTPS-only ports keep binding the Gateway address with TLS directly', () => {
  const r = render([https('www', 'www.example.com', 'cert')], httpRoute('h', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }));
  assert.match(r.config, /^ {2}bind 127\.0\.10\.236:443 ssl crt-list \S+ alpn h2,http\/1\.1$/m);
  assert.doesNotMatch(r.config, /mode tcp|unix@|defaults streams/);
});

test('TCP: the oldest route takes the port; weights, invalid shares and routes without backends', () => {
  const r = render(
    [tcp('a', 9000), tcp('b', 9001), tcp('c', 9002), tcp('d', 9003)],
    route('TCPRoute', 'newer', { parentRefs: [{ name: 'gw', sectionName: 'a' }], rules: [{ backendRefs: [{ name: 'two', port: 80 }] }] }, { creationTimestamp: '2026-01-02T00:00:00Z' }),
    route('TCPRoute', 'older', { parentRefs: [{ name: 'gw', sectionName: 'a' }], rules: [{ backendRefs: [{ name: 'echo', port: 80, weight: 70 }, { name: 'two', port: 80, weight: 30 }, { name: 'echo', port: 80, weight: 0 }] }] }, { creationTimestamp: '2026-01-01T00:00:00Z' }),
    route('TCPRoute', 'half-invalid', { parentRefs: [{ name: 'gw', sectionName: 'b' }], rules: [{ backendRefs: [{ name: 'two', port: 80, weight: 1 }, { name: 'gone', port: 80, weight: 3 }] }] }),
    route('TCPRoute', 'all-invalid', { parentRefs: [{ name: 'gw', sectionName: 'c' }], rules: [{ backendRefs: [{ name: 'gone', port: 80 }] }] }),
  );
  assert.deepEqual(section(r.config, 'frontend p9000'), ['mode tcp', 'bind 127.0.10.236:9000', 'default_backend p9000_t1']);
  // 70 over two endpoints (35 each) against 30 on one endpoint: 256, 256, 219.
  assert.deepEqual(section(r.config, 'backend p9000_t1'), [
    '# TCPRoute default/older',
    'mode tcp',
    'balance roundrobin',
    'server s0_0 127.0.0.1:8080 weight 256',
    'server s0_1 127.0.0.2:8080 weight 256',
    'server s1_0 127.0.0.5:8080 weight 219',
    'server s1_1 127.0.0.1:9 weight 219 disabled',
  ]);
  assert.ok(section(r.config, 'backend p9001_t1').includes('tcp-request content reject if { rand(4) -m int lt 3 }'));
  assert.deepEqual(section(r.config, 'frontend p9002'), ['mode tcp', 'bind 127.0.10.236:9002', 'tcp-request connection reject']);
  assert.deepEqual(section(r.config, 'frontend p9003'), ['mode tcp', 'bind 127.0.10.236:9003', 'tcp-request connection reject'], 'no route at all');
  assert.doesNotMatch(r.config, /proto h2/);
});

test('stream server lines keep the format endpoint changes are applied from', () => {
  const world = (addresses: string[]) => [
    gatewayClass(),
    gateway('gw', [tcp('t', 9000), passthrough('p', 'a.example.com')]),
    service('echo'),
    endpointSlice('echo', addresses),
    route('TCPRoute', 'r', { parentRefs: [{ name: 'gw', sectionName: 't' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }),
    tlsRoute('p', 'p', ['a.example.com']),
  ];
  const config = (addresses: string[]) => (renderObjects(world(addresses))[0] as RenderedConfig).model;
  assert.deepEqual(endpointCommands(config(['127.0.0.1', '127.0.0.2']), config(['127.0.0.1', '127.0.0.9'])), [
    'set server p443_t1/s0_1 addr 127.0.0.9 port 8080',
    'set server p9000_t1/s0_1 addr 127.0.0.9 port 8080',
  ]);
});

test('stream backends are shared by Service, not by endpoints, so endpoint changes never split or merge them', () => {
  const r = render(
    [passthrough('p')],
    service('empty-a'),
    service('empty-b'),
    tlsRoute('a', 'p', ['a.example.com'], 'empty-a'),
    tlsRoute('a2', 'p', ['a2.example.com'], 'empty-a'),
    tlsRoute('b', 'p', ['b.example.com'], 'empty-b'),
  );
  assert.equal(r.files['p443.sni.map'], 'a.example.com p443_t1\na2.example.com p443_t1\nb.example.com p443_t2\n');
});

test('hostnames reach the SNI maps through mapField', () => {
  const gw = run([gatewayClass(), gateway('gw', [passthrough('p')]), ...services(), tlsRoute('t', 'p', ['a.example.com'])]).ir.gateways[0];
  assert.ok(gw);
  const listener = gw.ports[0]?.listeners[0];
  assert.ok(listener?.streams[0]);
  listener.streams[0].hostnames = ['a.example.com #x'];
  assert.throws(() => renderGateway(gw, { dir: DIR, globalLines: [] }), /cannot be written to a map file/);
});

test('HAProxy accepts every kind of stream port, without warnings', { skip: !haproxyInstalled && 'haproxy is not installed' }, () => {
  assertHaproxyAccepts([
    gatewayClass(),
    gateway('gw', [
      passthrough('pass', '*.example.com'),
      passthrough('any'),
      terminate('term', 'tls.example.com', 'cert', 8443),
      terminate('mixed-term', 't.example.com', 'cert', 8883),
      passthrough('mixed-pass', 'p.example.com', 8883),
      tcp('tcp', 9000),
      tcp('tcp-none', 9001),
      { name: 'http', port: 80, protocol: 'HTTP' },
    ]),
    tlsSecret('cert'),
    ...services(),
    tlsRoute('p', 'pass', ['*.example.com']),
    tlsRoute('t', 'term', ['tls.example.com']),
    tlsRoute('mt', 'mixed-term', ['t.example.com']),
    tlsRoute('mp', 'mixed-pass', ['p.example.com'], 'two'),
    route('TCPRoute', 'tcp', { parentRefs: [{ name: 'gw', sectionName: 'tcp' }], rules: [{ backendRefs: [{ name: 'echo', port: 80, weight: 1 }, { name: 'gone', port: 80, weight: 1 }] }] }),
    httpRoute('h', { parentRefs: [{ name: 'gw', sectionName: 'http' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }),
  ]);
});

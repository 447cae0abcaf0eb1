import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { caConfigMap, endpointSlice, gateway, gatewayClass, httpRoute, run, service, tlsSecret } from './builders.js';
import type { KubeObject } from '../../../src/api/object.js';
import type { IR, IRGateway } from '../../../src/ir/model.js';
import { SHARED_PORTS, combineGateways, dataPlaneUnits, sharedDataPlaneName, sharedPorts } from '../../../src/ir/shared-data-plane.js';
import { renderGateway } from '../../../src/haproxy/render.js';
import { configuredKeys } from '../../../src/haproxy/route-metrics.js';
import { redactIR } from '../../../src/ir/redact.js';
import { haproxyCheck, haproxyInstalled } from '../haproxy/support.js';
import { projectRoot } from '../../../src/validation/project-root.js';

/** Two Gateways of one class, both with a listener on port 80, with routes to one Service. */
function twoGateways(extra: KubeObject[] = []): IR {
  return run([
    gatewayClass(),
    gateway('a', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    gateway('b', [
      { name: 'http', port: 80, protocol: 'HTTP' },
      { name: 'alt', port: 8080, protocol: 'HTTP' },
    ]),
    service('echo'),
    endpointSlice('echo', ['127.0.0.1']),
    httpRoute('to-a', { parentRefs: [{ name: 'a' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }),
    httpRoute('to-b', { parentRefs: [{ name: 'b' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }),
    ...extra,
  ]).ir;
}

test('sharedPorts: in range, distinct, and the same for the same Gateways whatever their order', () => {
  const gateways = Array.from({ length: 200 }, (_, i) => ({ name: `ns/gw-${i}`, ports: [80, 443] }));
  const ports = sharedPorts(gateways);
  const all = [...ports.values()].flatMap((m) => [...m.values()]);
  assert.equal(all.length, 400);
  assert.equal(new Set(all).size, 400, 'every port has a place of its own');
  for (const p of all) assert.ok(p >= SHARED_PORTS.first && p <= SHARED_PORTS.last, `${p} is in the range`);
  assert.deepEqual(sharedPorts([...gateways].reverse()), ports);
});

test('sharedPorts: a new Gateway moves no other; on a clash the later name takes the next free port', () => {
  const before = sharedPorts([{ name: 'apps/one', ports: [80] }, { name: 'apps/two', ports: [80, 443] }]);
  const after = sharedPorts([{ name: 'apps/one', ports: [80] }, { name: 'apps/two', ports: [80, 443] }, { name: 'apps/three', ports: [80] }]);
  assert.deepEqual(after.get('apps/one'), before.get('apps/one'));
  assert.deepEqual(after.get('apps/two'), before.get('apps/two'));
  // Find two Gateway names whose port 80 hashes to one place.
  const alone = new Map<number, string>();
  let clash: [string, string] | undefined;
  for (let i = 0; !clash; i++) {
    const name = `ns/g${i}`;
    const port = sharedPorts([{ name, ports: [80] }]).get(name)?.get(80) as number;
    const other = alone.get(port);
    if (other) clash = [other, name];
    else alone.set(port, name);
  }
  const [first, second] = clash.sort();
  const both = sharedPorts([{ name: second as string, ports: [80] }, { name: first as string, ports: [80] }]);
  const wanted = sharedPorts([{ name: first as string, ports: [80] }]).get(first as string)?.get(80) as number;
  assert.equal(both.get(first as string)?.get(80), wanted, 'the earlier name keeps its place');
  assert.equal(both.get(second as string)?.get(80), wanted === SHARED_PORTS.last ? SHARED_PORTS.first : wanted + 1);
});

test('combineGateways: every Gateway on ports of its own, the public port kept, one backend for a Service both use', () => {
  const ir = twoGateways();
  const shared = combineGateways('portico', ir.gateways);
  assert.equal(shared.gateway.name, sharedDataPlaneName('portico'));
  assert.deepEqual(shared.members, ['default/a', 'default/b']);
  assert.equal(shared.refused.size, 0);
  const ports = sharedPorts(ir.gateways.map((g) => ({ name: g.name, ports: g.ports.map((p) => p.port) })));
  assert.deepEqual(
    shared.gateway.ports.map((p) => [p.port, p.publicPort, p.listeners[0]?.id]),
    [
      [ports.get('default/a')?.get(80), 80, 'Gateway/default/a/http'],
      [ports.get('default/b')?.get(80), 80, 'Gateway/default/b/http'],
      [ports.get('default/b')?.get(8080), 8080, 'Gateway/default/b/alt'],
    ].sort((x, y) => (x[0] as number) - (y[0] as number)),
  );
  assert.deepEqual(Object.keys(shared.gateway.backends), ['default/echo:80']);
  const rendered = renderGateway(shared.gateway, { dir: '/tmp/shared', globalLines: [] });
  const pools = [...rendered.config.matchAll(/^backend (\S+)\n(?: {2}.*\n)*? {2}server s0_0 127\.0\.0\.1:8080/gm)];
  assert.equal(pools.length, 1, `one backend holds the Service's servers:\n${rendered.config}`);
  for (const p of shared.gateway.ports) assert.match(rendered.config, new RegExp(`^frontend p${p.port}$`, 'm'));
});

test('combineGateways: a redirect keeps the port clients used, not the one the data plane listens on', () => {
  const ir = run([
    gatewayClass(),
    gateway('a', [{ name: 'http', port: 8000, protocol: 'HTTP' }]),
    httpRoute('moved', { parentRefs: [{ name: 'a' }], rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/new' } } }] }] }),
  ]).ir;
  const shared = combineGateways('portico', ir.gateways);
  const config = renderGateway(shared.gateway, { dir: '/tmp/shared', globalLines: [] }).config;
  assert.match(config, /redirect location 'http:\/\/%\[var\(txn\.rhost\)\]:8000%/);
  assert.notEqual(shared.gateway.ports[0]?.port, 8000);
});

test('combineGateways: each Gateway shows TLS backends its own client certificate, or none; plain backends stay shared', () => {
  const certOf = (name: string) => ({ tls: { backend: { clientCertificateRef: { name } } } });
  const mirror = { type: 'RequestMirror', requestMirror: { backendRef: { name: 'secure', port: 443 } } };
  const routeTo = (gw: string) =>
    httpRoute(`to-${gw}`, {
      parentRefs: [{ name: gw }],
      rules: [
        { filters: [mirror], backendRefs: [{ name: 'secure', port: 443 }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/plain' } }], backendRefs: [{ name: 'echo', port: 80 }] },
      ],
    });
  const ir = run([
    gatewayClass(),
    tlsSecret('cert-a', 'example'),
    tlsSecret('cert-b', 'other'),
    gateway('a', [{ name: 'http', port: 80, protocol: 'HTTP' }], certOf('cert-a')),
    gateway('b', [{ name: 'http', port: 80, protocol: 'HTTP' }], certOf('cert-b')),
    gateway('c', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    service('echo'),
    endpointSlice('echo', ['127.0.0.1']),
    service('secure', [{ name: 'https', port: 443, targetPort: 8443 }]),
    { ...endpointSlice('secure', ['127.0.0.2'], 8443), metadata: { name: 'secure-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'secure' } } },
    caConfigMap('backend-ca'),
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'BackendTLSPolicy',
      metadata: { name: 'secure', namespace: 'default' },
      spec: { targetRefs: [{ group: '', kind: 'Service', name: 'secure' }], validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'backend-ca' }], hostname: 'secure.example' } },
    } as KubeObject,
    ...['a', 'b', 'c'].map(routeTo),
  ]).ir;
  const certificateOf = (gw: string) => ir.gateways.find((g) => g.name === gw)?.backendClientCertificate?.certPem;
  assert.ok(certificateOf('default/a') && certificateOf('default/b') && certificateOf('default/a') !== certificateOf('default/b'), 'the fixture gives a and b certificates of their own');
  const shared = combineGateways('portico', ir.gateways);
  assert.deepEqual(shared.members, ['default/a', 'default/b', 'default/c'], 'no Gateway is refused for its certificate');
  assert.equal(shared.refused.size, 0);
  assert.equal(shared.gateway.backendClientCertificate, undefined, 'no certificate for the whole data plane');
  const placed = sharedPorts(ir.gateways.map((g) => ({ name: g.name, ports: g.ports.map((p) => p.port) })));
  for (const gw of ir.gateways) {
    const port = shared.gateway.ports.find((p) => p.port === placed.get(gw.name)?.get(80));
    assert.ok(port, gw.name);
    assert.equal(port.backendClientCertificate?.certPem, gw.backendClientCertificate?.certPem, `${gw.name}'s port carries its own certificate`);
  }
  const redacted = redactIR({ gateways: [shared.gateway] }).gateways[0]?.ports.flatMap((p) => (p.backendClientCertificate ? [p.backendClientCertificate.keyPem] : []));
  assert.deepEqual(redacted, ['(redacted)', '(redacted)'], 'redactIR hides the ports\' keys');

  const rendered = renderGateway(shared.gateway, { dir: '/tmp/shared', globalLines: [] });
  const backends = [...rendered.config.matchAll(/^backend (\S+)\n((?: .*\n)*)/gm)].map((m) => ({ name: m[1] as string, body: m[2] as string }));
  const certificateFiles = (list: readonly { body: string }[]) => list.map((b) => /^ {2}server s0_0 127\.0\.0\.2:8443 .* crt (\S+)/m.exec(b.body)?.[1] ?? 'none').sort();
  const owner = (file: string) => {
    const text = rendered.files[path.basename(file)] ?? '';
    return (['a', 'b'] as const).find((g) => text.startsWith((certificateOf(`default/${g}`) ?? '?').trim()) && text.includes('PRIVATE KEY')) ?? file;
  };
  const tlsRule = backends.filter((b) => b.body.includes('127.0.0.2:8443') && !b.name.startsWith('mirror_'));
  assert.deepEqual(certificateFiles(tlsRule).map((f) => (f === 'none' ? f : owner(f))).sort(), ['a', 'b', 'none'], "the TLS Service: a backend per Gateway's certificate, c's with none");
  const tlsMirror = backends.filter((b) => b.name.startsWith('mirror_'));
  assert.deepEqual(certificateFiles(tlsMirror).map((f) => (f === 'none' ? f : owner(f))).sort(), ['a', 'b', 'none'], 'a mirror target per certificate too');
  for (const file of certificateFiles(tlsRule).filter((f) => f !== 'none')) assert.match(path.basename(file), /^backend-client-[0-9a-f]{16}\.pem$/);
  assert.equal(backends.filter((b) => b.body.includes('127.0.0.1:8080')).length, 1, 'the plain Service: one backend for every Gateway');
  if (haproxyInstalled) {
    const check = haproxyCheck((dir) => renderGateway(shared.gateway, { dir, globalLines: [] }));
    assert.ok(check.ok, check.output);
  }
});

test('combineGateways: a Gateway that would need a backend configured otherwise is refused, naming the Gateway before it', () => {
  const [a, b] = twoGateways().gateways as [IRGateway, IRGateway];
  const id = Object.keys(b.backends)[0] as string;
  const differs: IRGateway = { ...b, backends: { [id]: { ...(b.backends[id] as IRGateway['backends'][string]), protocol: 'h2c' } } };
  const shared = combineGateways('portico', [differs, a]);
  assert.deepEqual(shared.members, ['default/a']);
  assert.match(shared.refused.get('default/b') ?? '', new RegExp(`backend ${id} is configured differently for Gateway default/a`));
  assert.equal(shared.gateway.ports.length, 1, "only a's port is served");
});

test('combineGateways: a route on two Gateways keeps a rate limit bucket per Gateway', () => {
  const policy: KubeObject = {
    apiVersion: 'gateway.portico.dev/v1alpha1',
    kind: 'TrafficPolicy',
    metadata: { name: 'limit', namespace: 'default' },
    spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'both' }], rateLimit: { local: { tokenBucket: { maxTokens: 5, tokensPerFill: 5, fillInterval: '1s' } } } },
  } as KubeObject;
  const ir = twoGateways([httpRoute('both', { parentRefs: [{ name: 'a' }, { name: 'b' }], hostnames: ['both.example'], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }), policy]);
  const scopes = (g: IRGateway) => g.ports.flatMap((p) => p.listeners.flatMap((l) => l.virtualHosts.flatMap((v) => v.rules.flatMap((r) => (r.policy?.rateLimit ? [r.policy.rateLimit.scope] : []))))).sort();
  assert.equal(new Set(ir.gateways.flatMap(scopes)).size, 1, 'unshared, both Gateways name the same bucket');
  const shared = combineGateways('portico', ir.gateways);
  assert.equal(new Set(scopes(shared.gateway)).size, 2, 'shared, each Gateway counts on its own (its two ports on one bucket, as unshared)');
  const config = renderGateway(shared.gateway, { dir: '/tmp/shared', globalLines: [] }).config;
  assert.equal([...config.matchAll(/^backend rl_/gm)].length, 2, 'a stick table per Gateway');
});

test('combineGateways: with route metrics, every series of a shared data plane names its own Gateway and the port clients use', () => {
  const shared = combineGateways('portico', twoGateways().gateways);
  const { metrics } = renderGateway(shared.gateway, { dir: '/tmp/shared', globalLines: [], routeMetrics: true });
  assert.ok(metrics);
  assert.deepEqual(
    Object.values(metrics.frontends).map((f) => `${f.gateway ?? '?'} ${f.port}`).sort(),
    ['default/a 80', 'default/b 80', 'default/b 8080'],
    'ports by Gateway, as clients reach them',
  );
  assert.deepEqual(
    Object.values(metrics.backends).map((b) => `${b.route.gateway ?? '?'} ${b.route.listener} ${b.route.route} ${b.servers.join()}`).sort(),
    ['default/a http default/to-a default/echo:80', 'default/b alt default/to-b default/echo:80', 'default/b http default/to-b default/echo:80'],
  );
  const keys = [...configuredKeys(metrics)].map((k) => JSON.parse(k) as [string, ...[string, string][]]);
  assert.ok(
    keys.every(([, ...labels]) => labels.some(([name, value]) => name === 'gateway' && value.startsWith('default/'))),
    'route, backend and port series all carry the Gateway',
  );
  assert.equal(keys.filter(([kind]) => kind === 'backend').length, 2, "the one Service is a backend series per Gateway that sends to it");
});

test('dataPlaneUnits: one per Gateway, or one per class', () => {
  const ir = run([
    gatewayClass(),
    gatewayClass('other'),
    gateway('a', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    gateway('b', [{ name: 'http', port: 80, protocol: 'HTTP' }], { gatewayClassName: 'other' }),
    gateway('c', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
  ]).ir;
  assert.deepEqual(
    dataPlaneUnits(ir, 'per-gateway').map((u) => [u.gateway.name, u.members]),
    [
      ['default/a', ['default/a']],
      ['default/b', ['default/b']],
      ['default/c', ['default/c']],
    ],
  );
  assert.deepEqual(
    dataPlaneUnits(ir, 'shared').map((u) => [u.gateway.name, u.members]),
    [
      ['GatewayClass/portico', ['default/a', 'default/c']],
      ['GatewayClass/other', ['default/b']],
    ],
  );
});

test('combineGateways: the Gateways of every golden case, served together, make a configuration HAProxy accepts', { skip: !haproxyInstalled && 'haproxy is not installed' }, () => {
  const cases = path.join(projectRoot(), 'test', 'golden', 'cases');
  const gateways: IRGateway[] = [];
  for (const name of readdirSync(cases).sort()) {
    const objects = readdirSync(path.join(cases, name))
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('.golden.yaml'))
      .flatMap((f) => parseAllDocuments(readFileSync(path.join(cases, name, f), 'utf8')).map((d) => d.toJS() as KubeObject | null))
      .filter((o): o is KubeObject => o !== null && typeof o === 'object' && typeof o.kind === 'string');
    let ir: IR;
    try {
      ir = run(objects).ir;
    } catch {
      continue; // cases of files the loader refuses
    }
    // Each case's Gateways, renamed apart: as if every case were a tenant of one class.
    gateways.push(...ir.gateways.map((g) => ({ ...g, name: `${name}-${g.name}` })));
  }
  assert.ok(gateways.length > 50, `${gateways.length} Gateways`);
  const shared = combineGateways('portico', gateways);
  const result = haproxyCheck((dir) => renderGateway(shared.gateway, { dir, globalLines: [] }));
  assert.ok(result.ok, result.output);
  assert.ok(shared.members.length > 50, `${shared.members.length} served, refused: ${[...shared.refused.values()].join('; ')}`);
});

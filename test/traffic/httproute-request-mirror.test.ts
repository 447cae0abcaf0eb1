/**
 * Traffic ports of upstream HTTPRouteRequestMirror, HTTPRouteRequestMultipleMirrors and
 * HTTPRouteRequestPercentageMirror: the client's answer comes from the rule's backend while each
 * mirror gets a copy of the request (seen in the echo server's request log, where upstream reads
 * the mirror pod's log); with `percent` or `fraction`, that share of requests. The tests after
 * those are not upstream ports: what a copy carries (method, body, query, Host), a dead or hanging
 * mirror changing nothing for the client, and a mirror's endpoints moving without a reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import { silentLogger } from '../../src/log.js';
import { startPortico } from '../../src/runtime/app.js';
import { Validator } from '../../src/validation/index.js';
import { requestJson, startEcho, type EchoBody, type EchoServer } from '../support/echo-server.js';
import { tempDir, waitFor } from '../support/fs-wait.js';
import { backends, INFRA_NS, mismatch, runCases, V1, V2, V3, type Case } from './cases.js';
import { echoedHeader, gatewayYaml, haproxyInstalled, startDead, startStack, type BackendServer, type Stack } from './harness.js';

const skip = !haproxyInstalled && 'haproxy is not installed';

const mirror = (name: string, share = '') => `{type: RequestMirror, requestMirror: {backendRef: {name: ${name}, namespace: ${INFRA_NS}, port: 8080}${share}}}`;
const MODIFY = `{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Header-Set, value: set-overwrites-values}], add: [{name: X-Header-Add, value: header-val-1}, {name: X-Header-Add-Append, value: header-val-2}], remove: [X-Header-Remove]}}`;

function routeYaml(name: string, rules: [prefix: string, filters: string[]][]): string {
  const body = rules
    .map(
      ([prefix, filters]) => `  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]
    filters: [${filters.join(', ')}]
    backendRefs: [{name: ${V1}, port: 8080, namespace: ${INFRA_NS}}]
`,
    )
    .join('');
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
${body}`;
}

/** What upstream's modify-headers cases expect the backend (and, here, each mirror) to receive. */
const MODIFIED: Pick<Case, 'headers' | 'expectedRequest'> = {
  headers: { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1' },
  expectedRequest: {
    headers: { 'X-Header-Add': 'header-val-1', 'X-Header-Add-Append': 'append-val-1,header-val-2', 'X-Header-Set': 'set-overwrites-values' },
    absentHeaders: ['X-Header-Remove'],
  },
};

/** Requests an echo server saw for exactly this target (path and query). */
function copiesOf(echo: EchoServer | undefined, target: string): EchoBody[] {
  assert.ok(echo, 'no such echo server');
  return echo.log.filter((r) => r.path === target);
}

/**
 * Sends the case once with a request id of its own, checks the answer came from the rule's
 * backend, and returns the target so the copies can be found.
 */
async function sendOnce(stack: Stack, gw: string, c: Case): Promise<string> {
  const target = `${c.path}?request-id=${randomUUID()}`;
  const r = await stack.request(gw, 80, { path: target, headers: c.headers, method: c.method });
  const why = mismatch({ ...c, path: target }, r);
  assert.equal(why, undefined, `${target}: ${why}`);
  return target;
}

/** Waits for exactly one copy of `target` at each mirror and checks what it carried. */
async function expectCopies(stack: Stack, target: string, mirrors: string[], c: Case): Promise<void> {
  for (const name of mirrors) {
    const copies = await stack.eventually(`a copy of ${target} at ${name}`, async () => copiesOf(stack.echo.get(name), target), (l) => l.length > 0);
    assert.equal(copies.length, 1, `${name} got ${copies.length} copies of one request`);
    const copy = copies[0] as EchoBody;
    assert.equal(copy.method, c.method ?? 'GET');
    // The copy is the request as the backend got it: the rule's header changes come first.
    for (const [header, value] of Object.entries(c.expectedRequest?.headers ?? c.headers ?? {})) assert.equal(echoedHeader(copy, header), value, `${name}: ${header}`);
    for (const header of c.expectedRequest?.absentHeaders ?? []) assert.equal(echoedHeader(copy, header), undefined, `${name}: ${header} should be absent`);
  }
}

async function mirrorCases(stack: Stack, gw: string, cases: { c: Case; mirrors: string[] }[]): Promise<void> {
  // Once the route answers, every request through it is mirrored.
  await runCases(stack, gw, 80, cases.map(({ c }) => c));
  for (const { c, mirrors } of cases) await expectCopies(stack, await sendOnce(stack, gw, c), mirrors, c);
}

test('HTTPRouteRequestMirror', { skip }, async (t) => {
  const route = routeYaml('request-mirror', [
    ['/mirror', [mirror(V2)]],
    ['/mirror-and-modify-headers', [MODIFY, mirror(V2)]],
  ]);
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.routeCondition(INFRA_NS, 'request-mirror', 'same-namespace', 'Accepted', 'True', 'Accepted');
  await mirrorCases(stack, gw, [
    { c: { path: '/mirror', backend: V1 }, mirrors: [V2] },
    { c: { path: '/mirror-and-modify-headers', backend: V1, ...MODIFIED }, mirrors: [V2] },
  ]);
});

test('HTTPRouteRequestMultipleMirrors', { skip }, async (t) => {
  const route = routeYaml('request-multiple-mirrors', [
    ['/multi-mirror', [mirror(V2), mirror(V3)]],
    ['/multi-mirror-and-modify-request-headers', [MODIFY, mirror(V2), mirror(V3)]],
  ]);
  const stack = await startStack(t, backends(V1, V2, V3), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await mirrorCases(stack, gw, [
    { c: { path: '/multi-mirror', backend: V1 }, mirrors: [V2, V3] },
    { c: { path: '/multi-mirror-and-modify-request-headers', backend: V1, ...MODIFIED }, mirrors: [V2, V3] },
  ]);
});

const TOTAL = 500;
const CONCURRENCY = 10;
const ATTEMPTS = 5;
/** Half-width of the accepted band in binomial standard deviations, as upstream. */
const SIGMAS = 3;

/** Resolves once `count()` has not changed for `quietMs`: the copies still on their way have landed. */
async function settled(what: string, count: () => number, quietMs = 300): Promise<number> {
  let last = -1;
  let since = Date.now();
  return waitFor(
    what,
    () => {
      const now = count();
      if (now !== last) {
        last = now;
        since = Date.now();
        return undefined;
      }
      return Date.now() - since >= quietMs ? now : undefined;
    },
    20_000,
  );
}

/** Sends TOTAL requests with one request id; returns how many copies the mirror got. */
async function mirroredShare(stack: Stack, gw: string, c: Case): Promise<number> {
  const target = `${c.path}?request-id=${randomUUID()}`;
  let next = 0;
  const worker = async () => {
    while (next < TOTAL) {
      next++;
      const r = await stack.request(gw, 80, { path: target, headers: c.headers });
      const why = mismatch({ ...c, path: target }, r);
      assert.equal(why, undefined, `${target}: ${why}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return settled(`copies of ${target} to land`, () => copiesOf(stack.echo.get(V2), target).length);
}

test('HTTPRouteRequestPercentageMirror', { skip }, async (t) => {
  const route = routeYaml('request-percentage-mirror', [
    ['/percent-mirror', [mirror(V2, ', percent: 20')]],
    ['/percent-mirror-fraction', [mirror(V2, ', fraction: {numerator: 25, denominator: 50}')]],
    ['/percent-mirror-and-modify-headers', [MODIFY, mirror(V2, ', percent: 35')]],
  ]);
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.routeCondition(INFRA_NS, 'request-percentage-mirror', 'same-namespace', 'ResolvedRefs', 'True', 'ResolvedRefs');
  const cases: [Case, number][] = [
    [{ path: '/percent-mirror', backend: V1 }, 20],
    [{ path: '/percent-mirror-fraction', backend: V1 }, 50],
    [{ path: '/percent-mirror-and-modify-headers', backend: V1, ...MODIFIED }, 35],
  ];
  await runCases(stack, gw, 80, cases.map(([c]) => c));
  for (const [c, percent] of cases) {
    const p = percent / 100;
    const margin = SIGMAS * Math.sqrt(TOTAL * p * (1 - p));
    const results: number[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const n = await mirroredShare(stack, gw, c);
      results.push(n);
      if (Math.abs(n - TOTAL * p) <= margin) break;
    }
    const last = results[results.length - 1] as number;
    assert.ok(Math.abs(last - TOTAL * p) <= margin, `${c.path}: mirrored ${results.join(', ')} of ${TOTAL}, want ${TOTAL * p} ± ${margin.toFixed(1)}`);
  }
});

test('a copy keeps the method, the body, the raw query and the Host (not upstream)', { skip }, async (t) => {
  const route = `${routeYaml('copy-fidelity', [['/copy', [mirror(V2)]]])}  hostnames: [copy.example.com]\n`;
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ host: 'copy.example.com', path: '/copy', backend: V1 }]);
  // PATCH and OPTIONS are among the methods HAProxy's httpclient cannot send itself.
  const requests = [
    { method: 'POST', body: 'a'.repeat(3000), http2: false },
    { method: 'PATCH', body: '{"patch":true}', http2: false },
    { method: 'OPTIONS', body: undefined, http2: false },
    { method: 'HEAD', body: undefined, http2: false },
    { method: 'POST', body: 'over h2c', http2: true },
  ];
  for (const { method, body, http2 } of requests) {
    const target = `/copy/${method.toLowerCase()}?q=a%20b&q=%2F&empty=&request-id=${randomUUID()}`;
    const r = await stack.request(gw, 80, { host: 'copy.example.com', path: target, method, body, http2, headers: { 'X-Multi': ['one', 'two'], 'X-Quoted': `it's "%[src]"` } });
    assert.equal(r.status, 200, r.text);
    if (method !== 'HEAD') {
      assert.equal(r.json?.pod, V1);
      assert.equal(r.json?.bodyLength, body?.length ?? 0);
    }
    const [copy] = await stack.eventually(`a copy of ${method} ${target}`, async () => copiesOf(stack.echo.get(V2), target), (l) => l.length > 0);
    assert.ok(copy);
    assert.equal(copy.method, method);
    assert.equal(copy.host, 'copy.example.com');
    assert.equal(copy.bodyLength, body?.length ?? 0);
    assert.equal(echoedHeader(copy, 'X-Multi'), 'one,two');
    assert.equal(echoedHeader(copy, 'X-Quoted'), `it's "%[src]"`);
    assert.equal(echoedHeader(copy, 'X-Portico-Mirror'), undefined, 'the internal header does not reach the mirror');
    // The httpclient adds these when they are missing; the copy must not have them either.
    assert.equal(echoedHeader(copy, 'Accept'), undefined);
    assert.equal(echoedHeader(copy, 'User-Agent'), undefined);
  }
  // A body larger than HAProxy's request buffer cannot be copied whole, so it is not mirrored;
  // the client's request goes on in full all the same.
  const big = await stack.request(gw, 80, { host: 'copy.example.com', path: '/copy/big', method: 'PUT', body: 'b'.repeat(100_000) });
  assert.equal(big.status, 200, big.text);
  assert.equal(big.json?.bodyLength, 100_000);
  // A client cannot steer its copy with the internal header: it is dropped, and the copy still goes to V2.
  const target = `/copy/forged?request-id=${randomUUID()}`;
  const r = await stack.request(gw, 80, { host: 'copy.example.com', path: target, headers: { 'X-Portico-Mirror': 'not_found DELETE -' } });
  assert.equal(r.status, 200);
  const [copy] = await stack.eventually('a copy of the forged request', async () => copiesOf(stack.echo.get(V2), target), (l) => l.length > 0);
  assert.equal(copy?.method, 'GET');
});

/** A server that accepts connections, reads what it is sent and never answers. */
async function startHanging(received: string[]): Promise<BackendServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => received.push(chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

test('a hanging or dead mirror neither fails nor slows the request (not upstream)', { skip }, async (t) => {
  const received: string[] = [];
  const route = routeYaml('broken-mirrors', [
    ['/hanging', [mirror('hanging')]],
    ['/dead', [mirror('dead')]],
  ]);
  const stack = await startStack(
    t,
    [...backends(V1), { name: 'hanging', namespace: INFRA_NS, start: () => startHanging(received) }, { name: 'dead', namespace: INFRA_NS, start: startDead }],
    `${gatewayYaml()}---\n${route}`,
  );
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ path: '/hanging', backend: V1 }, { path: '/dead', backend: V1 }]);
  for (const prefix of ['/hanging', '/dead']) {
    for (let i = 0; i < 20; i++) {
      const target = `${prefix}?n=${i}`;
      const started = Date.now();
      const r = await stack.request(gw, 80, { path: target, method: 'POST', body: 'payload' });
      const ms = Date.now() - started;
      assert.equal(mismatch({ path: target, method: 'POST', backend: V1 }, r), undefined);
      // The hanging mirror holds each copy for 10 s and the dead one is retried; neither is waited for.
      assert.ok(ms < 1000, `${target} took ${ms} ms`);
    }
  }
  // The copies did go out: the hanging mirror received them (and never answered).
  await waitFor('the hanging mirror to receive the copies', () => received.join('').split('POST /hanging?n=').length - 1 >= 20, 10_000);
});

test("a mirror's endpoints move through the runtime API, without a reload (not upstream)", { skip }, async (t) => {
  const dir = tempDir(t);
  const echoes = await Promise.all(['main', 'mirror-a', 'mirror-b'].map((name) => startEcho({ name, namespace: 'default' })));
  for (const e of echoes) t.after(() => e.close());
  const [main, a, b] = echoes as [EchoServer, EchoServer, EchoServer];
  const service = (name: string, echo: EchoServer) => [
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80 }] } },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${name}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } }, addressType: 'IPv4', ports: [{ name: 'http', port: echo.port }], endpoints: [{ addresses: [echo.host] }] },
  ];
  const manifests = (mirrorEcho: EchoServer) =>
    [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'portico', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'mirrored', namespace: 'default' },
        spec: { parentRefs: [{ name: 'gw' }], rules: [{ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 } } }], backendRefs: [{ name: 'main', port: 80 }] }] },
      },
      ...service('main', main),
      ...service('shadow', mirrorEcho),
    ]
      .map((o) => stringify(o))
      .join('---\n');
  const file = path.join(dir, 'objects.yaml');
  writeFileSync(file, manifests(a));
  const dataPlane = new HaproxyDataPlane({ stateDir: path.join(dir, 'state'), logger: silentLogger() });
  const app = await startPortico({ paths: [dir], admin: { host: '127.0.0.1', port: 0 }, addressPool: '127.0.81.0/24', validator: new Validator(), logger: silentLogger(), dataPlane, debounceMs: 20 });
  t.after(() => app.close());
  await app.ready;
  const address = (app.runtime.statusOf('Gateway/default/gw') as { addresses: { value: string }[] }).addresses[0]?.value;
  assert.ok(address);
  const mirroredTo = async (echo: EchoServer) => {
    const target = `/?request-id=${randomUUID()}`;
    const r = await requestJson(`http://${address}:80${target}`, { timeoutMs: 2000 });
    if (r.json?.pod !== 'main') return false;
    return waitFor(`a copy of ${target}`, () => [a, b].find((e) => e.log.some((l) => l.path === target)), 2000).then((e) => e === echo);
  };
  await waitFor('copies at mirror-a', () => mirroredTo(a).catch(() => false), 10_000);
  const reloads = dataPlane.counters.reloads;

  // Traffic keeps flowing while the change is applied: copies move to mirror-b all the same.
  writeFileSync(file, manifests(b));
  await waitFor('copies at mirror-b', () => mirroredTo(b).catch(() => false), 10_000);
  for (let i = 0; i < 20; i++) assert.ok(await mirroredTo(b), 'every later copy goes to mirror-b');
  await waitFor('one runtime API update', async () => dataPlane.counters.runtimeUpdates === 1, 5000);
  assert.equal(dataPlane.counters.reloads, reloads, 'no reload for an endpoint change of the mirror');
});

/**
 * Route metrics through a real HAProxy (--route-metrics): requests, responses by status class and
 * bytes per route rule and per backend, read from HAProxy's statistics and labelled with Gateway
 * API names on /metrics; the counters keep growing across a reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { backends, INFRA_NS, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';
import { waitFor } from '../support/fs-wait.js';

const GATEWAY = `${INFRA_NS}/same-namespace`;

function routes(extra = ''): string {
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: route-a, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /warm}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /a}}]
    backendRefs: [{name: ${V1}, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: route-b, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /b}}]
    backendRefs: [{name: ${V1}, port: 8080, weight: 1}, {name: ${V2}, port: 8080, weight: 1}]
${extra}`;
}

const ROUTE_C = `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: route-c, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /c}}]
    backendRefs: [{name: ${V2}, port: 8080}]
`;

/**
 * What HAProxy counts of a message on the wire: it counts HTTP messages as it holds them (HTX),
 * where a header line is its name and value, 4 bytes less than "name: value\r\n".
 */
function counted(wire: string): number {
  const head = wire.slice(0, wire.indexOf('\r\n\r\n'));
  const headerLines = head.split('\r\n').length - 1;
  return Buffer.byteLength(wire, 'latin1') - 4 * headerLines;
}

/** One request on a connection of its own: the bytes written and read as HAProxy counts them, and the status. */
function raw(address: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; sent: number; received: number }> {
  const request = `GET ${path} HTTP/1.1\r\nhost: metrics.example\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}connection: close\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(80, address);
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${path}`)));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), sent: counted(request), received: counted(text) });
    });
  });
}

/** The samples of a Prometheus text exposition, by name and labels as written. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{.*\})? (\S+)$/.exec(line);
    if (m) out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return out;
}

function labels(l: Record<string, string>): string {
  return `{${Object.entries(l).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

test('route metrics through HAProxy', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml('same-namespace', INFRA_NS)}---\n${routes()}`, { routeMetrics: true, routeLatencyBucketsMs: [250, 5000] });
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.expect(gw, 80, { path: '/warm' }, (r) => r.status === 200, 'the routes are served');
  const scrape = async (): Promise<Map<string, number>> => {
    const res = await fetch(`${stack.portico.admin.url}/metrics`);
    return samples(await res.text());
  };
  const route = (name: string, rule: string) => ({ gateway: GATEWAY, listener: 'http', route_kind: 'HTTPRoute', route: `${INFRA_NS}/${name}`, rule });
  const a = route('route-a', '1');
  const b = route('route-b', '0');
  const value = (m: Map<string, number>, name: string, l: Record<string, string>): number | undefined => m.get(`${name}${labels(l)}`);

  // Route A: 4 answered 200 (2 of them after 600 ms), 2 answered 503 and 1 answered 404 by the
  // backend; route B: 5 x 200.
  const slow = { 'x-echo-delay': '600' };
  const sentA = [{}, {}, slow, slow, { 'x-echo-status': '503' }, { 'x-echo-status': '503' }, { 'x-echo-status': '404' }] as Record<string, string>[];
  const bytes = { a: { in: 0, out: 0 }, b: { in: 0, out: 0 } };
  for (const [i, h] of sentA.entries()) {
    const r = await raw(gw, `/a/${i}`, h);
    assert.equal(r.status, Number(h['x-echo-status'] ?? 200));
    bytes.a.in += r.sent;
    bytes.a.out += r.received;
  }
  for (let i = 0; i < 5; i++) {
    const r = await raw(gw, `/b/${i}`);
    assert.equal(r.status, 200);
    bytes.b.in += r.sent;
    bytes.b.out += r.received;
  }
  assert.equal((await raw(gw, '/nowhere')).status, 404);

  // HAProxy counts a request when its stream ends, which can be just after the client sees the close.
  const m = await waitFor(
    'route A and B counted',
    async () => {
      const now = await scrape();
      return value(now, 'portico_route_requests_total', a) === 7 && value(now, 'portico_route_requests_total', b) === 5 && value(now, 'portico_route_sent_bytes_total', b) === bytes.b.out ? now : undefined;
    },
    10_000,
  ).catch(async (err: unknown) => {
    const now = [...(await scrape())].filter(([k]) => k.startsWith('portico_route') || k.startsWith('portico_port'));
    throw new Error(`${String(err)} ${JSON.stringify(bytes)}\n${now.map(([k, v]) => `${k} ${v}`).join('\n')}`);
  });

  await t.test('requests, status classes and bytes per route rule', () => {
    const responses = (l: Record<string, string>, c: string) => value(m, 'portico_route_responses_total', { ...l, code_class: c });
    assert.deepEqual(['1xx', '2xx', '3xx', '4xx', '5xx', 'other'].map((c) => responses(a, c)), [0, 4, 0, 1, 2, 0]);
    assert.deepEqual(['1xx', '2xx', '3xx', '4xx', '5xx', 'other'].map((c) => responses(b, c)), [0, 5, 0, 0, 0, 0]);
    assert.equal(value(m, 'portico_route_received_bytes_total', a), bytes.a.in);
    assert.equal(value(m, 'portico_route_sent_bytes_total', a), bytes.a.out);
    assert.equal(value(m, 'portico_route_received_bytes_total', b), bytes.b.in);
    assert.equal(value(m, 'portico_route_sent_bytes_total', b), bytes.b.out);
    assert.ok(value(m, 'portico_route_requests_total', route('route-a', '0')) !== undefined, 'the warm-up rule has series of its own');
    assert.ok((value(m, 'portico_route_total_time_average_seconds', a) ?? -1) >= 0);
  });

  await t.test('per backend: the Services of every rule', () => {
    const backend = (name: string) => ({ gateway: GATEWAY, backend: `${INFRA_NS}/${name}:8080` });
    const v1 = value(m, 'portico_backend_requests_total', backend(V1)) ?? 0;
    const v2 = value(m, 'portico_backend_requests_total', backend(V2)) ?? 0;
    // V1: the warm-up rule's requests (how many the harness sent until the route answered), route
    // A's 7 and its share of route B's 5; V2 the rest of route B's.
    const warm = value(m, 'portico_route_requests_total', route('route-a', '0')) ?? 0;
    assert.equal(v1 + v2, warm + 7 + 5);
    assert.ok(v2 > 0 && v2 < 5, `route B is split over both (${v2} to ${V2})`);
    assert.equal(value(m, 'portico_backend_responses_total', { ...backend(V1), code_class: '5xx' }), 2);
  });

  await t.test('latency histogram per route rule: backend responses by bucket', () => {
    const bucket = (le: string) => value(m, 'portico_route_response_latency_seconds_bucket', { ...a, le });
    assert.deepEqual([bucket('0.25'), bucket('5'), bucket('+Inf')], [5, 7, 7], 'two slow responses above 250 ms');
    assert.equal(value(m, 'portico_route_response_latency_seconds_count', a), 7);
    assert.equal(value(m, 'portico_route_response_latency_seconds_count', b), 5);
  });

  await t.test('per port, unrouted requests included', () => {
    const port = { gateway: GATEWAY, port: '80' };
    assert.ok((value(m, 'portico_port_requests_total', port) ?? 0) >= 13, 'the port counts every request');
    assert.ok((value(m, 'portico_port_responses_total', { ...port, code_class: '4xx' }) ?? 0) >= 2, 'the unrouted 404 is counted at the port');
  });

  await t.test('a reload (a route added) keeps the counters growing', async () => {
    const reloads = value(await scrape(), 'portico_haproxy_reloads_total', { gateway: GATEWAY }) ?? 0;
    stack.write(`${gatewayYaml('same-namespace', INFRA_NS)}---\n${routes(ROUTE_C)}`);
    await stack.expect(gw, 80, { path: '/c' }, (r) => r.status === 200, 'route C is served');
    // The new worker answers a moment before the data plane has recorded the reload.
    const after = await waitFor('the reload counted', async () => {
      const now = await scrape();
      return (value(now, 'portico_haproxy_reloads_total', { gateway: GATEWAY }) ?? 0) > reloads ? now : undefined;
    }, 10_000);
    assert.equal(value(after, 'portico_route_requests_total', a), 7);
    assert.equal(value(after, 'portico_route_sent_bytes_total', a), bytes.a.out);
    assert.equal((await raw(gw, '/a/after')).status, 200);
    await waitFor('the request after the reload counted on top', async () => value(await scrape(), 'portico_route_requests_total', a) === 8, 10_000);
    const final = await scrape();
    assert.equal(value(final, 'portico_route_response_latency_seconds_count', a), 8, 'the histogram adds up across the reload too');
    assert.equal(value(final, 'portico_route_responses_total', { ...a, code_class: '2xx' }), 5);
    assert.equal(value(final, 'portico_route_responses_total', { ...a, code_class: '5xx' }), 2);
  });
});

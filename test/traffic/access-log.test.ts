/**
 * Access logs of a ListenerPolicy through a real HAProxy: JSON lines with route, rule, backend,
 * status, timings and upstream address written to a file; a second file in text format that only
 * server errors and requests with x-debug reach; the health check left out; hostile header values
 * kept inside their JSON string.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backends, INFRA_NS, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, policyAccepted, startStack } from './harness.js';
import { waitFor } from '../support/fs-wait.js';

function objects(dir: string): string {
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - name: app
    matches: [{path: {type: PathPrefix, value: /app}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /broken}}]
    backendRefs: [{name: no-such-service, port: 8080}]
---
apiVersion: gateway.portico.dev/v1alpha1
kind: ListenerPolicy
metadata: {name: logs, namespace: ${INFRA_NS}}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: same-namespace}]
  default:
    httpSettings:
      healthCheck: {path: /healthz}
      accessLog:
      - fileSink:
          path: ${dir}/all.log
          jsonFormat: &json
            time: "%START_TIME%"
            method: "%REQ(:METHOD)%"
            path: "%REQ(:PATH)%"
            agent: "%REQ(USER-AGENT)%"
            status: "%RESPONSE_CODE%"
            duration_ms: "%DURATION%"
            route: "%ROUTE_NAME%"
            rule: "%ROUTE_RULE%"
            backend: "%UPSTREAM_CLUSTER%"
            upstream: "%UPSTREAM_HOST%"
            content_type: "%RESP(CONTENT-TYPE)%"
        filter: {notHealthCheckFilter: true}
      - fileSink: {path: ${dir}/all.log, jsonFormat: *json}
        filter:
          orFilter:
          - statusCodeFilter: {op: GE, value: 500}
          - headerFilter: {header: {name: x-debug, value: "on"}}
`;
}

interface Entry {
  time: string;
  method: string;
  path: string;
  agent: string;
  status: number;
  duration_ms: number;
  route: string;
  rule: string;
  backend: string;
  upstream: string;
  content_type: string;
}

function entries(file: string): Entry[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Entry) : [];
}

test('access logs through HAProxy', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-access-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stack = await startStack(t, backends(V1), `${gatewayYaml('same-namespace', INFRA_NS)}---\n${objects(dir)}`, { accessLogDir: dir });
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.expect(gw, 80, { path: '/app/warmup' }, (r) => r.status === 200, 'the route is served');
  policyAccepted(stack, 'ListenerPolicy', INFRA_NS, 'logs');
  const all = path.join(dir, 'all.log');
  const echo = stack.echo.get(V1);
  assert.ok(echo);

  await t.test('a JSON line per request with route, rule, backend, status, timings and upstream', async () => {
    const hostile = 'agent "quoted" \\ back\tslash';
    const r = await stack.request(gw, 80, { path: '/app/one?x=1', headers: { 'user-agent': hostile } });
    assert.equal(r.status, 200);
    const e = await waitFor('the line of /app/one', () => entries(all).find((x) => x.path.startsWith('/app/one')), 10_000);
    assert.equal(e.method, 'GET');
    assert.equal(e.path, '/app/one?x=1');
    assert.equal(e.agent, hostile);
    assert.equal(e.status, 200);
    assert.equal(typeof e.duration_ms, 'number');
    assert.equal(e.route, `${INFRA_NS}/app`);
    assert.equal(e.rule, 'app');
    assert.equal(e.backend, `${INFRA_NS}/${V1}:8080`);
    assert.equal(e.upstream, `127.0.0.1:${echo.port}`);
    assert.match(e.content_type, /^application\/json/);
    assert.ok(Math.abs(Date.parse(e.time) - Date.now()) < 60_000, `time ${e.time}`);
  });

  await t.test('a request no route takes, and the health check, which the filter leaves out', async () => {
    assert.equal((await stack.request(gw, 80, { path: '/nothing-here' })).status, 404);
    assert.equal((await stack.request(gw, 80, { path: '/healthz' })).status, 200);
    const e = await waitFor('the line of /nothing-here', () => entries(all).find((x) => x.path === '/nothing-here'), 10_000);
    assert.equal(e.status, 404);
    assert.equal(e.route, '-');
    assert.ok(!entries(all).some((x) => x.path === '/healthz'), 'the health check is not logged');
  });

  await t.test("errors and x-debug requests reach the second sink's filter, others do not", async () => {
    const before = entries(all).length;
    assert.equal((await stack.request(gw, 80, { path: '/broken/x' })).status, 500);
    assert.equal((await stack.request(gw, 80, { path: '/app/debug', headers: { 'x-debug': 'on' } })).status, 200);
    assert.equal((await stack.request(gw, 80, { path: '/app/quiet' })).status, 200);
    // Both sinks write to all.log: a line the second sink lets through is there twice.
    await waitFor('the debug and error lines twice', () => {
      const now = entries(all).slice(before);
      const count = (p: string) => now.filter((x) => x.path === p).length;
      return count('/broken/x') === 2 && count('/app/debug') === 2 && count('/app/quiet') === 1;
    }, 10_000).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${JSON.stringify(entries(all).slice(before))}`);
    });
  });
});

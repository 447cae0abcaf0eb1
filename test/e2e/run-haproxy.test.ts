// `portico run` as a user runs it: a real process, the real HAProxy, a request through the Gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDirName } from '../../src/haproxy/dataplane.js';
import { requestJson, startEcho } from '../support/echo-server.js';
import { oneRouteManifests } from '../support/manifests.js';
import { getJson, startRun, tempDir, waitFor } from './support.js';

const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;

const ACCESS_LOG_POLICY = `apiVersion: gateway.portico.dev/v1alpha1
kind: HTTPListenerPolicy
metadata: {name: access-logs, namespace: default}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: web}]
  accessLog:
  - fileSink:
      path: /dev/stdout
      jsonFormat: {path: "%REQ(:PATH)%", status: "%RESPONSE_CODE%", route: "%ROUTE_NAME%", backend: "%UPSTREAM_CLUSTER%", upstream: "%UPSTREAM_HOST%"}
`;

const manifests = (echoPort: number) => oneRouteManifests({ gateway: 'web', listenerPort: 8080, service: 'echo', servicePort: 80, echoPort });

test('portico run serves traffic through HAProxy, follows edits, and stops cleanly', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const dir = tempDir(t);
  const stateDir = path.join(dir, 'state');
  const echo = await startEcho({ name: 'echo-v1', namespace: 'default' });
  t.after(() => echo.close());
  const file = path.join(dir, 'web.yaml');
  writeFileSync(file, manifests(echo.port));
  const run = await startRun(['-f', file, '--data-plane', 'haproxy', '--address-pool', '127.0.77.0/24', '--state-dir', stateDir]);
  t.after(() => run.stop('SIGKILL'));

  const gatewayUrl = `${run.url}/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/web`;
  const address = await waitFor(
    'Gateway web Programmed',
    async () => {
      const { body } = await getJson(gatewayUrl);
      const status = body.status as { addresses?: { value: string }[]; conditions?: { type: string; status: string }[] } | undefined;
      return status?.conditions?.some((c) => c.type === 'Programmed' && c.status === 'True') ? status.addresses?.[0]?.value : undefined;
    },
    10_000,
  );
  const r = await requestJson(`http://${address}:8080/hello`, { host: 'anything.example' });
  assert.equal(r.status, 200);
  assert.equal(r.json?.pod, 'echo-v1');
  assert.equal(r.json?.path, '/hello');

  // An access log to stdout: Portico's stdout carries the line, its log (stderr) does not.
  writeFileSync(file, `${manifests(echo.port)}---\n${ACCESS_LOG_POLICY}`);
  await waitFor('the access log on stdout', async () => {
    await requestJson(`http://${address}:8080/logged`);
    return run.stdout.some((l) => l.startsWith('{') && (JSON.parse(l) as { path?: string }).path === '/logged');
  }, 10_000);
  const line = JSON.parse(run.stdout.find((l) => l.includes('logged')) ?? '{}') as Record<string, unknown>;
  assert.deepEqual({ ...line, upstream: undefined }, { path: '/logged', status: 200, route: 'default/echo', backend: 'default/echo:80', upstream: undefined });
  assert.equal(line.upstream, `127.0.0.1:${echo.port}`);
  assert.ok(run.stdout.every((l) => l.startsWith('{')), `only access lines on stdout: ${run.stdout.join('\n')}`);

  // An edit that removes the route: the same Gateway now answers 404.
  writeFileSync(file, manifests(echo.port).split('---\n').filter((d) => !d.includes('kind: HTTPRoute')).join('---\n'));
  await waitFor('404 after the route is removed', async () => (await requestJson(`http://${address}:8080/hello`)).status === 404, 5000);

  assert.equal(await run.stop('SIGTERM'), 0);
  assert.equal(existsSync(path.join(stateDir, stateDirName('default/web'), 'master.sock')), false, 'HAProxy sockets are gone after stop');
  await assert.rejects(requestJson(`http://${address}:8080/hello`, { timeoutMs: 1000 }), 'nothing listens on the Gateway address any more');
});

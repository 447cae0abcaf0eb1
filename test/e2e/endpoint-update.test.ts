// An endpoint change reaches HAProxy through the runtime API: traffic moves, and no reload happens;
// HAProxy restarted after kill -9 still serves the changed endpoints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import { silentLogger } from '../../src/log.js';
import { startPortico } from '../../src/runtime/app.js';
import { Validator } from '../../src/validation/index.js';
import { requestJson, startEcho } from '../support/echo-server.js';
import { oneRouteManifests } from '../support/manifests.js';
import { tempDir, waitFor } from '../support/fs-wait.js';

const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;

const manifests = (port: number) => oneRouteManifests({ gateway: 'gw', listenerPort: 80, service: 'svc', servicePort: 80, echoPort: port });

test('an EndpointSlice change is applied with the runtime API, without a reload', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const dir = tempDir(t);
  const a = await startEcho({ name: 'backend-a', namespace: 'default' });
  const b = await startEcho({ name: 'backend-b', namespace: 'default' });
  t.after(() => a.close());
  t.after(() => b.close());
  const file = path.join(dir, 'objects.yaml');
  writeFileSync(file, manifests(a.port));
  const dataPlane = new HaproxyDataPlane({ stateDir: path.join(dir, 'state'), logger: silentLogger() });
  const app = await startPortico({ paths: [dir], admin: { host: '127.0.0.1', port: 0 }, addressPool: '127.0.78.0/24', validator: new Validator(), logger: silentLogger(), dataPlane, debounceMs: 20 });
  t.after(() => app.close());
  await app.ready;
  const address = (app.runtime.statusOf('Gateway/default/gw') as { addresses: { value: string }[] }).addresses[0]?.value;
  assert.ok(address);
  const pod = async () => (await requestJson(`http://${address}:80/`, { timeoutMs: 2000 })).json?.pod;
  await waitFor('traffic to backend-a', async () => (await pod()) === 'backend-a', 5000);
  const reloads = dataPlane.counters.reloads;

  writeFileSync(file, manifests(b.port));
  await waitFor('traffic to backend-b', async () => (await pod()) === 'backend-b', 5000);
  // Traffic moves as soon as HAProxy has the change, a moment before it is recorded and counted.
  await waitFor('one runtime API update', async () => dataPlane.counters.runtimeUpdates === 1, 5000);
  assert.equal(dataPlane.counters.reloads, reloads, 'no reload for an endpoint change');

  // Every HAProxy process of this test (master and worker) dies at once, as in a crash.
  const pids = spawnSync('pgrep', ['-f', path.join(dir, 'state')], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  assert.ok(pids.length >= 2, `HAProxy master and worker found: ${pids.join(', ')}`);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  // The first answer after the restart tells which endpoints the restarted HAProxy loaded.
  let first: string | undefined;
  await waitFor('HAProxy serving again after kill -9', async () => (first = await pod().catch(() => undefined)) !== undefined, 10_000);
  assert.equal(first, 'backend-b', 'the restarted HAProxy serves the endpoints changed through the runtime API');
});

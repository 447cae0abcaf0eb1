// examples/policies, served: its TrafficPolicies and ListenerPolicy are Accepted and do what its
// README says (a health check, a password on the admin rule, compression, request ids).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import { silentLogger } from '../../src/log.js';
import { startPortico } from '../../src/runtime/app.js';
import { Validator } from '../../src/validation/index.js';
import { requestJson, startEcho } from '../support/echo-server.js';
import { tempDir, waitFor } from '../support/fs-wait.js';
import { projectRoot } from './support.js';

const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;

test('examples/policies: every policy is Accepted and does what the README says', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const dir = tempDir(t);
  cpSync(path.join(projectRoot, 'examples/policies'), dir, { recursive: true });
  const echo = await startEcho({ name: 'echo', namespace: 'default' });
  t.after(() => echo.close());
  // The example's endpoint is 127.0.0.1:9000; here, the echo server's port.
  const echoFile = path.join(dir, 'echo.yaml');
  writeFileSync(echoFile, readFileSync(echoFile, 'utf8').replaceAll('9000', String(echo.port)));
  const dataPlane = new HaproxyDataPlane({ stateDir: path.join(dir, 'state'), logger: silentLogger() });
  const app = await startPortico({ paths: [dir], admin: { host: '127.0.0.1', port: 0 }, addressPool: '127.0.83.0/24', validator: new Validator(), logger: silentLogger(), dataPlane, debounceMs: 20 });
  t.after(() => app.close());
  await app.ready;
  for (const key of ['TrafficPolicy/default/echo-limits', 'TrafficPolicy/default/admin-login', 'ListenerPolicy/default/web-listeners']) {
    const ancestors = (app.runtime.statusOf(key) as { ancestors: { conditions: { type: string; status: string; message: string }[] }[] }).ancestors;
    const accepted = ancestors[0]?.conditions.find((c) => c.type === 'Accepted');
    assert.equal(accepted?.status, 'True', `${key}: ${accepted?.message}`);
  }
  const address = (app.runtime.statusOf('Gateway/default/web') as { addresses: { value: string }[] }).addresses[0]?.value;
  const get = (urlPath: string, headers: Record<string, string> = {}) => requestJson(`http://${address}:8080${urlPath}`, { timeoutMs: 2000, headers });
  await waitFor('the health check', async () => (await get('/healthz')).text === 'ok\n', 5000);
  assert.equal((await get('/admin/')).status, 401);
  const alice = { authorization: `Basic ${Buffer.from('alice:wonderland').toString('base64')}` };
  assert.equal((await get('/admin/', alice)).status, 200);
  const page = await get('/', { 'accept-encoding': 'gzip' });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-encoding'], 'gzip');
  const plain = await get('/');
  assert.match(String(plain.json?.headers['X-Request-Id']?.[0]), /^[0-9a-f-]{36}$/);
});

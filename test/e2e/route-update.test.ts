// Routes added, changed and removed whose backends already exist reach HAProxy by replacing map
// contents through the runtime API: traffic follows, no reload happens, and the live files hold
// the change for a restart. (The first header match on a port, a new backend or
// a new kind of file changes the configuration itself and is reloaded: route a has one from the start.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { startPortico } from '../../src/runtime/app.js';
import { Validator } from '../../src/validation/index.js';
import { requestJson, startEcho } from '../support/echo-server.js';
import { replaceFile, tempDir, waitFor } from '../support/fs-wait.js';

const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;

const G = 'gateway.networking.k8s.io/v1';
function manifests(echoPort: number, routes: string): string {
  return `apiVersion: ${G}
kind: GatewayClass
metadata: {name: portico}
spec: {controllerName: portico.dev/gateway-controller}
---
apiVersion: ${G}
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: portico
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: default}
spec: {ports: [{name: http, port: 80, targetPort: ${echoPort}}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: svc-1, namespace: default, labels: {kubernetes.io/service-name: svc}}
addressType: IPv4
ports: [{name: http, port: ${echoPort}}]
endpoints: [{addresses: [127.0.0.1]}]
${routes}`;
}

function route(name: string, host: string, rules: string): string {
  return `---
apiVersion: ${G}
kind: HTTPRoute
metadata: {name: ${name}, namespace: default}
spec:
  parentRefs: [{name: gw}]
  hostnames: [${host}]
  rules:
${rules}`;
}

const plain = (prefix: string) => `  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]\n    backendRefs: [{name: svc, port: 80}]\n`;
const withHeader = (prefix: string, value: string) => `  - matches: [{path: {type: PathPrefix, value: ${prefix}}, headers: [{name: x-team, value: ${value}}]}]\n    backendRefs: [{name: svc, port: 80}]\n`;

test('routes added, changed and removed over existing backends need no reload', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const dir = tempDir(t);
  const echo = await startEcho({ name: 'backend', namespace: 'default' });
  t.after(() => echo.close());
  const file = path.join(dir, 'objects.yaml');
  writeFileSync(file, manifests(echo.port, route('a', 'a.example.com', withHeader('/h', 'x') + plain('/'))));
  const dataPlane = new HaproxyDataPlane({ stateDir: path.join(dir, 'state'), logger: process.env.DEBUG_E2E ? createLogger({ level: 'debug' }) : silentLogger() });
  const app = await startPortico({ paths: [dir], admin: { host: '127.0.0.1', port: 0 }, addressPool: '127.0.79.0/24', validator: new Validator(), logger: silentLogger(), dataPlane, debounceMs: 20 });
  t.after(() => app.close());
  await app.ready;
  const address = (app.runtime.statusOf('Gateway/default/gw') as { addresses: { value: string }[] }).addresses[0]?.value;
  assert.ok(address);
  const status = async (host: string, urlPath: string, headers: Record<string, string> = {}) =>
    (await requestJson(`http://${address}:80${urlPath}`, { timeoutMs: 2000, headers: { host, ...headers } })).status;
  await waitFor('route a answering', async () => (await status('a.example.com', '/x')) === 200, 5000);
  const reloads = dataPlane.counters.reloads;

  // A new hostname, a new path and a header match: new map keys and a new group.
  replaceFile(file, manifests(echo.port, route('a', 'a.example.com', withHeader('/h', 'x') + plain('/')) + route('b', 'b.example.com', withHeader('/team', 'blue'))));
  await waitFor('route b answering', async () => (await status('b.example.com', '/team/x', { 'x-team': 'blue' })) === 200, 5000);
  assert.equal(await status('b.example.com', '/team/x', { 'x-team': 'red' }), 404);
  assert.equal(await status('b.example.com', '/other'), 404);

  // The header match changes: the group is replaced.
  replaceFile(file, manifests(echo.port, route('a', 'a.example.com', withHeader('/h', 'x') + plain('/')) + route('b', 'b.example.com', withHeader('/team', 'red'))));
  await waitFor('route b matching the new header value', async () => (await status('b.example.com', '/team/x', { 'x-team': 'red' })) === 200, 5000);
  assert.equal(await status('b.example.com', '/team/x', { 'x-team': 'blue' }), 404);

  // Route a goes: its hostname stops answering.
  replaceFile(file, manifests(echo.port, route('b', 'b.example.com', withHeader('/team', 'red'))));
  await waitFor('route a gone', async () => (await status('a.example.com', '/x')) === 404, 5000);
  // Traffic follows as soon as a map is committed, a moment before the counter moves.
  await waitFor('three route changes through the runtime API', async () => dataPlane.counters.runtimeMapUpdates === 3, 5000);
  assert.equal(dataPlane.counters.reloads, reloads, 'no reload for route changes over existing backends');

  // The live generation holds the maps as changed, so a HAProxy restarted after a crash serves
  // them (the restart path itself is tested with endpoint changes, test/e2e/endpoint-update.test.ts).
  const state = path.join(dir, 'state');
  const [instance] = readdirSync(state);
  assert.ok(instance);
  const generations = readdirSync(path.join(state, instance)).filter((n) => /^gen-\d+$/.test(n)).sort((x, y) => Number(y.slice(4)) - Number(x.slice(4)));
  const hosts = readFileSync(path.join(state, instance, generations[0] as string, 'p80.hosts.map'), 'utf8');
  assert.match(hosts, /^b\.example\.com /m);
  assert.doesNotMatch(hosts, /a\.example\.com/);
  // Stopped here rather than by the hooks, which may remove the directory first.
  await app.close();
});

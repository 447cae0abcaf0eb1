import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptEveryRule } from '../../../src/api/data-plane.js';
import type { IRGateway } from '../../../src/ir/model.js';
import { silentLogger } from '../../../src/log.js';
import { configVersion, RemoteDataPlanes, reportedState } from '../../../src/runtime/remote-data-planes.js';
import { channelNames } from '../../../src/runtime/channel-certificate.js';

test('channelNames: the controller URL host, as DNS name or IP, and loopback', () => {
  assert.equal(channelNames('https://portico.portico-system.svc:9443'), 'DNS:portico.portico-system.svc,IP:127.0.0.1');
  assert.equal(channelNames('https://10.0.0.7:9443'), 'IP:10.0.0.7,IP:127.0.0.1');
  assert.equal(channelNames('https://127.0.0.1:9443'), 'IP:127.0.0.1');
  assert.equal(channelNames('https://[fd00::1]:9443'), 'IP:fd00::1,IP:127.0.0.1');
});

const gateway = (name: string, port = 80): IRGateway => ({ name, className: 'portico', addresses: ['0.0.0.0'], ports: [{ port, mode: 'HTTP', listeners: [] }], backends: {} }) as IRGateway;

test('reportedState: programmed once a replica runs the version, Invalid when one refused it, Pending before', () => {
  assert.deepEqual(reportedState('v2', new Map()), { programmed: false, reason: 'Pending', message: 'waiting for the data plane to apply configuration v2' });
  assert.deepEqual(reportedState('v2', new Map([['a', { version: 'v1', ok: true }]])).programmed, false, 'an older version does not count');
  assert.deepEqual(reportedState('v2', new Map([['a', { version: 'v2', ok: false, message: 'bad' }]])), { programmed: false, reason: 'Invalid', message: 'the data plane refused the configuration: bad' });
  assert.deepEqual(reportedState('v2', new Map([['a', { version: 'v2', ok: false }], ['b', { version: 'v2', ok: true }]])), { programmed: true });
});

test('configVersion: the same content, the same version', () => {
  assert.equal(configVersion(gateway('a/b')), configVersion(gateway('a/b')));
  assert.notEqual(configVersion(gateway('a/b')), configVersion(gateway('a/b', 81)));
});

test('the channel: a token opens its Gateway only; news at once, else held; reports make it programmed', async (t) => {
  let changes = 0;
  const tokens: Record<string, string> = { 'apps/web': 'secret-web', 'apps/other': 'secret-other' };
  const planes = new RemoteDataPlanes({ logger: silentLogger(), checkRule: acceptEveryRule, tokenOf: (g) => tokens[g], listen: { host: '127.0.0.1', port: 0 }, holdMs: 300, onStateChange: () => changes++ });
  const url = await planes.start();
  t.after(() => planes.close());
  const states = await planes.apply({ gateways: [gateway('apps/web')] });
  assert.equal(states.get('apps/web')?.programmed, false);
  const call = (path: string, token: string, init: RequestInit = {}) => fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });

  assert.equal((await call('/v1/gateways/apps/web/config', 'secret-other')).status, 401, "another Gateway's token");
  assert.equal((await call('/v1/gateways/apps/web/config', '')).status, 401);
  assert.equal((await call('/v1/gateways/apps/unknown/config', 'x')).status, 503, 'no token known');
  assert.equal((await call('/v1/gateways/apps/other/config', 'secret-other')).status, 404, 'no configuration for it');

  const first = await call('/v1/gateways/apps/web/config', 'secret-web');
  assert.equal(first.status, 200);
  const message = (await first.json()) as { version: string; gateway: IRGateway };
  assert.equal(message.version, configVersion(gateway('apps/web')));
  assert.equal(message.gateway.name, 'apps/web');

  const held = Date.now();
  const nothing = await call(`/v1/gateways/apps/web/config?after=${message.version}`, 'secret-web');
  assert.equal(nothing.status, 204);
  assert.ok(Date.now() - held >= 250, 'held until the hold time passed');

  // A change wakes a held poll.
  const waiting = call(`/v1/gateways/apps/web/config?after=${message.version}`, 'secret-web');
  await new Promise((resolve) => setTimeout(resolve, 50));
  await planes.apply({ gateways: [gateway('apps/web', 8080)] });
  const woken = await waiting;
  assert.equal(woken.status, 200);
  const next = (await woken.json()) as { version: string };
  assert.notEqual(next.version, message.version);

  const report = await call('/v1/gateways/apps/web/report', 'secret-web', { method: 'POST', body: JSON.stringify({ replica: 'pod-a', version: next.version, ok: true }) });
  assert.equal(report.status, 204);
  assert.equal(changes, 1);
  assert.deepEqual(planes.states().get('apps/web'), { programmed: true });
  // A poll says what the replica runs too: a controller that restarted learns it from there.
  await call(`/v1/gateways/apps/web/config?after=${next.version}&replica=pod-b&ok=false`, 'secret-web');
  assert.deepEqual(planes.replicas('apps/web').map((r) => [r.replica, r.ok]), [['pod-a', true], ['pod-b', false]]);
  assert.equal((await call('/v1/gateways/apps/web/report', 'secret-web', { method: 'POST', body: '{"replica":1}' })).status, 400);
});

test('the channel, shared mode: one configuration per class under its own path and token; its report programs every member', async (t) => {
  const tokens: Record<string, string> = { 'GatewayClass/portico': 'secret-class', 'apps/web': 'secret-web' };
  const planes = new RemoteDataPlanes({ logger: silentLogger(), checkRule: acceptEveryRule, tokenOf: (g) => tokens[g], listen: { host: '127.0.0.1', port: 0 }, holdMs: 300, mode: 'shared' });
  const url = await planes.start();
  t.after(() => planes.close());
  const states = await planes.apply({ gateways: [gateway('apps/web'), gateway('apps/api')] });
  assert.deepEqual([...states.keys()].sort(), ['apps/api', 'apps/web']);
  const call = (path: string, token: string, init: RequestInit = {}) => fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  assert.equal((await call('/v1/gateways/apps/web/config', 'secret-web')).status, 404, 'no Gateway has a configuration of its own');
  assert.equal((await call('/v1/gatewayclasses/portico/config', 'secret-web')).status, 401, "a Gateway's token does not open the class");
  const first = await call('/v1/gatewayclasses/portico/config', 'secret-class');
  assert.equal(first.status, 200);
  const message = (await first.json()) as { version: string; gateway: IRGateway };
  assert.equal(message.gateway.name, 'GatewayClass/portico');
  assert.equal(message.gateway.ports.length, 2, "both Gateways' port 80, moved apart");
  assert.notEqual(message.gateway.ports[0]?.port, message.gateway.ports[1]?.port);
  assert.equal((await call('/v1/gatewayclasses/portico/report', 'secret-class', { method: 'POST', body: JSON.stringify({ replica: 'pod-a', version: message.version, ok: true }) })).status, 204);
  assert.deepEqual(planes.states().get('apps/web'), { programmed: true });
  assert.deepEqual(planes.states().get('apps/api'), { programmed: true });
  assert.deepEqual(planes.replicas('GatewayClass/portico').map((r) => r.replica), ['pod-a']);
});

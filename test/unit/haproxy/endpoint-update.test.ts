import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointCommands, structureOf } from '../../../src/haproxy/endpoint-update.js';
import { endpointSlice, gateway, gatewayClass, httpRoute, service } from '../core/builders.js';
import { renderObjects } from './support.js';
import type { KubeObject } from '../../../src/api/object.js';

const world = (addresses: string[], filters: object[] = []): KubeObject[] => [
  gatewayClass(),
  gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
  service('echo'),
  endpointSlice('echo', addresses),
  httpRoute('r', { parentRefs: [{ name: 'gw' }], hostnames: ['a.example.com'], rules: [{ filters, backendRefs: [{ name: 'echo', port: 80 }] }] }),
];
const config = (objects: KubeObject[]) => (renderObjects(objects)[0] as { config: string }).config;

test('servers get spare disabled slots, so endpoints can be added without a reload', () => {
  const c = config(world(['127.0.0.1', '127.0.0.2', '127.0.0.3']));
  assert.match(c, /server s0_2 127\.0\.0\.3:8080 weight 256\n\s+server s0_3 127\.0\.0\.1:9 weight 256 disabled/);
});

test('endpoint changes within the slots become runtime API commands', () => {
  const before = config(world(['127.0.0.1', '127.0.0.2']));
  const moved = config(world(['127.0.0.1', '127.0.0.9']));
  assert.equal(structureOf(before), structureOf(moved));
  assert.deepEqual(endpointCommands(before, moved), ['set server p80_r1/s0_1 addr 127.0.0.9 port 8080']);
  const shrunk = config(world(['127.0.0.1']));
  assert.deepEqual(endpointCommands(before, shrunk), ['set server p80_r1/s0_1 state maint']);
  assert.deepEqual(endpointCommands(shrunk, before), ['set server p80_r1/s0_1 addr 127.0.0.2 port 8080', 'set server p80_r1/s0_1 state ready']);
  assert.deepEqual(endpointCommands(before, before), []);
});

// Map files (hosts, paths) are compared by the data plane itself; these are config-level changes.
test('anything beyond endpoints needs a reload: more endpoints than slots, or other changes', () => {
  const before = config(world(['127.0.0.1', '127.0.0.2']));
  assert.equal(endpointCommands(before, config(world(['127.0.0.1', '127.0.0.2', '127.0.0.3']))), undefined);
  const filtered = world(['127.0.0.1', '127.0.0.2'], [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x', value: '1' }] } }]);
  assert.equal(endpointCommands(before, config(filtered)), undefined);
});

test('state directory names stay short and distinct for long Gateway names', async () => {
  const { stateDirName } = await import('../../../src/haproxy/dataplane.js');
  const long = `${'n'.repeat(63)}/${'g'.repeat(253)}`;
  assert.ok(stateDirName(long).length <= 31);
  assert.notEqual(stateDirName(`${long}a`), stateDirName(`${long}b`));
  assert.match(stateDirName('default/web'), /^default_web-[0-9a-f]{10}$/);
});

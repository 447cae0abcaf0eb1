import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeConfig } from '../../../src/haproxy/config-model.js';
import { endpointCommands, withEndpoints } from '../../../src/haproxy/endpoint-update.js';
import { renderGateway } from '../../../src/haproxy/render.js';
import { run } from '../core/builders.js';
import { endpointSlice, gateway, gatewayClass, httpRoute, service } from '../core/builders.js';
import { renderObjects } from './support.js';
import type { RenderedConfig } from '../../../src/haproxy/render.js';
import type { KubeObject } from '../../../src/api/object.js';

const world = (addresses: string[], filters: object[] = []): KubeObject[] => [
  gatewayClass(),
  gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
  service('echo'),
  endpointSlice('echo', addresses),
  httpRoute('r', { parentRefs: [{ name: 'gw' }], hostnames: ['a.example.com'], rules: [{ filters, backendRefs: [{ name: 'echo', port: 80 }] }] }),
];
const rendered = (objects: KubeObject[]) => renderObjects(objects)[0] as RenderedConfig;
const config = (objects: KubeObject[]) => rendered(objects).config;
const model = (objects: KubeObject[]) => rendered(objects).model;

test('servers get spare disabled slots, so endpoints can be added without a reload', () => {
  const c = config(world(['127.0.0.1', '127.0.0.2', '127.0.0.3']));
  assert.match(c, /server s0_2 127\.0\.0\.3:8080 weight 256\n\s+server s0_3 127\.0\.0\.1:9 weight 256 disabled/);
});

test('endpoint changes within the slots become runtime API commands', () => {
  const before = model(world(['127.0.0.1', '127.0.0.2']));
  const moved = model(world(['127.0.0.1', '127.0.0.9']));
  assert.deepEqual(endpointCommands(before, moved), ['set server p80_r1/s0_1 addr 127.0.0.9 port 8080']);
  const shrunk = model(world(['127.0.0.1']));
  assert.deepEqual(endpointCommands(before, shrunk), ['set server p80_r1/s0_1 state maint']);
  assert.deepEqual(endpointCommands(shrunk, before), ['set server p80_r1/s0_1 addr 127.0.0.2 port 8080', 'set server p80_r1/s0_1 state ready']);
  assert.deepEqual(endpointCommands(before, before), []);
});

test('a rule whose request timeout bounds its retries keeps its servers in the attempts backend, changed at runtime', () => {
  const retrying = (addresses: string[]): KubeObject[] => {
    const objects = world(addresses);
    objects[4] = httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      hostnames: ['a.example.com'],
      rules: [{ retry: { attempts: 2 }, timeouts: { request: '1s', backendRequest: '300ms' }, backendRefs: [{ name: 'echo', port: 80 }] }],
    });
    return objects;
  };
  const before = model(retrying(['127.0.0.1', '127.0.0.2']));
  const outer = before.sections.find((s) => s.comment?.startsWith('HTTPRoute default/r'));
  assert.ok(outer && !outer.pool, 'the rule backend only forwards to the attempts hop');
  assert.ok(outer.directives.includes('timeout server 1000ms'));
  const attempts = before.sections.find((s) => s.comment === `the attempts of ${outer.name}`);
  assert.ok(attempts?.pool && attempts.directives.includes('timeout server 300ms'));
  const commands = endpointCommands(before, model(retrying(['127.0.0.1', '127.0.0.9'])));
  assert.deepEqual(commands, [`set server ${attempts.name}/s0_1 addr 127.0.0.9 port 8080`]);
});

// Map files (hosts, paths) are compared by the data plane itself; these are config-level changes.
test('anything beyond endpoints needs a reload: more endpoints than slots, or other changes', () => {
  const before = model(world(['127.0.0.1', '127.0.0.2']));
  assert.equal(endpointCommands(before, model(world(['127.0.0.1', '127.0.0.2', '127.0.0.3']))), undefined);
  const filtered = world(['127.0.0.1', '127.0.0.2'], [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x', value: '1' }] } }]);
  assert.equal(endpointCommands(before, model(filtered)), undefined);
});

test('withEndpoints: the running model refilled from new endpoints is what a full rendering gives', () => {
  const render = (objects: KubeObject[]) => {
    const gw = run(objects).ir.gateways[0];
    assert.ok(gw);
    return { gw, r: renderGateway(gw, { dir: '/tmp/portico-render', globalLines: [] }) };
  };
  const split = (addresses: string[]): KubeObject[] => [
    ...world(addresses),
    service('other'),
    endpointSlice('other', ['127.0.0.50']),
    httpRoute('s', { parentRefs: [{ name: 'gw' }], hostnames: ['s.example.com'], rules: [{ backendRefs: [{ name: 'echo', port: 80, weight: 3 }, { name: 'other', port: 80, weight: 1 }] }] }),
  ];
  const before = render(split(['127.0.0.1', '127.0.0.2']));
  for (const addresses of [['127.0.0.9'], ['127.0.0.1', '127.0.0.7'], []]) {
    const after = render(split(addresses));
    const refilled = withEndpoints(before.r.model, after.gw.backends, new Set(['default/echo:80']));
    assert.ok(refilled, addresses.join());
    assert.equal(serializeConfig(refilled), after.r.config, addresses.join());
    assert.deepEqual(endpointCommands(before.r.model, refilled), endpointCommands(before.r.model, after.r.model));
    // Sections without the changed backend are the same objects: nothing else was rebuilt.
    assert.ok(refilled.sections.filter((s, i) => s === before.r.model.sections[i]).length >= refilled.sections.length - 2);
  }
  const grown = render(split(['127.0.0.1', '127.0.0.2', '127.0.0.3']));
  assert.equal(withEndpoints(before.r.model, grown.gw.backends, new Set(['default/echo:80'])), undefined, 'more endpoints than slots');
});

test('state directory names stay short and distinct for long Gateway names', async () => {
  const { stateDirName } = await import('../../../src/haproxy/dataplane.js');
  const long = `${'n'.repeat(63)}/${'g'.repeat(253)}`;
  assert.ok(stateDirName(long).length <= 31);
  assert.notEqual(stateDirName(`${long}a`), stateDirName(`${long}b`));
  assert.match(stateDirName('default/web'), /^default_web-[0-9a-f]{10}$/);
});

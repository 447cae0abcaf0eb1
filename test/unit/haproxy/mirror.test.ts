import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSlice, gateway, gatewayClass, httpRoute, parentStatus, run, service } from '../core/builders.js';
import { endpointCommands } from '../../../src/haproxy/endpoint-update.js';
import { mirrorAddress } from '../../../src/haproxy/mirror.js';
import { renderGateway, type RenderedConfig } from '../../../src/haproxy/render.js';
import { haproxyCheck, haproxyInstalled } from './support.js';
import type { KubeObject } from '../../../src/api/object.js';

const DIR = '/tmp/portico-render';

const mirrorFilter = (name: string, extra: object = {}) => ({ type: 'RequestMirror', requestMirror: { backendRef: { name, port: 80 }, ...extra } });

function objects(filters: object[], mirrorAddresses = ['127.0.0.3']): KubeObject[] {
  return [
    gatewayClass(),
    gateway('gw', [{ name: 'http', port: 8080, protocol: 'HTTP' }]),
    service('echo'),
    endpointSlice('echo', ['127.0.0.1']),
    service('shadow'),
    endpointSlice('shadow', mirrorAddresses),
    service('other'),
    endpointSlice('other', ['127.0.0.4']),
    httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ filters, backendRefs: [{ name: 'echo', port: 80 }] }] }),
  ];
}

function render(list: KubeObject[], dir = DIR): RenderedConfig {
  const gw = run(list).ir.gateways[0];
  assert.ok(gw);
  return renderGateway(gw, { dir, globalLines: [] });
}

/** The lines of one section, from its header to the next blank line. */
function section(config: string, header: string): string[] {
  const lines = config.split('\n');
  const start = lines.indexOf(header);
  assert.ok(start >= 0, `no ${header} in\n${config}`);
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

test('a rule with RequestMirror is accepted, not refused as unsupported', () => {
  const t = run(objects([mirrorFilter('shadow')]));
  const conditions = parentStatus(t, 'HTTPRoute/default/r').conditions as { type: string; status: string; reason: string }[];
  const accepted = conditions.find((c) => c.type === 'Accepted');
  assert.equal(accepted?.status, 'True', JSON.stringify(conditions));
  assert.equal(conditions.find((c) => c.type === 'ResolvedRefs')?.status, 'True');
});

test('a mirrored rule copies every request through the Lua action to its mirror backend', () => {
  const r = render(objects([mirrorFilter('shadow')]));
  const address = mirrorAddress(DIR);
  assert.match(r.config, /^global\n(?: {2}.*\n)* {2}lua-load \/tmp\/portico-render\/mirror\.lua$/m);
  assert.ok(r.files['mirror.lua']?.includes('core.register_action("portico_mirror"'));
  const rule = r.config.split('\n').filter((l) => /wait-for-body|portico_mirror/.test(l) && !l.includes('use_backend'));
  assert.deepEqual(rule, ['  http-request wait-for-body time 10s', `  http-request lua.portico_mirror mirror_default_shadow_80 ${address}`]);
  assert.deepEqual(section(r.config, 'backend mirror_default_shadow_80'), [
    'backend mirror_default_shadow_80',
    '  # RequestMirror target default/shadow:80',
    '  timeout server 10s',
    '  balance roundrobin',
    '  server s0_0 127.0.0.3:8080 weight 256',
    '  server s0_1 127.0.0.1:9 weight 256 disabled',
  ]);
  const frontend = section(r.config, 'frontend mirror');
  assert.ok(frontend.includes(`  bind ${address}`));
  assert.ok(frontend.includes("  use_backend mirror_default_shadow_80 if { var(txn.mirror),field(1,' ') -m str mirror_default_shadow_80 }"));
});

test('a configuration without mirrors loads no Lua and has no mirror frontend', () => {
  const r = render(objects([]));
  assert.doesNotMatch(r.config, /lua-load|frontend mirror|portico_mirror/);
  assert.equal(r.files['mirror.lua'], undefined);
});

test('percent and fraction draw with six digits, each mirror of a rule on its own', () => {
  const r = render(objects([mirrorFilter('shadow', { fraction: { numerator: 1, denominator: 3 } }), mirrorFilter('other', { percent: 20 })]));
  const draws = r.config.split('\n').filter((l) => l.includes('rand('));
  assert.deepEqual(draws, [
    '  http-request set-var(txn.mirror_pick) bool(true) if { rand(1000000) -m int lt 333333 }',
    '  http-request set-var(txn.mirror_pick) bool(true) if { rand(1000000) -m int lt 200000 }',
  ]);
  // Each mirror resets the pick before its own draw.
  assert.equal(r.config.match(/unset-var\(txn\.mirror_pick\)/g)?.length, 2);
  assert.match(r.config, /lua\.portico_mirror mirror_default_shadow_80 \S+ if \{ var\(txn\.mirror_pick\) -m found \}/);
  assert.match(r.config, /lua\.portico_mirror mirror_default_other_80 \S+ if \{ var\(txn\.mirror_pick\) -m found \}/);
  assert.match(r.config, /^backend mirror_default_other_80$/m);
});

test('percent 0 mirrors nothing', () => {
  const r = render(objects([mirrorFilter('shadow', { percent: 0 })]));
  assert.doesNotMatch(r.config, /portico_mirror|lua-load/);
});

test('the same mirror target used twice gets one backend', () => {
  const r = render(objects([mirrorFilter('shadow'), mirrorFilter('shadow', { percent: 50 })]));
  assert.equal(r.config.match(/^backend mirror_/gm)?.length, 1);
  assert.equal(r.config.match(/lua\.portico_mirror mirror_default_shadow_80 /g)?.length, 2);
});

test('the internal frontend address differs per configuration directory and stays put across renders', () => {
  assert.equal(mirrorAddress('/state/a/current'), mirrorAddress('/state/a/current'));
  assert.notEqual(mirrorAddress('/state/a/current'), mirrorAddress('/state/b/current'));
  assert.equal(mirrorAddress('/state/a/current'), 'unix@/state/a/mirror.sock');
});

test("a mirror's endpoints change through the runtime API, without a reload", () => {
  const before = render(objects([mirrorFilter('shadow')], ['127.0.0.3']));
  const after = render(objects([mirrorFilter('shadow')], ['127.0.0.5', '127.0.0.6']));
  assert.deepEqual(endpointCommands(before.model, after.model), [
    'set server mirror_default_shadow_80/s0_0 addr 127.0.0.5 port 8080',
    'set server mirror_default_shadow_80/s0_1 addr 127.0.0.6 port 8080',
    'set server mirror_default_shadow_80/s0_1 state ready',
  ]);
});

test('haproxy -c accepts a configuration with mirrors, Lua included', { skip: !haproxyInstalled && 'haproxy is not installed' }, () => {
  const list = objects([
    { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-set', value: "a'b %[src] \"c\"" }] } },
    mirrorFilter('shadow', { percent: 35 }),
    mirrorFilter('other'),
  ]);
  const check = haproxyCheck((dir) => render(list, dir));
  assert.ok(check.ok, `${check.output}\n${check.config}`);
});

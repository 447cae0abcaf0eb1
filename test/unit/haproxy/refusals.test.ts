import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findRefusedRoutes } from '../../../src/haproxy/refusals.js';
import { routeContent, routeKeys, withoutRoutes } from '../../../src/ir/route-selection.js';
import { gateway, gatewayClass, httpRoute, run } from '../core/builders.js';

test('findRefusedRoutes: finds every refused route in about log2(n) checks each', async () => {
  const routes = Array.from({ length: 100 }, (_, i) => `r${i}`);
  const bad = new Set(['r17', 'r80']);
  let checks = 0;
  const accepts = async (excluded: ReadonlySet<string>) => {
    checks++;
    return [...bad].every((b) => excluded.has(b));
  };
  assert.deepEqual((await findRefusedRoutes(routes, accepts))?.sort(), ['r17', 'r80']);
  assert.ok(checks <= 2 + 2 * 8, `${checks} checks`);
});

test('findRefusedRoutes: undefined when no set of routes explains it, or past its limits', async () => {
  const routes = ['a', 'b', 'c'];
  assert.equal(await findRefusedRoutes(routes, async () => false), undefined, 'refused even without routes');
  assert.deepEqual(await findRefusedRoutes(routes, async () => true), [], 'nothing refused');
  assert.equal(await findRefusedRoutes(routes, async (excluded) => excluded.size === 3, { maxRefused: 2, maxChecks: 64 }), undefined);
});

test('routeKeys, routeContent, withoutRoutes: a Gateway by route', () => {
  const route = (name: string, path: string) => httpRoute(name, { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }] }] });
  const gw = run([gatewayClass(), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]), route('a', '/a'), route('b', '/b')]).ir.gateways[0];
  assert.ok(gw);
  assert.deepEqual(routeKeys(gw).sort(), ['HTTPRoute/default/a', 'HTTPRoute/default/b']);
  const without = withoutRoutes(gw, new Set(['HTTPRoute/default/a']));
  assert.deepEqual(routeKeys(without), ['HTTPRoute/default/b']);
  assert.equal(routeContent(without, 'HTTPRoute/default/b'), routeContent(gw, 'HTTPRoute/default/b'));
  assert.notEqual(routeContent(gw, 'HTTPRoute/default/a'), routeContent(gw, 'HTTPRoute/default/b'));
  assert.equal(withoutRoutes(gw, new Set()), gw);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/object.js';
import { condOf, endpointSlice, gateway, gatewayClass, httpRoute, run, service, statusOf } from './builders.js';

const toRoute = (name: string, namespace?: string) => ({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name, ...(namespace ? { namespace } : {}) });
const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });
const child = (name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject => {
  const r = httpRoute(name, spec);
  return { ...r, metadata: { ...r.metadata, ...meta } } as KubeObject;
};
const world = (...extra: KubeObject[]): KubeObject[] => [gatewayClass(), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]), service('app'), endpointSlice('app', ['127.0.0.1']), ...extra];
const parent = (rules: unknown[]) => httpRoute('parent', { parentRefs: [{ name: 'gw' }], rules });
const served = (t: ReturnType<typeof run>) =>
  (t.ir.gateways[0]?.ports[0]?.listeners[0]?.virtualHosts[0]?.rules ?? []).map((r) => `${r.route.name}#${r.ruleIndex} ${r.match.path.type} ${r.match.path.value}${r.timeouts?.request ? ` ${r.timeouts.request}` : ''}${r.noBackends || r.backends.length === 0 ? ' 500' : ''}`);
const resolvedRefs = (t: ReturnType<typeof run>) => condOf((statusOf(t, 'HTTPRoute/default/parent').parents as { conditions: unknown }[])[0]?.conditions, 'ResolvedRefs');

test('a delegating rule is served by its children, by name, by "*" and by label; children inherit timeouts they do not set', () => {
  const t = run(
    world(
      parent([
        { matches: [prefix('/a')], timeouts: { request: '5s' }, backendRefs: [toRoute('a')] },
        { matches: [prefix('/b')], backendRefs: [{ group: 'delegation.kgateway.dev', kind: 'label', name: 'bees' }] },
      ]),
      child('a', { rules: [{ matches: [prefix('/a/1')], backendRefs: [{ name: 'app', port: 80 }] }, { matches: [prefix('/a/2')], timeouts: { request: '1s' }, backendRefs: [{ name: 'app', port: 80 }] }] }),
      child('b', { rules: [{ matches: [prefix('/b/x')], backendRefs: [{ name: 'app', port: 80 }] }] }, { labels: { 'delegation.kgateway.dev/label': 'bees' } }),
    ),
  );
  assert.deepEqual(served(t).sort(), ['a#0 PathPrefix /a/1 5s', 'a#1 PathPrefix /a/2 1s', 'b#0 PathPrefix /b/x']);
  assert.equal(resolvedRefs(t).status, 'True');
});

test('inherit-parent-matcher joins paths and adds the parent headers; multi-level delegation goes through', () => {
  const t = run(
    world(
      parent([{ matches: [{ ...prefix('/api'), headers: [{ name: 'x-v', value: '2' }] }], backendRefs: [toRoute('mid')] }]),
      child('mid', { rules: [{ matches: [prefix('/v')], backendRefs: [toRoute('leaf')] }] }, { annotations: { 'delegation.kgateway.dev/inherit-parent-matcher': 'true' } }),
      // Without inheritance a grandchild must stay within what its parent serves: the path and the header.
      child('leaf', { rules: [{ matches: [{ ...prefix('/api/v/items'), headers: [{ name: 'x-v', value: '2' }] }, prefix('/api/v/other')], backendRefs: [{ name: 'app', port: 80 }] }] }),
    ),
  );
  const rules = t.ir.gateways[0]?.ports[0]?.listeners[0]?.virtualHosts[0]?.rules ?? [];
  assert.deepEqual(
    rules.map((r) => [r.route.name, r.match.path.value, r.match.headers.map((h) => `${h.name}=${h.value}`)]),
    [['leaf', '/api/v/items', ['x-v=2']]],
  );
});

test('cycles, missing children, refused children and mixed refs are reported; a rule left with no child answers 500', () => {
  const t = run(
    world(
      parent([
        { matches: [prefix('/loop')], backendRefs: [toRoute('loop')] },
        { matches: [prefix('/none')], backendRefs: [toRoute('missing')] },
        { matches: [prefix('/far')], backendRefs: [toRoute('far', 'other')] },
        { matches: [prefix('/mixed')], backendRefs: [toRoute('loop'), { name: 'app', port: 80 }] },
      ]),
      child('loop', { rules: [{ matches: [prefix('/loop/x')], backendRefs: [toRoute('parent')] }] }),
      { ...child('far', { rules: [{ matches: [prefix('/far/x')], backendRefs: [{ name: 'app', port: 80 }] }] }), metadata: { name: 'far', namespace: 'other' } } as KubeObject,
    ),
  );
  const c = resolvedRefs(t);
  assert.deepEqual([c.status, c.reason], ['False', 'BackendNotFound']);
  assert.match(String(c.message), /delegation cycle \(default\/parent → default\/loop → default\/parent\)/);
  assert.match(String(c.message), /HTTPRoute default\/missing: none found/);
  assert.match(String(c.message), /other\/far does not take delegation .* neither names HTTPRoute default\/parent in its parentRefs nor allows it with a ReferenceGrant/);
  assert.deepEqual(served(t).filter((s) => s.startsWith('parent')).sort(), ['parent#0 PathPrefix /loop 500', 'parent#1 PathPrefix /none 500', 'parent#2 PathPrefix /far 500']);
  const partial = condOf((statusOf(t, 'HTTPRoute/default/parent').parents as { conditions: unknown }[])[0]?.conditions, 'PartiallyInvalid');
  assert.match(String(partial.message), /Dropped Rule 3: a rule that delegates to HTTPRoutes names no other backend/);
});

test("a child in another namespace that names its parent in parentRefs takes the delegation; one naming another parent does not", () => {
  const far = (parentRefs: unknown[]) => ({ ...child('far', { parentRefs, rules: [{ matches: [prefix('/far/x')], backendRefs: [{ name: 'app', port: 80 }] }] }), metadata: { name: 'far', namespace: 'other' } }) as KubeObject;
  const ok = run(world(parent([{ matches: [prefix('/far')], backendRefs: [toRoute('far', 'other')] }]), service('app', undefined, 'other'), far([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'parent', namespace: 'default' }])));
  assert.equal(resolvedRefs(ok).status, 'True', String(resolvedRefs(ok).message));
  const no = run(world(parent([{ matches: [prefix('/far')], backendRefs: [toRoute('far', 'other')] }]), far([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'someone-else', namespace: 'default' }])));
  assert.match(String(resolvedRefs(no).message), /its parentRefs do not name HTTPRoute default\/parent/);
});

test("children get a status entry per parent route, and their own TrafficPolicies apply over the parent's", () => {
  const tp = (name: string, target: string, value: string, created: string): KubeObject =>
    ({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'TrafficPolicy', metadata: { name, namespace: 'default', creationTimestamp: created }, spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: target }], headerModifiers: { request: { set: [{ name: 'x-who', value }] } }, ...(name === 'outer' ? { rateLimit: { local: { tokenBucket: { maxTokens: 9, fillInterval: '1s' } } } } : {}) } }) as KubeObject;
  const t = run(
    world(
      parent([{ matches: [prefix('/a')], backendRefs: [toRoute('a'), toRoute('hosts')] }]),
      child('a', { rules: [{ matches: [prefix('/a/1')], backendRefs: [{ name: 'app', port: 80 }] }] }),
      child('hosts', { hostnames: ['x.example'], rules: [{ matches: [prefix('/a/2')], backendRefs: [{ name: 'app', port: 80 }] }] }),
      tp('outer', 'parent', 'parent', '2026-01-01T00:00:00Z'),
      tp('inner', 'a', 'child', '2026-01-02T00:00:00Z'),
    ),
  );
  const entry = (name: string) => (statusOf(t, `HTTPRoute/default/${name}`).parents as { parentRef: { kind: string; name: string }; conditions: unknown }[])[0];
  assert.deepEqual([entry('a')?.parentRef.kind, entry('a')?.parentRef.name], ['HTTPRoute', 'parent']);
  assert.deepEqual(((c) => [c.status, c.reason])(condOf(entry('a')?.conditions, 'Accepted')), ['True', 'Accepted']);
  assert.deepEqual(((c) => [c.status, c.reason])(condOf(entry('hosts')?.conditions, 'Accepted')), ['False', 'UnsupportedValue']);
  const rule = t.ir.gateways[0]?.ports[0]?.listeners[0]?.virtualHosts[0]?.rules.find((r) => r.route.name === 'a');
  assert.equal(rule?.policy?.headerModifiers?.request?.set?.[0]?.value, 'child', "the child's field wins");
  assert.equal(rule?.policy?.rateLimit?.limit, 9, "the parent's other fields still apply");
});

test("the parent rule's filters apply to its children: header changes add up, a child's URLRewrite replaces the parent's", () => {
  const header = (name: string, value: string) => ({ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name, value }] } });
  const rewrite = (value: string) => ({ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: value } } });
  const t = run(
    world(
      parent([{ matches: [prefix('/a')], filters: [header('x-parent', '1'), rewrite('/from-parent')], backendRefs: [toRoute('a')] }]),
      child('a', { rules: [{ matches: [prefix('/a/1')], filters: [header('x-child', '2'), rewrite('/from-child')], backendRefs: [{ name: 'app', port: 80 }] }, { matches: [prefix('/a/2')], backendRefs: [{ name: 'app', port: 80 }] }] }),
    ),
  );
  const rules = t.ir.gateways[0]?.ports[0]?.listeners[0]?.virtualHosts[0]?.rules ?? [];
  const describe = (path: string) =>
    rules
      .find((r) => r.match.path.value === path)
      ?.filters.map((f) => (f.type === 'RequestHeaderModifier' ? `header ${f.modifier.set?.[0]?.name}` : f.type === 'URLRewrite' ? `rewrite ${f.path?.replaceFullPath}` : f.type));
  assert.deepEqual(describe('/a/1'), ['header x-parent', 'header x-child', 'rewrite /from-child']);
  assert.deepEqual(describe('/a/2'), ['header x-parent', 'rewrite /from-parent']);
});

// In-process tests of the runtime loop (src/runtime/runtime.ts): snapshot → translate → data plane.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import type { KubeObject } from '../../src/api/object.js';
import { silentLogger } from '../../src/log.js';
import type { IR, IRGateway } from '../../src/ir/model.js';
import { Metrics } from '../../src/metrics.js';
import { acceptEveryRule, type DataPlaneState } from '../../src/api/data-plane.js';
import type { TranslateOptions, Translation } from '../../src/pipeline/translate.js';
import { NullDataPlane, type DataPlane } from '../../src/runtime/dataplane.js';
import { localAddresses } from '../../src/runtime/local-addresses.js';
import { countByKind, rfc3339, Runtime } from '../../src/runtime/runtime.js';
import { ResourceSet } from '../../src/store/resources.js';

const gw = (name: string): KubeObject => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace: 'default' } });

const irGateway = (name: string): IRGateway => ({ name: `default/${name}`, className: 'portico', addresses: [], ports: [], backends: {} });
const gatewayNames = (ir: unknown): string[] => (ir as IR).gateways.map((g) => g.name.replace('default/', ''));

/** A translate stand-in: owns every Gateway; Programmed follows options.dataPlane. */
function fakeTranslate(calls: TranslateOptions[]) {
  return (resources: ResourceSet, options: TranslateOptions): Translation => {
    calls.push(options);
    const status = new Map<string, unknown>();
    for (const g of resources.list('Gateway')) {
      const key = `default/${g.metadata.name}`;
      const state = options.dataPlane?.get(key);
      status.set(`Gateway/default/${g.metadata.name}`, { programmed: state ? state.programmed : true });
    }
    const ir: IR = { gateways: resources.list('Gateway').map((g) => irGateway(g.metadata.name)) };
    // The runtime reads status, addresses and ir only; a graph is not needed for these tests.
    return { status, addresses: new Map([['default/web', '127.0.10.1']]), ir } as Omit<Translation, 'graph'> as Translation;
  };
}

class ScriptedDataPlane implements DataPlane {
  applied: unknown[] = [];
  readonly checkRule = acceptEveryRule;
  constructor(private readonly answer: () => Map<string, DataPlaneState>) {}
  async apply(ir: unknown): Promise<Map<string, DataPlaneState>> {
    this.applied.push(ir);
    return this.answer();
  }
  async close(): Promise<void> {}
}

test('Runtime: not ready before the first translation; ready and serving status after', async () => {
  const calls: TranslateOptions[] = [];
  const dataPlane = new NullDataPlane();
  const runtime = new Runtime({ addressPool: '127.0.10.0/24', dataPlane, logger: silentLogger(), translate: fakeTranslate(calls), now: () => new Date('2025-01-02T03:04:05.678Z') });
  assert.equal(runtime.isReady(), false);
  assert.equal(runtime.resources().size, 0);
  await runtime.update(new ResourceSet([gw('web')]));
  assert.equal(runtime.isReady(), true);
  assert.deepEqual(runtime.statusOf('Gateway/default/web'), { programmed: true });
  assert.equal(runtime.resources().size, 1);
  assert.deepEqual(gatewayNames(dataPlane.lastIr), ['web']);
  assert.equal(calls[0]?.addressPool, '127.0.10.0/24');
  assert.equal(calls[0]?.now, '2025-01-02T03:04:05Z');
});

test('Runtime: previous addresses and status are handed to the next translation', async () => {
  const calls: TranslateOptions[] = [];
  const runtime = new Runtime({ addressPool: 'p', dataPlane: new NullDataPlane(), logger: silentLogger(), translate: fakeTranslate(calls) });
  await runtime.update(new ResourceSet([gw('web')]));
  await runtime.update(new ResourceSet([gw('web'), gw('two')]));
  assert.equal(calls.length, 2);
  assert.equal(calls[0]?.previousAddresses, undefined);
  assert.deepEqual([...(calls[1]?.previousAddresses ?? [])], [['default/web', '127.0.10.1']]);
  assert.ok(calls[1]?.previousStatus?.has('Gateway/default/web'));
});

test('Runtime: translates again when the data plane reports a different state, so Programmed is true to it', async () => {
  const calls: TranslateOptions[] = [];
  let programmed = false;
  const dataPlane = new ScriptedDataPlane(() =>
    programmed ? new Map() : new Map([['default/web', { programmed: false, reason: 'Invalid', message: 'bad config' } as const]]),
  );
  const runtime = new Runtime({ addressPool: 'p', dataPlane, logger: silentLogger(), translate: fakeTranslate(calls) });
  await runtime.update(new ResourceSet([gw('web')]));
  assert.equal(calls.length, 2, 'once before apply, once with the reported state');
  assert.equal(dataPlane.applied.length, 1);
  assert.deepEqual(runtime.statusOf('Gateway/default/web'), { programmed: false });

  // Same answer next time: the reported state is already known, one translation is enough.
  await runtime.update(new ResourceSet([gw('web'), gw('b')]));
  assert.equal(calls.length, 3);

  programmed = true;
  await runtime.update(new ResourceSet([gw('web')]));
  assert.equal(calls.length, 5);
  assert.deepEqual(runtime.statusOf('Gateway/default/web'), { programmed: true });
});

test('Runtime: snapshots arriving during an apply are coalesced to the newest', async () => {
  const calls: TranslateOptions[] = [];
  let release: () => void = () => {};
  const applied: unknown[] = [];
  const dataPlane: DataPlane = {
    checkRule: acceptEveryRule,
    apply: async (ir) => {
      applied.push(ir);
      if (applied.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return new Map();
    },
    close: async () => {},
  };
  const runtime = new Runtime({ addressPool: 'p', dataPlane, logger: silentLogger(), translate: fakeTranslate(calls) });
  const first = runtime.update(new ResourceSet([gw('a')]));
  await new Promise((resolve) => setImmediate(resolve));
  const second = runtime.update(new ResourceSet([gw('b')]));
  const third = runtime.update(new ResourceSet([gw('c')]));
  release();
  await Promise.all([first, second, third]);
  assert.deepEqual(applied.map(gatewayNames), [['a'], ['c']]);
  assert.equal(runtime.resources().get('Gateway', 'default', 'c')?.metadata.name, 'c');
});

test('Runtime: a failing translation or data plane keeps the previous state', async () => {
  let fail = false;
  const translate = (resources: ResourceSet, options: TranslateOptions): Translation => {
    if (fail) throw new Error('core bug');
    return fakeTranslate([])(resources, options);
  };
  const metrics = new Metrics({ processMetrics: false });
  let dataPlaneFails = false;
  const dataPlane: DataPlane = {
    checkRule: acceptEveryRule,
    apply: async () => {
      if (dataPlaneFails) throw new Error('cannot apply');
      return new Map();
    },
    close: async () => {},
  };
  const runtime = new Runtime({ addressPool: 'p', dataPlane, logger: silentLogger(), translate, metrics });
  await runtime.update(new ResourceSet([gw('a')]));
  fail = true;
  await runtime.update(new ResourceSet([gw('b')]));
  assert.ok(runtime.resources().get('Gateway', 'default', 'a'));
  fail = false;
  dataPlaneFails = true;
  await runtime.update(new ResourceSet([gw('c')]));
  assert.ok(runtime.resources().get('Gateway', 'default', 'a'));
  const text = await metrics.text();
  assert.match(text, /portico_translations_total\{result="error"\} 1/);
  assert.match(text, /portico_translations_total\{result="success"\} 2/);
});

test('Runtime: metrics after a translation', async () => {
  const metrics = new Metrics({ processMetrics: false });
  const runtime = new Runtime({ addressPool: 'p', dataPlane: new NullDataPlane(), logger: silentLogger(), translate: fakeTranslate([]), metrics, now: () => new Date(1_700_000_000_000) });
  await runtime.update(new ResourceSet([gw('a'), gw('b')]));
  const text = await metrics.text();
  assert.match(text, /portico_objects_loaded\{kind="Gateway"\} 2/);
  assert.match(text, /portico_last_successful_translation_timestamp_seconds 1700000000/);
  assert.match(text, /portico_translation_duration_seconds_count 1/);
});

test('NullDataPlane: reports every Gateway of the IR programmed and remembers the IR', async () => {
  const dp = new NullDataPlane();
  const ir: IR = { gateways: [irGateway('a'), irGateway('b')] };
  assert.deepEqual([...(await dp.apply(ir))], [
    ['default/a', { programmed: true }],
    ['default/b', { programmed: true }],
  ]);
  assert.equal(dp.lastIr, ir);
  assert.equal(dp.applied, 1);
});

test('rfc3339: whole seconds in UTC', () => {
  assert.equal(rfc3339(new Date('2025-06-01T12:00:00.999Z')), '2025-06-01T12:00:00Z');
});

test('countByKind: objects per kind', () => {
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } };
  assert.deepEqual([...countByKind(new ResourceSet([gw('a'), gw('b'), ns]))].sort(), [['Gateway', 2], ['Namespace', 1]]);
});

test('localAddresses: the addresses of this host, loopback included', () => {
  const addresses = localAddresses();
  assert.ok(addresses.has('127.0.0.1'), [...addresses].join(', '));
});

test('Runtime: an EndpointSlice edit alone reaches the data plane without a translation; anything else translates', async () => {
  const { translate } = await import('../../src/pipeline/translate.js');
  const { endpointSlice, gateway: gatewayObject, gatewayClass, httpRoute, service } = await import('../unit/core/builders.js');
  let translations = 0;
  const dataPlane = new NullDataPlane();
  const runtime = new Runtime({
    addressPool: '127.0.10.0/24',
    dataPlane,
    logger: silentLogger(),
    translate: (resources, options) => {
      translations++;
      return translate(resources, options);
    },
  });
  const fixed = [
    gatewayClass(),
    gatewayObject('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    service('echo'),
    httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }),
  ];
  const endpointsOf = () => dataPlane.lastIr?.gateways[0]?.backends['default/echo:80']?.endpoints;
  await runtime.update(new ResourceSet([...fixed, endpointSlice('echo', ['10.0.0.1'])]));
  assert.equal(translations, 1);
  const status = runtime.statusOf('HTTPRoute/default/r');
  assert.ok(status);

  await runtime.update(new ResourceSet([...fixed, endpointSlice('echo', ['10.0.0.2', '10.0.0.3'])]));
  assert.equal(translations, 1, 'no translation for endpoints alone');
  assert.deepEqual(endpointsOf(), [{ address: '10.0.0.2', port: 8080 }, { address: '10.0.0.3', port: 8080 }]);
  assert.equal(runtime.statusOf('HTTPRoute/default/r'), status);
  assert.equal(dataPlane.applied, 2);

  await runtime.update(new ResourceSet([...fixed.slice(0, 3), httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 80, weight: 2 }] }] }), endpointSlice('echo', ['10.0.0.4'])]));
  assert.equal(translations, 2, 'a route edit translates');
  assert.deepEqual(endpointsOf(), [{ address: '10.0.0.4', port: 8080 }]);
});

test('Runtime.idle: resolves only once the snapshot being processed reached the data plane', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const dataPlane = new ScriptedDataPlane(() => new Map());
  const slow: DataPlane = { checkRule: acceptEveryRule, apply: async (ir) => (await gate, dataPlane.apply(ir)), close: async () => undefined };
  const runtime = new Runtime({ addressPool: 'p', dataPlane: slow, logger: silentLogger(), translate: fakeTranslate([]) });
  void runtime.update(new ResourceSet([gw('web')]));
  let idle = false;
  const waiting = runtime.idle().then(() => (idle = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(idle, false, 'still applying');
  release();
  await waiting;
  assert.equal(dataPlane.applied.length, 1);
});

test('HaproxyDataPlane: a configuration that arrives after close starts nothing', async (t) => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'portico-closed-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const dataPlane = new HaproxyDataPlane({ stateDir, logger: silentLogger() });
  await dataPlane.close();
  const states = await dataPlane.apply({ gateways: [irGateway('late')] });
  assert.equal(states.size, 0);
  assert.deepEqual(readdirSync(stateDir), [], 'no Gateway directory, no HAProxy');
});

test('Runtime: the web view tree is built only when asked, once per state, and listeners hear of each state applied', async () => {
  const objects: KubeObject[] = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'default' }, spec: { gatewayClassName: 'portico', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
  ];
  const runtime = new Runtime({ addressPool: '127.0.10.0/24', dataPlane: new NullDataPlane(), logger: silentLogger() });
  assert.deepEqual(runtime.viewTree(), { version: 0, namespaces: [], roots: [] });
  const heard: number[] = [];
  const stop = runtime.onApplied((version) => heard.push(version));
  await runtime.update(new ResourceSet(objects));
  const first = runtime.viewTree();
  assert.equal(first.version, 1);
  assert.deepEqual(first.roots.map((r) => [r.name, r.children.map((g) => g.name)]), [['portico', ['web']]]);
  assert.equal(runtime.viewTree(), first, 'the same state gives the same tree object, not a new build');
  await runtime.update(new ResourceSet(objects.slice(0, 1)));
  assert.equal(runtime.viewTree().version, 2);
  assert.deepEqual(runtime.viewTree().roots[0]?.children, []);
  stop();
  await runtime.update(new ResourceSet(objects));
  assert.deepEqual(heard, [1, 2]);
  assert.equal(runtime.dataPlaneConfig('default/web'), undefined, 'a NullDataPlane shows no configuration');
});

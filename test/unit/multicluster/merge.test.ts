import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterPhase } from '../../../src/multicluster/grace.js';
import { mergeExports, mirrorSliceName, REACHABLE_CONDITION, type ExportIn, type MergeResult, type PortIn } from '../../../src/multicluster/merge.js';

const reachable: ClusterPhase = { phase: 'reachable' };
const T0 = Date.parse('2026-01-01T00:00:00Z');

function exported(cluster: string, created: string, ports: PortIn[], extra: Partial<ExportIn> = {}): ExportIn {
  return {
    cluster,
    namespace: 'shop',
    name: 'cart',
    created,
    generation: 1,
    service: { type: 'ClusterIP', clusterIP: '10.0.0.1', ports },
    slices: [{ name: `cart-${cluster}`, addressType: 'IPv4', endpoints: [{ addresses: [`192.0.2.${cluster.length}`], conditions: { ready: true } }, { addresses: ['192.0.2.99'], conditions: { ready: false } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    ...extra,
  };
}

const http = [{ name: 'http', port: 80, protocol: 'TCP' }];
const condition = (r: MergeResult, cluster: string, type: string) => r.exports.find((e) => e.cluster === cluster)?.conditions.find((c) => c.type === type);

test('two clusters exporting one Service give one import: ports merged, both clusters, ready endpoints mirrored per cluster', () => {
  const r = mergeExports(
    [exported('west', '2026-01-01T00:00:00Z', http), exported('east', '2026-01-02T00:00:00Z', [...http, { name: 'metrics', port: 9090, protocol: 'TCP' }])],
    new Map([['west', reachable], ['east', reachable]]),
  );
  assert.equal(r.imports.length, 1);
  const [imp] = r.imports;
  assert.deepEqual(imp && { type: imp.type, ports: imp.ports, clusters: imp.clusters }, {
    type: 'ClusterSetIP',
    ports: [{ name: 'http', protocol: 'TCP', port: 80 }, { name: 'metrics', protocol: 'TCP', port: 9090 }],
    clusters: ['east', 'west'],
  });
  assert.deepEqual(imp?.conditions.map((c) => [c.type, c.status, c.reason]), [['Ready', 'True', 'Ready'], [REACHABLE_CONDITION, 'True', 'Reachable']]);
  assert.deepEqual(
    r.slices.map((s) => [s.name, s.cluster, s.endpoints.map((e) => e.addresses[0])]),
    [[mirrorSliceName('cart', 'east', 'cart-east'), 'east', ['192.0.2.4']], [mirrorSliceName('cart', 'west', 'cart-west'), 'west', ['192.0.2.4']]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
  for (const cluster of ['west', 'east']) {
    assert.deepEqual(r.exports.find((e) => e.cluster === cluster)?.conditions.map((c) => [c.type, c.status, c.reason]), [['Valid', 'True', 'Valid'], ['Conflict', 'False', 'NoConflicts'], ['Ready', 'True', 'Exported']]);
  }
});

test('conflicts are raised on every export and settled by the oldest export (then the cluster name)', () => {
  const cases: { name: string; west: ExportIn; east: ExportIn; reason: string; ports: number[]; type: string; message: RegExp }[] = [
    {
      name: 'a port name with another number',
      west: exported('west', '2026-01-02T00:00:00Z', [{ name: 'http', port: 8080, protocol: 'TCP' }]),
      east: exported('east', '2026-01-01T00:00:00Z', http),
      reason: 'PortConflict',
      ports: [80],
      type: 'ClusterSetIP',
      message: /port "http" is 8080\/TCP in cluster west and 80\/TCP in cluster east, whose export is older and wins/,
    },
    {
      name: 'a port number under another name',
      west: exported('west', '2026-01-01T00:00:00Z', http),
      east: exported('east', '2026-01-01T00:00:00Z', [{ name: 'web', port: 80, protocol: 'TCP' }]),
      reason: 'PortConflict',
      // Same age: "east" sorts first and wins.
      ports: [80],
      type: 'ClusterSetIP',
      message: /port 80\/TCP is named "http" in cluster west and "web" in cluster east/,
    },
    {
      name: 'headless in one cluster only',
      west: exported('west', '2026-01-01T00:00:00Z', http, { service: { clusterIP: 'None', ports: http } }),
      east: exported('east', '2026-01-02T00:00:00Z', http),
      reason: 'TypeConflict',
      ports: [80],
      type: 'Headless',
      message: /cluster east exports it as ClusterSetIP; the oldest export \(cluster west\) makes it Headless/,
    },
  ];
  for (const c of cases) {
    const r = mergeExports([c.west, c.east], new Map([['west', reachable], ['east', reachable]]));
    for (const cluster of ['west', 'east']) {
      const conflict = condition(r, cluster, 'Conflict');
      assert.equal(conflict?.status, 'True', `${c.name}: ${cluster}`);
      assert.equal(conflict?.reason, c.reason, c.name);
      assert.match(conflict?.message ?? '', c.message, c.name);
      // A conflict does not stop the export: the winner's shape is served.
      assert.equal(condition(r, cluster, 'Ready')?.status, 'True', c.name);
    }
    assert.deepEqual(r.imports[0]?.ports.map((p) => p.port), c.ports, c.name);
    assert.equal(r.imports[0]?.type, c.type, c.name);
    assert.equal(r.slices.length, 2, `${c.name}: both clusters' endpoints still count`);
  }
  const both = mergeExports(
    [exported('west', '2026-01-01T00:00:00Z', http, { service: { clusterIP: 'None', ports: http } }), exported('east', '2026-01-02T00:00:00Z', [{ name: 'http', port: 81 }])],
    new Map([['west', reachable], ['east', reachable]]),
  );
  assert.equal(condition(both, 'east', 'Conflict')?.reason, 'PortConflict,TypeConflict');
});

test('exports that cannot be exported: no Service, ExternalName; an import Portico did not make', () => {
  const r = mergeExports(
    [
      exported('west', '2026-01-01T00:00:00Z', http, { service: undefined }),
      exported('east', '2026-01-01T00:00:00Z', http, { service: { type: 'ExternalName', ports: http } }),
      exported('north', '2026-01-01T00:00:00Z', http, { name: 'mine' }),
    ],
    new Map([['west', reachable], ['east', reachable], ['north', reachable]]),
    new Set(['shop/mine']),
  );
  assert.deepEqual(r.imports, []);
  assert.deepEqual(r.slices, []);
  assert.deepEqual([condition(r, 'west', 'Valid')?.reason, condition(r, 'west', 'Ready')?.reason], ['NoService', 'Failed']);
  assert.match(condition(r, 'west', 'Valid')?.message ?? '', /Service shop\/cart in cluster west does not exist/);
  assert.deepEqual([condition(r, 'east', 'Valid')?.reason, condition(r, 'east', 'Ready')?.reason], ['InvalidServiceType', 'Failed']);
  assert.deepEqual([condition(r, 'north', 'Valid')?.status, condition(r, 'north', 'Ready')?.reason], ['True', 'Failed']);
  assert.match(condition(r, 'north', 'Ready')?.message ?? '', /ServiceImport shop\/mine .* was not made by Portico/);
});

test('an export from a namespace the config cluster does not have is not imported, and says why', () => {
  const r = mergeExports([exported('west', '2026-01-01T00:00:00Z', http)], new Map([['west', reachable]]), new Set(), new Set(['default']));
  assert.deepEqual([r.imports, r.slices], [[], []]);
  assert.deepEqual(((c) => [c?.status, c?.reason, c?.message])(condition(r, 'west', 'Ready')), ['False', 'Failed', 'namespace shop does not exist in the config cluster, where the ServiceImport would be made']);
  assert.equal(mergeExports([exported('west', '2026-01-01T00:00:00Z', http)], new Map([['west', reachable]]), new Set(), new Set(['shop'])).imports.length, 1);
});

test('an unreachable cluster: endpoints kept within the grace period, removed after it; the import stays', () => {
  const exports = [exported('west', '2026-01-01T00:00:00Z', http), exported('east', '2026-01-02T00:00:00Z', http)];
  const grace = mergeExports(exports, new Map<string, ClusterPhase>([['west', reachable], ['east', { phase: 'grace', since: T0, until: T0 + 60_000 }]]));
  assert.deepEqual(grace.imports[0]?.clusters, ['east', 'west']);
  assert.equal(grace.slices.length, 2);
  assert.deepEqual(grace.imports[0]?.conditions[1], {
    type: REACHABLE_CONDITION,
    status: 'False',
    reason: 'Unreachable',
    message: 'cluster east is unreachable since 2026-01-01T00:00:00.000Z; its endpoints are kept until 2026-01-01T00:01:00.000Z',
  });
  const expired = mergeExports(exports, new Map<string, ClusterPhase>([['west', reachable], ['east', { phase: 'expired', since: T0, until: T0 + 60_000 }]]));
  assert.deepEqual(expired.imports[0]?.clusters, ['west']);
  assert.deepEqual(expired.slices.map((s) => s.cluster), ['west']);
  assert.match(expired.imports[0]?.conditions[1]?.message ?? '', /its endpoints were removed at 2026-01-01T00:01:00.000Z/);
  const allGone = mergeExports(exports, new Map<string, ClusterPhase>([['west', { phase: 'expired', since: T0, until: T0 }], ['east', { phase: 'expired', since: T0, until: T0 }]]));
  assert.equal(allGone.imports.length, 1, 'kept, so that routes answer 503 rather than lose their backend');
  assert.deepEqual(allGone.imports[0]?.clusters, []);
  assert.deepEqual(allGone.imports[0]?.conditions[0]?.reason, 'Pending');
  assert.deepEqual(allGone.slices, []);
});

/**
 * deploy/grafana/portico-dashboard.json: valid JSON Grafana can import, and every metric its
 * queries use is one Portico exports (registered on a Metrics registry with a data plane and the
 * Kubernetes metrics, as `portico controller --route-metrics` has them) and documented in
 * docs/observability.md; every metric Portico exports is documented there too.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Metrics } from '../../../src/metrics.js';
import { KubeMetrics } from '../../../src/providers/kubernetes/metrics.js';
import { projectRoot } from '../../e2e/support.js';

const DASHBOARD = path.join(projectRoot, 'deploy/grafana/portico-dashboard.json');
const DOC = readFileSync(path.join(projectRoot, 'docs/observability.md'), 'utf8');

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

function exported(): Map<string, string> {
  const metrics = new Metrics({ processMetrics: false });
  metrics.watchDataPlane({ dataPlaneMetrics: () => Promise.resolve([]) });
  new KubeMetrics(metrics.registry);
  return new Map(metrics.registry.getMetricsAsArray().map((m) => [m.name, String(m.type)]));
}

test('the Grafana dashboard uses only metrics Portico exports and documents', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { title: string; uid: string; panels: Panel[]; templating: { list: { query?: unknown }[] } };
  assert.equal(dashboard.uid, 'portico');
  const names = exported();
  const queries = [...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...dashboard.templating.list.map((v) => JSON.stringify(v.query ?? ''))];
  const used = new Set(queries.flatMap((q) => [...q.matchAll(/\bportico_[a-z_]+/g)].map((m) => m[0])));
  assert.ok(used.size >= 15, `the dashboard uses ${used.size} metrics`);
  for (const name of used) {
    // A histogram's series are named after it with _bucket, _sum and _count.
    const base = name.replace(/_(bucket|sum|count)$/, '');
    const metric = names.has(name) ? name : names.get(base) === 'histogram' ? base : undefined;
    assert.ok(metric, `${name} is not a metric Portico exports`);
    assert.ok(DOC.includes(`\`${metric}`), `${metric} is not documented in docs/observability.md`);
  }
  for (const p of dashboard.panels) if (p.type !== 'row') assert.ok((p.targets ?? []).length > 0, `panel "${p.title}" has no query`);
});

test('every metric Portico exports is documented in docs/observability.md', () => {
  for (const name of exported().keys()) assert.ok(DOC.includes(`\`${name}`), `${name} is not documented in docs/observability.md`);
});

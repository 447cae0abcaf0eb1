/**
 * bench/translate: builds status + IR for synthetic sets and prints time and heap.
 * Targets (issue 2): 10,000 routes in ≤ 1 s and ≤ 150 MiB; one route edited in a 10,000-route
 * set re-translated in ≤ 100 ms. The baseline, measured in the same run, is structuredClone of
 * the same objects: one pass that touches every field, so the ratio says how many "copies of the
 * input" a translation costs, whatever the machine.
 * Run: npm run build && node --expose-gc dist/bench/translate.js
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ResourceSet } from '../src/store/resources.js';
import { translate, TranslationCache, type Translation } from '../src/pipeline/translate.js';
import { syntheticSet } from './fixtures.js';
import type { KubeObject } from '../src/api/object.js';
import { haproxyRuleProblem } from '../src/haproxy/capabilities.js';

const POOL = '127.0.10.0/16';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function heapMiB(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function editRoute0(objects: KubeObject[], i: number): KubeObject[] {
  return objects.map((o) =>
    o.kind === 'HTTPRoute' && o.metadata.name === 'route-0'
      ? { ...o, metadata: { ...o.metadata, generation: 2 + i }, spec: { ...(o.spec as object), hostnames: [`edited-${i}.example.com`] } }
      : o,
  );
}

function measure(routes: number, gateways: number): void {
  const objects = syntheticSet(routes, gateways);
  const baseline = median([0, 1, 2].map(() => timed(() => structuredClone(objects))));
  const heapBefore = heapMiB();
  let last: Translation | undefined;
  const full = median([0, 1, 2, 3].map(() => timed(() => (last = translate(new ResourceSet(objects), { addressPool: POOL, checkRule: haproxyRuleProblem, previousStatus: last?.status })))));
  const retained = heapMiB() - heapBefore;
  const cache = new TranslationCache();
  last = translate(new ResourceSet(objects), { addressPool: POOL, checkRule: haproxyRuleProblem, cache });
  const edit = median([0, 1, 2, 3, 4].map((i) => {
    const edited = editRoute0(objects, i);
    return timed(() => (last = translate(new ResourceSet(edited), { addressPool: POOL, checkRule: haproxyRuleProblem, previousStatus: last?.status, cache })));
  }));
  const label = `${routes.toLocaleString('en')} routes / ${gateways.toLocaleString('en')} gateways`;
  console.log(
    `${label.padEnd(32)} full ${full.toFixed(0).padStart(5)} ms (${(full / baseline).toFixed(1).padStart(4)}× clone)` +
      `   one-route edit ${edit.toFixed(1).padStart(6)} ms (${(edit / baseline).toFixed(2)}× clone)` +
      `   heap held by the result ${retained.toFixed(0).padStart(4)} MiB   input ${objects.length} objects, clone ${baseline.toFixed(0)} ms`,
  );
}

/** Run in a child with the heap capped: proof that 10,000 routes fit in 150 MiB of heap. */
function capped(): void {
  const objects = syntheticSet(10000, 1000);
  let last: Translation | undefined;
  const times = [0, 1, 2].map(() => timed(() => (last = translate(new ResourceSet(objects), { addressPool: POOL, checkRule: haproxyRuleProblem, previousStatus: last?.status }))));
  console.log(`  completed 3 translations of 10,000 routes with --max-old-space-size=150 (median ${median(times).toFixed(0)} ms)`);
}

if (process.argv[2] === '--capped') {
  capped();
} else {
  console.log('bench/translate: status + IR, median of several runs');
  measure(100, 10);
  measure(1000, 100);
  measure(10000, 1000);
  measure(10000, 10);
  const child = spawnSync(process.execPath, ['--max-old-space-size=150', fileURLToPath(import.meta.url), '--capped'], { encoding: 'utf8' });
  process.stdout.write(child.status === 0 ? child.stdout : `  FAILED within --max-old-space-size=150: ${child.stderr.split('\n').slice(0, 3).join(' ')}\n`);
}

/**
 * bench/translate: builds status + IR for synthetic sets and prints time and peak heap.
 * Targets (issue 2): 10,000 routes ≤ 1 s and ≤ 150 MiB; one route edited in a 10,000-route set
 * re-translated ≤ 100 ms. Run: npm run bench:translate (after npm run build).
 */
import { ResourceSet } from '../src/store/resources.js';
import { translate, TranslationCache } from '../src/pipeline/translate.js';
import { syntheticSet } from './fixtures.js';
import type { KubeObject } from '../src/api/object.js';

function heapMiB(): number {
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function measure(label: string, routes: number, gateways: number): void {
  const objects = syntheticSet(routes, gateways);
  globalThis.gc?.();
  const heapBefore = heapMiB();
  let peak = heapBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, heapMiB())), 5);
  const times: number[] = [];
  let last = translate(new ResourceSet(objects), { addressPool: '127.0.10.0/16' });
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    last = translate(new ResourceSet(objects), { addressPool: '127.0.10.0/16', previousStatus: last.status });
    times.push(performance.now() - t0);
    peak = Math.max(peak, heapMiB());
  }
  // One route edited: a new snapshot with that route's spec changed, translated again, as the
  // runtime does it (with the cache carried from the previous translation).
  const cache = new TranslationCache();
  last = translate(new ResourceSet(objects), { addressPool: '127.0.10.0/16', cache });
  const edits: number[] = [];
  for (let i = 0; i < 3; i++) {
    const edited: KubeObject[] = objects.map((o) =>
      o.kind === 'HTTPRoute' && o.metadata.name === 'route-0'
        ? { ...o, metadata: { ...o.metadata, generation: 2 + i }, spec: { ...(o.spec as object), hostnames: [`edited-${i}.example.com`] } }
        : o,
    );
    const t0 = performance.now();
    last = translate(new ResourceSet(edited), { addressPool: '127.0.10.0/16', previousStatus: last.status, cache });
    edits.push(performance.now() - t0);
  }
  clearInterval(sampler);
  peak = Math.max(peak, heapMiB());
  console.log(
    `${label.padEnd(28)} full ${median(times).toFixed(1).padStart(8)} ms   one-route edit ${median(edits).toFixed(1).padStart(8)} ms   ` +
      `peak heap ${peak.toFixed(0).padStart(5)} MiB (baseline ${heapBefore.toFixed(0)} MiB)   objects ${objects.length}`,
  );
}

console.log('bench/translate: status + IR (median of 3 runs)');
measure('100 routes / 10 gateways', 100, 10);
measure('1,000 routes / 100 gateways', 1000, 100);
measure('10,000 routes / 1,000 gateways', 10000, 1000);
measure('10,000 routes / 10 gateways', 10000, 10);

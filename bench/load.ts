/**
 * bench/load: the cold start of `portico run` on 10,000 HTTPRoutes written to files: read and
 * parse, validate (CRD schema + CEL), snapshot, translate. The baseline, measured in the same
 * run, is parsing the same files with the yaml package alone.
 * Run: npm run build && node dist/bench/load.js
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { FileLoader } from '../src/providers/file/index.js';
import { ObjectStore } from '../src/store/store.js';
import { translate } from '../src/pipeline/translate.js';
import { Validator } from '../src/validation/index.js';
import { syntheticSet } from './fixtures.js';
import { haproxyRuleProblem } from '../src/haproxy/capabilities.js';

const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-'));
try {
  const objects = syntheticSet(10000, 100);
  const perFile = 100;
  for (let i = 0; i < objects.length; i += perFile) {
    const docs = objects.slice(i, i + perFile).map((o) => stringify(o));
    writeFileSync(path.join(dir, `part-${String(i / perFile).padStart(4, '0')}.yaml`), docs.join('---\n'));
  }
  const files = readdirSync(dir).map((f) => path.join(dir, f));

  let t0 = performance.now();
  let parsed = 0;
  for (const f of files) parsed += parseAllDocuments(readFileSync(f, 'utf8')).length;
  const baseline = performance.now() - t0;

  t0 = performance.now();
  const loaded = await new FileLoader({ paths: [dir], validator: new Validator() }).load();
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  const store = new ObjectStore();
  const resources = store.update(loaded.objects, loaded.sources) ?? store.current;
  const storeMs = performance.now() - t0;
  t0 = performance.now();
  const t = translate(resources, { addressPool: '127.0.10.0/16', checkRule: haproxyRuleProblem });
  const translateMs = performance.now() - t0;
  const total = loadMs + storeMs + translateMs;
  console.log(`bench/load: ${objects.length} objects (10,000 HTTPRoutes) in ${files.length} files; ${loaded.problems.length} problems`);
  console.log(`  yaml parse only (baseline) ${baseline.toFixed(0).padStart(6)} ms   (${parsed} documents)`);
  console.log(`  read + parse + validate    ${loadMs.toFixed(0).padStart(6)} ms   ${(loadMs / baseline).toFixed(1)}× baseline`);
  console.log(`  snapshot (store)           ${storeMs.toFixed(0).padStart(6)} ms`);
  console.log(`  translate                  ${translateMs.toFixed(0).padStart(6)} ms   (${t.status.size} objects with status)`);
  console.log(`  total to first translation ${total.toFixed(0).padStart(6)} ms   ${(total / baseline).toFixed(1)}× baseline; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

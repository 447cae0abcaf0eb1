/**
 * bench/load: the cold start of `portico run` on 10,000 HTTPRoutes written to files: read and
 * parse, validate (CRD schema + CEL), snapshot, translate. The baseline, measured in the same
 * run, is parsing the same files with the yaml package alone.
 *
 * The cold start runs in a child process of its own (this file with --measure), so its RSS
 * counts what a `portico run` process would hold, not the fixture's objects or the baseline's
 * garbage; validation is timed by wrapping the validator, so "read + parse" is the rest of the
 * load. Memory: RSS and V8 heap after translating, and after a full GC.
 * Run: npm run build && node dist/bench/load.js
 * Env: BENCH_JSON=1 writes the files as JSON (one object per .json file) instead of YAML.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { FileLoader, type ObjectValidator } from '../src/providers/file/index.js';
import { ObjectStore } from '../src/store/store.js';
import { translate } from '../src/pipeline/translate.js';
import { Validator } from '../src/validation/index.js';
import { syntheticSet } from './fixtures.js';
import { haproxyRuleProblem } from '../src/haproxy/capabilities.js';

const JSON_FILES = process.env.BENCH_JSON === '1';
const MiB = 2 ** 20;

interface Measured {
  objects: number;
  problems: number;
  loadMs: number;
  validateMs: number;
  storeMs: number;
  translateMs: number;
  status: number;
  rssBefore: number;
  memory: NodeJS.MemoryUsage;
  afterGc: NodeJS.MemoryUsage;
}

/** The cold start itself, in the child process: load, snapshot, translate. */
async function measure(dir: string): Promise<Measured> {
  const rssBefore = process.memoryUsage().rss;
  const validator = new Validator();
  let validateMs = 0;
  const timed: ObjectValidator = {
    validate(obj) {
      const t = performance.now();
      try {
        return validator.validate(obj);
      } finally {
        validateMs += performance.now() - t;
      }
    },
  };
  let t0 = performance.now();
  const loaded = await new FileLoader({ paths: [dir], validator: timed }).load();
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  const store = new ObjectStore();
  const resources = store.update(loaded.objects, loaded.sources) ?? store.current;
  const storeMs = performance.now() - t0;
  t0 = performance.now();
  const t = translate(resources, { addressPool: '127.0.10.0/16', checkRule: haproxyRuleProblem });
  const translateMs = performance.now() - t0;
  const memory = process.memoryUsage();
  (globalThis as { gc?: () => void }).gc?.();
  const afterGc = process.memoryUsage();
  return { objects: loaded.objects.length, problems: loaded.problems.length, loadMs, validateMs, storeMs, translateMs, status: t.status.size, rssBefore, memory, afterGc };
}

if (process.argv[2] === '--measure') {
  process.stdout.write(JSON.stringify(await measure(process.argv[3] as string)));
} else {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-'));
  try {
    const objects = syntheticSet(10000, 100);
    if (JSON_FILES) {
      objects.forEach((o, i) => writeFileSync(path.join(dir, `obj-${String(i).padStart(5, '0')}.json`), JSON.stringify(o, null, 2)));
    } else {
      const perFile = 100;
      for (let i = 0; i < objects.length; i += perFile) {
        const docs = objects.slice(i, i + perFile).map((o) => stringify(o));
        writeFileSync(path.join(dir, `part-${String(i / perFile).padStart(4, '0')}.yaml`), docs.join('---\n'));
      }
    }
    const files = readdirSync(dir).map((f) => path.join(dir, f));

    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--measure', dir], { encoding: 'utf8', maxBuffer: 2 ** 24 });
    if (child.status !== 0) throw new Error(`the measuring process failed: ${child.stderr}`);
    const m = JSON.parse(child.stdout) as Measured;

    const t0 = performance.now();
    let parsed = 0;
    for (const f of files) parsed += parseAllDocuments(readFileSync(f, 'utf8')).length;
    const baseline = performance.now() - t0;

    const total = m.loadMs + m.storeMs + m.translateMs;
    const row = (label: string, value: number, extra = '') => console.log(`  ${label.padEnd(28)} ${value.toFixed(0).padStart(6)} ms${extra}`);
    console.log(`bench/load: ${objects.length} objects (10,000 HTTPRoutes) in ${files.length} ${JSON_FILES ? 'JSON' : 'YAML'} files; ${m.objects} loaded, ${m.problems} problems`);
    row('yaml parse only (baseline)', baseline, `   (${parsed} documents)`);
    row('read + parse + validate', m.loadMs, `   ${(m.loadMs / baseline).toFixed(2)}× baseline`);
    row('  of which read + parse', m.loadMs - m.validateMs);
    row('  of which validate', m.validateMs);
    row('snapshot (store)', m.storeMs);
    row('translate', m.translateMs, `   (${m.status} objects with status)`);
    row('total to first translation', total, `   ${(total / baseline).toFixed(2)}× baseline`);
    console.log(
      `  memory after translating: rss ${(m.memory.rss / MiB).toFixed(0)} MiB (${(m.rssBefore / MiB).toFixed(0)} MiB before loading), heap ${(m.memory.heapUsed / MiB).toFixed(0)} MiB; ` +
        `after a full GC: rss ${(m.afterGc.rss / MiB).toFixed(0)} MiB, heap ${(m.afterGc.heapUsed / MiB).toFixed(0)} MiB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

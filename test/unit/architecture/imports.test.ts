// The import rule of each folder of src/ (docs/architecture.md, "Layers"): a folder imports only
// the folders below it, so the pure core never reaches the data plane or the shell.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { projectRoot } from '../../e2e/support.js';

const SRC = path.join(projectRoot, 'src');

/** What each top-level unit of src/ may import (folders, and the files log.ts and metrics.ts as "log", "metrics"). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  net: [],
  api: [],
  log: [],
  metrics: [],
  store: ['api'],
  validation: ['net', 'api', 'store'],
  graph: ['net', 'api', 'store'],
  status: ['api', 'store', 'graph'],
  ir: ['api', 'store', 'graph'],
  pipeline: ['api', 'store', 'graph', 'status', 'ir'],
  // Multi-Cluster Services: exports merged into imports, the grace period, the writes to make.
  multicluster: ['api'],
  // The Kubernetes objects of per-Gateway data planes, from the graph's parameters.
  deployment: ['api', 'graph'],
  haproxy: ['api', 'ir', 'log', 'metrics'],
  providers: ['api', 'store', 'validation', 'multicluster', 'log', 'metrics'],
  admin: ['api', 'store', 'log', 'metrics'],
  runtime: ['net', 'api', 'store', 'validation', 'graph', 'status', 'ir', 'pipeline', 'deployment', 'multicluster', 'haproxy', 'providers', 'admin', 'log', 'metrics'],
  cli: ['net', 'api', 'store', 'validation', 'graph', 'status', 'ir', 'pipeline', 'deployment', 'multicluster', 'haproxy', 'providers', 'admin', 'runtime', 'log', 'metrics'],
};

/** Files held to a narrower rule than their folder's. */
const FILE_RULES: Record<string, readonly string[]> = {
  // The IR is plain data a data plane reads; it must not drag the graph's types along.
  'ir/model.ts': [],
};

/** The pure core: no I/O, no processes, no logging; the same input gives the same output. */
const CORE = ['net', 'api', 'store', 'graph', 'status', 'ir', 'pipeline', 'deployment', 'multicluster'];
// Pure libraries: the graph parses rbac match expressions with @bufbuild/cel, and checks
// regular expressions with @bufbuild/re2 (api/regex.ts).
const CORE_MAY_USE = new Set(['node:crypto', '@bufbuild/cel', '@bufbuild/re2']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** "graph" for src/graph/x.ts, "log" for src/log.ts. */
function unitOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length === 1 ? (rel[0] as string).replace(/\.ts$/, '') : (rel[0] as string);
}

interface Import {
  from: string;
  specifier: string;
  /** The unit of src/ it names, for relative imports. */
  unit?: string;
}

function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map(({ fileName }) => {
    if (!fileName.startsWith('.')) return { from: file, specifier: fileName };
    const target = path.resolve(path.dirname(file), fileName).replace(/\.js$/, '.ts');
    return { from: file, specifier: fileName, unit: unitOf(target) };
  });
}

const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);
const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');

test('every unit of src/ has an import rule', () => {
  const units = [...new Set(files.map(unitOf))].sort();
  assert.deepEqual(units.filter((u) => !(u in MAY_IMPORT)), [], 'a new folder needs its line in MAY_IMPORT and in docs/architecture.md');
});

/** Imports of another unit that the importing file's rule does not allow. */
function violations(list: readonly Import[]): string[] {
  return list
    .filter((i) => i.unit !== undefined)
    .filter((i) => {
      const fileRule = FILE_RULES[rel(i.from)];
      if (fileRule) return !fileRule.includes(i.unit as string);
      return i.unit !== unitOf(i.from) && !(MAY_IMPORT[unitOf(i.from)] ?? []).includes(i.unit as string);
    })
    .map((i) => `${rel(i.from)} imports ${i.specifier}`);
}

test('each folder imports only what its rule allows', () => {
  assert.deepEqual(violations(imports), []);
});

test('the pure core imports no I/O, process or logging module', () => {
  const broken = imports
    .filter((i) => CORE.includes(unitOf(i.from)) && i.unit === undefined && !CORE_MAY_USE.has(i.specifier))
    .map((i) => `${rel(i.from)} imports ${i.specifier}`);
  assert.deepEqual(broken, []);
});

test('the rules have no cycle', () => {
  const done = new Set<string>();
  const visit = (unit: string, trail: string[]): void => {
    assert.ok(!trail.includes(unit), `import cycle: ${[...trail, unit].join(' → ')}`);
    if (done.has(unit)) return;
    for (const next of MAY_IMPORT[unit] ?? []) visit(next, [...trail, unit]);
    done.add(unit);
  };
  for (const unit of Object.keys(MAY_IMPORT)) visit(unit, []);
});

test('docs/architecture.md states the same rules', () => {
  const doc = readFileSync(path.join(projectRoot, 'docs/architecture.md'), 'utf8');
  const stated: Record<string, string[]> = {};
  for (const m of doc.matchAll(/^\| `([a-z]+)` \| (.*?) \|/gm)) {
    const list = (m[2] as string).trim();
    stated[m[1] as string] = list === 'nothing' ? [] : [...list.matchAll(/`([a-z]+)`/g)].map((x) => x[1] as string);
  }
  assert.deepEqual(stated, Object.fromEntries(Object.entries(MAY_IMPORT).map(([k, v]) => [k, [...v]])));
});

test('the check refuses what the rules forbid', () => {
  const file = (name: string) => path.join(SRC, name);
  assert.deepEqual(
    violations([
      { from: file('haproxy/render.ts'), specifier: '../graph/model.js', unit: 'graph' },
      { from: file('graph/build.ts'), specifier: '../pipeline/cache.js', unit: 'pipeline' },
      { from: file('ir/model.ts'), specifier: '../api/spec.js', unit: 'api' },
      { from: file('ir/build.ts'), specifier: '../graph/model.js', unit: 'graph' },
      { from: file('ir/build.ts'), specifier: './model.js', unit: 'ir' },
    ]),
    ['haproxy/render.ts imports ../graph/model.js', 'graph/build.ts imports ../pipeline/cache.js', 'ir/model.ts imports ../api/spec.js'],
  );
});

// In-process tests of `portico run` without the CLI: startPortico and its load logging.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../../src/log.js';
import type { LoadResult } from '../../src/providers/file/loader.js';
import { startPortico } from '../../src/runtime/app.js';
import { LoadReporter } from '../../src/runtime/load-report.js';
import { FakeValidator, gateway, tempDir, waitFor } from '../unit/providers/file/support.js';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

function captureLogs() {
  const lines: LogLine[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) } });
  return { lines, logger, messages: () => lines.map((l) => l.msg) };
}

const emptyLoad = (over: Partial<LoadResult> = {}): LoadResult => ({
  changed: true,
  objects: [],
  sources: new Map(),
  problems: [],
  warnings: [],
  skippedKinds: [],
  files: ['a.yaml'],
  directories: [],
  filesParsed: 1,
  ...over,
});

test('LoadReporter: a summary per load, each problem once while it lasts, each skipped kind once per process', () => {
  const { lines, logger, messages } = captureLogs();
  const reporter = new LoadReporter(logger);
  const problem = { file: 'a.yaml', document: 2, subject: 'Gateway default/web', path: 'spec.x', message: 'bad' };
  const skipped = { kind: 'Deployment', apiVersion: 'apps/v1', count: 2, first: { file: 'a.yaml', document: 1 } };
  reporter.report(emptyLoad({ problems: [problem], skippedKinds: [skipped] }));
  reporter.report(emptyLoad({ problems: [problem], skippedKinds: [skipped] }));
  reporter.report(emptyLoad());
  reporter.report(emptyLoad({ problems: [problem] }));
  assert.deepEqual(messages(), [
    'loaded 0 objects from 1 file, 1 problem',
    'skipping Deployment (apps/v1): Portico does not use this kind; 2 found, first at a.yaml:1',
    'a.yaml:2  Gateway default/web  spec.x: bad',
    'reloaded 0 objects from 1 file, 1 problem',
    'reloaded 0 objects from 1 file',
    'reloaded 0 objects from 1 file, 1 problem',
    'a.yaml:2  Gateway default/web  spec.x: bad',
  ]);
  assert.equal(lines[2]?.level, 50, 'problems are errors');
  assert.equal(lines[1]?.level, 40, 'skipped kinds are warnings');
});

test('startPortico: admin API up, ready after the first translation, file edits visible', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'gw.yaml'), gateway('web'));
  const { logger, messages } = captureLogs();
  const app = await startPortico({
    paths: [dir],
    admin: { host: '127.0.0.1', port: 0 },
    addressPool: '127.0.10.0/24',
    validator: new FakeValidator(),
    logger,
  });
  t.after(() => app.close());
  await app.ready;
  assert.ok(messages().includes(`admin API listening on ${app.admin.url}`));
  assert.equal((await fetch(`${app.admin.url}/readyz`)).status, 200);

  const url = `${app.admin.url}/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/web`;
  const first = (await (await fetch(url)).json()) as { metadata: { generation: number } };
  assert.equal(first.metadata.generation, 1);

  writeFileSync(path.join(dir, 'gw.yaml'), gateway('web').replace('port: 80', 'port: 81'));
  await waitFor('generation 2', async () => {
    const obj = (await (await fetch(url)).json()) as { metadata: { generation: number } };
    return obj.metadata.generation === 2;
  });
});

test('startPortico: an empty directory still becomes ready', async (t) => {
  const dir = tempDir(t);
  const { logger } = captureLogs();
  const app = await startPortico({ paths: [dir], admin: { host: '127.0.0.1', port: 0 }, addressPool: '127.0.10.0/24', validator: new FakeValidator(), logger });
  t.after(() => app.close());
  await app.ready;
  assert.equal(app.runtime.isReady(), true);
});

test('startPortico: a busy admin port fails startup with a clear error', async (t) => {
  const dir = tempDir(t);
  const { logger } = captureLogs();
  const options = { paths: [dir], addressPool: '127.0.10.0/24', validator: new FakeValidator(), logger };
  const first = await startPortico({ ...options, admin: { host: '127.0.0.1', port: 0 } });
  t.after(() => first.close());
  await assert.rejects(startPortico({ ...options, admin: { host: '127.0.0.1', port: first.admin.port } }), /address already in use/);
});

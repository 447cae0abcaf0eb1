import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { FileProvider } from '../../../../src/providers/file/provider.js';
import type { LoadResult } from '../../../../src/providers/file/loader.js';
import { FakeValidator, gateway, tempDir, waitFor } from './support.js';

/** A watching provider on `paths`, collecting every reload result. */
async function watching(t: TestContext, paths: string[]) {
  const loads: LoadResult[] = [];
  const provider = new FileProvider({ paths, validator: new FakeValidator() });
  t.after(() => provider.close());
  const first = await provider.watch({ onLoad: (r) => loads.push(r), onError: (err) => assert.fail(err) });
  const latest = (): LoadResult => loads.at(-1) ?? first;
  const gatewayNames = (): string[] => latest().objects.map((o) => o.metadata.name).sort();
  return { provider, loads, first, latest, gatewayNames };
}

const within1s = { timeout: 1000 };

test('FileProvider.load: one load without watching', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.yaml'), gateway('a'));
  const result = await new FileProvider({ paths: [dir], validator: new FakeValidator() }).load();
  assert.equal(result.objects.length, 1);
});

test('FileProvider.watch: an edit is picked up within 1 s', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.yaml'), gateway('a'));
  const w = await watching(t, [dir]);
  assert.deepEqual(w.gatewayNames(), ['a']);
  writeFileSync(path.join(dir, 'a.yaml'), gateway('renamed'));
  await waitFor('the edit', () => w.gatewayNames().includes('renamed'), within1s.timeout);
});

test('FileProvider.watch: a new file, a deleted file, a new subdirectory with a file', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.yaml'), gateway('a'));
  const w = await watching(t, [dir]);

  writeFileSync(path.join(dir, 'b.yaml'), gateway('b'));
  await waitFor('the new file', () => w.gatewayNames().join() === 'a,b', within1s.timeout);

  rmSync(path.join(dir, 'a.yaml'));
  await waitFor('the deletion', () => w.gatewayNames().join() === 'b', within1s.timeout);

  mkdirSync(path.join(dir, 'new', 'deeper'), { recursive: true });
  writeFileSync(path.join(dir, 'new', 'deeper', 'c.yaml'), gateway('c'));
  await waitFor('the file in the new subdirectory', () => w.gatewayNames().join() === 'b,c', within1s.timeout);

  // And the new subdirectory is itself watched from now on.
  writeFileSync(path.join(dir, 'new', 'deeper', 'c.yaml'), gateway('c2'));
  await waitFor('an edit in the new subdirectory', () => w.gatewayNames().join() === 'b,c2', within1s.timeout);
});

test('FileProvider.watch: an editor saving by rename (write temp, rename over) is seen', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.yaml');
  writeFileSync(file, gateway('a'));
  // Watch the file itself (not its directory): the watch must survive the inode change.
  const w = await watching(t, [file]);
  for (const name of ['b', 'c']) {
    writeFileSync(path.join(dir, '.a.yaml.tmp'), gateway(name));
    renameSync(path.join(dir, '.a.yaml.tmp'), file);
    await waitFor(`save ${name}`, () => w.gatewayNames().join() === name, within1s.timeout);
  }
});

test('FileProvider.watch: a file given with -f that is deleted and created again', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.yaml');
  writeFileSync(file, gateway('a'));
  const w = await watching(t, [file]);
  rmSync(file);
  await waitFor('the deletion', () => w.latest().objects.length === 0 && w.latest().problems.length === 1, within1s.timeout);
  writeFileSync(file, gateway('back'));
  await waitFor('the new file', () => w.gatewayNames().join() === 'back', within1s.timeout);
});

test('FileProvider.watch: a burst of edits becomes one reload', async (t) => {
  const dir = tempDir(t);
  const files = Array.from({ length: 10 }, (_, i) => path.join(dir, `gw${i}.yaml`));
  files.forEach((f, i) => writeFileSync(f, gateway(`gw${i}`)));
  const w = await watching(t, [dir]);
  const reloadsBefore = w.provider.reloads;

  // 30 writes across 10 files, with no pause in between.
  for (let round = 0; round < 3; round++) files.forEach((f, i) => writeFileSync(f, gateway(`gw${i}-r${round}`)));

  await waitFor('the reload', () => w.loads.length > 0 && w.provider.idle, within1s.timeout);
  assert.equal(w.loads.length, 1, 'one rebuild for the whole burst');
  assert.equal(w.provider.reloads - reloadsBefore, 1);
  assert.deepEqual(w.gatewayNames(), files.map((_, i) => `gw${i}-r2`).sort());
});

test('FileProvider.watch: nothing is reported when nothing changed', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.yaml'), gateway('a'));
  const w = await watching(t, [dir]);
  // A file Portico does not read still wakes the watcher; the reload finds no change.
  writeFileSync(path.join(dir, 'notes.txt'), 'hello');
  await waitFor('the reload', () => w.provider.reloads > 1 && w.provider.idle, within1s.timeout);
  assert.equal(w.loads.length, 0);
});

test('FileProvider.watch: a directory given as a relative path with a trailing slash', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.yaml'), gateway('a'));
  const relative = `${path.relative(process.cwd(), dir)}/`;
  const w = await watching(t, [relative]);
  assert.ok(w.first.files[0]?.startsWith(path.relative(process.cwd(), dir)), 'files named as the user gave them');
  writeFileSync(path.join(dir, 'b.yaml'), gateway('b'));
  await waitFor('the new file', () => w.gatewayNames().join() === 'a,b', within1s.timeout);
  writeFileSync(path.join(dir, 'b.yaml'), gateway('b2'));
  await waitFor('the edit', () => w.gatewayNames().join() === 'a,b2', within1s.timeout);
});

import assert from 'node:assert/strict';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FileLoader, mergeFileResults } from '../../../../src/providers/file/loader.js';
import { formatProblem } from '../../../../src/providers/file/problem.js';
import { FakeValidator, gateway, tempDir } from './support.js';

const names = (objects: { metadata: { name: string } }[]): string[] => objects.map((o) => o.metadata.name);

test('FileLoader: loads a tree of YAML and JSON files in path order with their locations', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'b.yaml'), `${gateway('b1')}---\n${gateway('b2')}`);
  writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }));
  writeFileSync(path.join(dir, 'sub', 'c.yml'), gateway('c'));
  const result = await new FileLoader({ paths: [dir], validator: new FakeValidator() }).load();
  assert.deepEqual(names(result.objects), ['a', 'b1', 'b2', 'c']);
  assert.deepEqual(result.problems, []);
  const b2 = result.objects[2];
  assert.ok(b2);
  assert.deepEqual(result.sources.get(b2), { file: path.join(dir, 'b.yaml'), document: 2, line: 12 });
  assert.equal(result.files.length, 3);
  assert.equal(result.filesParsed, 3);
  assert.equal(result.changed, true);
});

test('FileLoader: kinds Portico does not use are counted once per kind, not per object', async (t) => {
  const dir = tempDir(t);
  const deployment = (n: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${n}}\n`;
  writeFileSync(path.join(dir, 'a.yaml'), `${deployment('x')}---\n${deployment('y')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n`);
  writeFileSync(path.join(dir, 'b.yaml'), deployment('z'));
  const result = await new FileLoader({ paths: [dir], validator: new FakeValidator() }).load();
  assert.deepEqual(
    result.skippedKinds.map((k) => [k.kind, k.count, path.basename(k.first.file), k.first.document]),
    [
      ['Deployment', 3, 'a.yaml', 1],
      ['Pod', 1, 'a.yaml', 3],
    ],
  );
  assert.deepEqual(result.problems, []);
});

test('FileLoader: the same object in two files is a problem naming both; the first path wins', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'b.yaml'), gateway('web', '  addresses: [{type: IPAddress, value: 10.0.0.2}]'));
  writeFileSync(path.join(dir, 'a.yaml'), `${gateway('other')}---\n${gateway('web')}`);
  const result = await new FileLoader({ paths: [dir], validator: new FakeValidator() }).load();
  assert.deepEqual(names(result.objects), ['other', 'web']);
  assert.equal((result.objects[1]?.spec as { addresses?: unknown }).addresses, undefined);
  assert.deepEqual(result.problems.map(formatProblem), [
    `${path.join(dir, 'b.yaml')}:1  Gateway default/web  duplicate: already defined at ${path.join(dir, 'a.yaml')}:2, which is kept; this one is ignored`,
  ]);
});

test('FileLoader: default and explicit "default" namespace are the same object', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.yaml'), `${gateway('web')}---\n${gateway('web').replace('name: web', 'name: web\n  namespace: default')}`);
  const result = await new FileLoader({ paths: [dir], validator: new FakeValidator() }).load();
  assert.equal(result.objects.length, 1);
  assert.equal(result.problems.length, 1);
});

test('FileLoader: refused objects are left out and everything else loads', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.yaml'), `${gateway('good')}---\n${gateway('bad', '  invalid: true')}---\nnot: [valid\n`);
  const result = await new FileLoader({ paths: [dir], validator: new FakeValidator() }).load();
  assert.deepEqual(names(result.objects), ['good']);
  assert.equal(result.problems.length, 2);
});

test('FileLoader: a missing path is a problem', async (t) => {
  const dir = tempDir(t);
  const result = await new FileLoader({ paths: [path.join(dir, 'gone.yaml')], validator: new FakeValidator() }).load();
  assert.deepEqual(result.problems.map(formatProblem), [`${path.join(dir, 'gone.yaml')}: no such file or directory`]);
});

test('FileLoader: a reload re-parses only the changed file and says whether anything changed', async (t) => {
  const dir = tempDir(t);
  for (let i = 0; i < 20; i++) writeFileSync(path.join(dir, `gw${String(i).padStart(2, '0')}.yaml`), gateway(`gw${i}`));
  const validator = new FakeValidator();
  const loader = new FileLoader({ paths: [dir], validator });
  const first = await loader.load();
  assert.equal(first.filesParsed, 20);
  assert.equal(validator.calls, 20);

  const again = await loader.load();
  assert.equal(again.changed, false);
  assert.equal(again.filesParsed, 0);
  assert.equal(again.objects[3], first.objects[3], 'unchanged objects keep their identity');

  writeFileSync(path.join(dir, 'gw05.yaml'), gateway('gw5', '  invalid: true'));
  const edited = await loader.load();
  assert.equal(edited.changed, true);
  assert.equal(edited.filesParsed, 1);
  assert.equal(validator.calls, 21);
  assert.equal(edited.objects.length, 19);

  // Same bytes, new mtime: read again but not parsed again.
  const future = new Date(Date.now() + 5000);
  utimesSync(path.join(dir, 'gw00.yaml'), future, future);
  const touched = await loader.load();
  assert.equal(touched.changed, false);
  assert.equal(touched.filesParsed, 0);

  rmSync(path.join(dir, 'gw01.yaml'));
  const removed = await loader.load();
  assert.equal(removed.changed, true);
  assert.equal(removed.objects.length, 18);
});

test('mergeFileResults: duplicates inside one file keep the earlier document', () => {
  const location = (document: number) => ({ file: 'a.yaml', document, line: 1 });
  const obj = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const merged = mergeFileResults([
    {
      entries: [
        { key: 'Namespace//x', subject: 'Namespace x', location: location(1), object: obj('x') },
        { key: 'Namespace//x', subject: 'Namespace x', location: location(2), object: obj('x') },
      ],
      problems: [],
      warnings: [],
      skipped: [],
    },
  ]);
  assert.equal(merged.objects.length, 1);
  assert.equal(merged.sources.get(merged.objects[0]!)?.document, 1);
  assert.deepEqual(merged.problems.map(formatProblem), ['a.yaml:2  Namespace x  duplicate: already defined at a.yaml:1, which is kept; this one is ignored']);
});

test('FileLoader.load(changedPaths): looks only at the paths that changed', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.yaml'), gateway('a'));
  writeFileSync(path.join(dir, 'b.yaml'), gateway('b'));
  const validator = new FakeValidator();
  const loader = new FileLoader({ paths: [dir], validator });
  await loader.load();

  // Edited file.
  writeFileSync(path.join(dir, 'a.yaml'), gateway('a2'));
  const edited = await loader.load([path.join(dir, 'a.yaml')]);
  assert.equal(edited.changed, true);
  assert.equal(edited.filesParsed, 1);
  assert.deepEqual(names(edited.objects), ['a2', 'b']);

  // A changed path that was not edited in a way that matters, and names Portico ignores.
  writeFileSync(path.join(dir, '.a.yaml.swp'), 'junk');
  writeFileSync(path.join(dir, 'notes.txt'), 'junk');
  const ignored = await loader.load([path.join(dir, 'b.yaml'), path.join(dir, '.a.yaml.swp'), path.join(dir, 'notes.txt'), path.join(dir, 'gone.yaml')]);
  assert.equal(ignored.changed, false);
  assert.equal(ignored.filesParsed, 0);

  // New file, sorted into place.
  writeFileSync(path.join(dir, 'a1.yaml'), gateway('a1'));
  const added = await loader.load([path.join(dir, 'a1.yaml')]);
  assert.deepEqual(added.files.map((f) => path.basename(f)), ['a.yaml', 'a1.yaml', 'b.yaml']);
  assert.deepEqual(names(added.objects), ['a2', 'a1', 'b']);

  // Deleted file.
  rmSync(path.join(dir, 'a.yaml'));
  const removed = await loader.load([path.join(dir, 'a.yaml')]);
  assert.deepEqual(names(removed.objects), ['a1', 'b']);

  // A new directory means a full scan, which finds what is inside.
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'sub', 'c.yaml'), gateway('c'));
  const scanned = await loader.load([path.join(dir, 'sub')]);
  assert.deepEqual(names(scanned.objects), ['a1', 'b', 'c']);
  assert.deepEqual(scanned.directories.map((d) => path.relative(dir, d)), ['', 'sub']);
  assert.equal(validator.calls, 5);
});

test('FileLoader.load(changedPaths): a -f file that disappears is reported missing', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.yaml');
  writeFileSync(file, gateway('a'));
  const loader = new FileLoader({ paths: [file], validator: new FakeValidator() });
  await loader.load();
  rmSync(file);
  const gone = await loader.load([file]);
  assert.equal(gone.objects.length, 0);
  assert.deepEqual(gone.problems.map(formatProblem), [`${file}: no such file or directory`]);
  writeFileSync(file, gateway('back'));
  assert.deepEqual(names((await loader.load([file])).objects), ['back']);
});

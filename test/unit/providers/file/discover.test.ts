import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { discoverFiles, isSourceFile, normalizePath } from '../../../../src/providers/file/discover.js';
import { tempDir } from './support.js';

test('isSourceFile: .yaml, .yml and .json only', () => {
  assert.deepEqual(['a.yaml', 'a.yml', 'a.json', 'a.txt', 'a.yaml~', 'a.yaml.swp'].map(isSourceFile), [true, true, true, false, false, false]);
});

test('discoverFiles: walks directories recursively, skips other extensions and dot names', async (t) => {
  const dir = tempDir(t);
  for (const f of ['b.yaml', 'a.yml', 'c.json', 'notes.txt', '.hidden.yaml', 'sub/d.yaml', 'sub/deeper/e.yaml', '.git/x.yaml']) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), '');
  }
  const found = await discoverFiles([dir]);
  assert.deepEqual(
    found.files.map((f) => path.relative(dir, f)),
    ['a.yml', 'b.yaml', 'c.json', 'sub/d.yaml', 'sub/deeper/e.yaml'],
  );
  assert.deepEqual(found.directories.map((d) => path.relative(dir, d)), ['', 'sub', 'sub/deeper']);
  assert.deepEqual(found.missing, []);
});

test('discoverFiles: explicit files are read whatever their extension; repeats collapse', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'objects.txt'), '');
  writeFileSync(path.join(dir, 'a.yaml'), '');
  const found = await discoverFiles([path.join(dir, 'objects.txt'), dir, `${dir}/./a.yaml`]);
  assert.deepEqual(found.files.map((f) => path.relative(dir, f)), ['a.yaml', 'objects.txt']);
});

test('discoverFiles: missing paths are reported, the rest still found', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.yaml'), '');
  const found = await discoverFiles([path.join(dir, 'nope'), dir]);
  assert.equal(found.files.length, 1);
  assert.deepEqual(found.missing, [{ path: path.join(dir, 'nope'), message: 'no such file or directory' }]);
});

test('discoverFiles: follows symbolic links and survives a link loop', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'real'));
  writeFileSync(path.join(dir, 'real', 'x.yaml'), '');
  symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'));
  symlinkSync(dir, path.join(dir, 'real', 'loop'));
  const found = await discoverFiles([dir]);
  // The directory is walked once, under whichever name is reached first.
  assert.equal(found.files.length, 1);
  assert.match(found.files[0] ?? '', /x\.yaml$/);
});

test('normalizePath: one spelling per path', () => {
  assert.equal(normalizePath('dir/'), 'dir');
  assert.equal(normalizePath('./dir//sub/../a.yaml'), 'dir/a.yaml');
  assert.equal(normalizePath('/'), '/');
  assert.equal(normalizePath('.'), '.');
});

test('discoverFiles: a root with a trailing slash gives the same paths as without', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.yaml'), '');
  assert.deepEqual(await discoverFiles([`${dir}/`]), await discoverFiles([dir]));
});

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { TreeWatcher } from '../../../../src/providers/file/watcher.js';
import { tempDir, waitFor } from './support.js';

test('TreeWatcher: reports changes in watched directories and stops when unwatched', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'sub'));
  let events = 0;
  const changed: (string | undefined)[] = [];
  const watcher = new TreeWatcher((p) => {
    events++;
    changed.push(p);
  });
  t.after(() => watcher.close());
  assert.equal(watcher.sync({ directories: [dir, path.join(dir, 'sub')], names: new Map() }), 2);
  assert.deepEqual(watcher.watchedDirectories, [dir, path.join(dir, 'sub')].sort());

  writeFileSync(path.join(dir, 'sub', 'a.yaml'), 'x: 1');
  await waitFor('an event from sub/', () => events > 0);
  assert.equal(changed[0], path.join(dir, 'sub', 'a.yaml'), 'the changed path, in the form the directory was given');

  assert.equal(watcher.sync({ directories: [dir], names: new Map() }), 0);
  assert.deepEqual(watcher.watchedDirectories, [dir]);
});

test('TreeWatcher: in a directory watched for some names, other names are ignored', async (t) => {
  const dir = tempDir(t);
  let events = 0;
  const watcher = new TreeWatcher(() => events++);
  t.after(() => watcher.close());
  watcher.sync({ directories: [], names: new Map([[dir, new Set(['wanted.yaml'])]]) });
  for (let i = 0; i < 5; i++) writeFileSync(path.join(dir, 'other.yaml'), `x: ${i}`);
  writeFileSync(path.join(dir, 'wanted.yaml'), 'x: 1');
  await waitFor('an event for wanted.yaml', () => events > 0);
  // inotify delivers in order: had other.yaml counted, its events would have come first.
  assert.ok(events <= 2, `${events} events`);
});

test('TreeWatcher: a directory that does not exist is not watched and is no error', (t) => {
  const dir = tempDir(t);
  const errors: Error[] = [];
  const watcher = new TreeWatcher(() => {}, (_dir, err) => errors.push(err));
  assert.equal(watcher.sync({ directories: [path.join(dir, 'nope')], names: new Map() }), 0);
  assert.deepEqual(errors, []);
  watcher.close();
});

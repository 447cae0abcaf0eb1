import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stateDirName } from '../../../src/haproxy/dataplane.js';
import { prepareStateDir, sweepStateDir } from '../../../src/haproxy/state-dir.js';

test('prepareStateDir: creates the directory 0700, and takes group and other permissions from an existing one', (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'portico-state-test-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const fresh = path.join(root, 'fresh');
  prepareStateDir(fresh);
  assert.equal(statSync(fresh).mode & 0o777, 0o700);
  const open = path.join(root, 'open');
  mkdirSync(open, { mode: 0o755 });
  prepareStateDir(open);
  assert.equal(statSync(open).mode & 0o777, 0o700);
  writeFileSync(path.join(root, 'file'), '');
  assert.throws(() => prepareStateDir(path.join(root, 'file')), /not a directory|EEXIST|ENOTDIR/);
});

test('sweepStateDir: removes Gateway directories left by a crash (private keys included), keeps a running one and anything else', (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'portico-state-test-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const left = path.join(root, stateDirName('default/web'));
  mkdirSync(path.join(left, 'gen-3'), { recursive: true });
  writeFileSync(path.join(left, 'gen-3', 'cert.pem'), '-----BEGIN PRIVATE KEY-----');
  writeFileSync(path.join(left, 'haproxy.pid'), '999999999');
  const running = path.join(root, stateDirName('default/api'));
  mkdirSync(running);
  writeFileSync(path.join(running, 'haproxy.pid'), String(process.pid));
  const other = path.join(root, 'notes');
  mkdirSync(other);
  assert.deepEqual(sweepStateDir(root), [path.basename(left)]);
  assert.equal(existsSync(left), false);
  assert.equal(existsSync(running), true);
  assert.equal(existsSync(other), true);
});

// `portico run --log-format`: what a person watching stderr sees, and that JSON lines stay JSON.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { test } from 'node:test';
import { cliArgs, projectRoot, runCli, startRun, waitFor } from './support.js';

/** HH:MM:SS.mmm, a level padded to five, the message. */
const TEXT_LINE = /^\d\d:\d\d:\d\d\.\d{3} (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) /;

test('portico run --log-format text: readable lines without colour on a pipe, from start to stop', async (t) => {
  const child = spawn(process.execPath, [...cliArgs(), 'run', '-f', 'examples/basic', '--admin', '127.0.0.1:0', '--data-plane', 'none', '--log-format', 'text'], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  const url = await waitFor('the admin address in a text line', () => /^\S+ INFO {2}admin API listening on (http:\/\/127\.0\.0\.1:\d+) url=\1$/m.exec(stderr)?.[1], 15000);
  await waitFor('readiness', async () => (await fetch(`${url}/readyz`)).status === 200, 15000, { retryErrors: true });
  await waitFor('the load line', () => /^\S+ INFO {2}loaded 6 objects from 3 files objects=6 byKind=\{"[^ ]*\} files=3 /m.test(stderr), 5000);

  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  const lines = stderr.split('\n').filter(Boolean);
  assert.match(lines.at(-1) ?? '', /^\S+ INFO {2}stopped$/);
  for (const line of lines) assert.match(line, TEXT_LINE);
  assert.ok(!stderr.includes('\x1b'), 'no colour codes when stderr is not a terminal');
});

test('portico run --log-format text: a start-up failure is written as a FATAL line with its stack before the process exits', async (t) => {
  // Hold a port so that the admin API cannot bind it.
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.after(() => holder.close());
  const { port } = holder.address() as net.AddressInfo;

  const r = await runCli(['run', '-f', 'examples/basic', '--admin', `127.0.0.1:${port}`, '--data-plane', 'none', '--log-format', 'text']);
  assert.equal(r.code, 1, r.stderr);
  const where = `127\\.0\\.0\\.1:${port}`;
  const fatal = new RegExp(`^\\S+ FATAL admin API cannot listen on ${where}: address already in use err="admin API cannot listen on ${where}: [^"]*"\\n {4}Error: admin API cannot listen on ${where}.*\\n {8}at `, 'm');
  assert.match(r.stderr, fatal);
  assert.match(r.stderr.trimEnd().split('\n').at(-1) ?? '', /^ {8}at /, 'the stack is the last thing written');
});

test('portico run: every stderr line is a JSON object by default on a pipe, and with --log-format json', async (t) => {
  for (const flags of [[], ['--log-format', 'json']]) {
    const portico = await startRun(['-f', 'examples/basic', ...flags]);
    t.after(() => portico.stop());
    await waitFor('readiness', async () => (await fetch(`${portico.url}/readyz`)).status === 200, 15000);
    assert.equal(await portico.stop(), 0);
    // startRun keeps the lines that parse as JSON; every line written must be one of them.
    assert.ok(portico.stderr.length > 3, flags.join(' '));
    assert.equal(portico.stderr.length, portico.logs.length, portico.stderr.join('\n'));
    assert.ok(portico.logs.some((l) => l.msg === 'stopped' && l.level === 30 && l.name === 'portico'), flags.join(' '));
  }
});

// The managed HAProxy process (src/haproxy/process.ts) against the real haproxy binary: start,
// seamless reloads under traffic, refused configurations, the runtime API, crash restarts, stop.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test, type TestContext } from 'node:test';
import { findHaproxy, parentDeathPrefix } from '../../src/haproxy/binary.js';
import { alertSummary } from '../../src/haproxy/output.js';
import { commandLine, isAlive, signal } from '../../src/haproxy/pids.js';
import { defaultsSection, globalSection } from '../../src/haproxy/instance-config.js';
import { HaproxyInstance, type HaproxyState } from '../../src/haproxy/process.js';
import { LONGEST_INTERNAL_SOCKET_NAME } from '../../src/haproxy/internal-socket.js';
import { parseShowProc } from '../../src/haproxy/show-proc.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { waitFor } from '../support/fs-wait.js';
import { freePort } from '../support/free-port.js';

const haproxy = await findHaproxy();
const skip = haproxy ? false : 'haproxy (2.6 or later) is not installed; scripts/setup.sh installs it';
const canDieWithParent = (await parentDeathPrefix()).length > 0;

// ---- helpers ----


interface Reply {
  status: number;
  body: string;
}

function get(url: string, agent: http.Agent | false = false, timeoutMs = 2000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** The body served at `url`, or undefined when nothing answers. */
const bodyAt = (url: string): Promise<string | undefined> => get(url, false, 500).then((r) => r.body, () => undefined);

function connectRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

/** Live (non-zombie) processes whose command line mentions `dir`: HAProxy processes of one instance. */
function processesOf(dir: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => pid !== process.pid && commandLine(pid).includes(dir) && isAlive(pid));
}

function config(dir: string, frontends: string[], backends: string[] = []): string {
  return [
    'global',
    ...globalSection(dir).map((l) => `  ${l}`),
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 10s',
    '  timeout server 10s',
    '  timeout http-keep-alive 10s',
    ...defaultsSection().map((l) => `  ${l}`),
    ...frontends,
    ...backends,
    '',
  ].join('\n');
}

/** A frontend answering every request with `text`. */
function answering(port: number, text: string): string {
  return `frontend fe\n  bind 127.0.0.1:${port}\n  http-request return status 200 content-type text/plain string "${text}"`;
}

function files(dir: string, port: number, text: string): { config: string; extra: Record<string, string> } {
  return { config: config(dir, [answering(port, text)]), extra: {} };
}

interface Setup {
  instance: HaproxyInstance;
  dir: string;
  port: number;
  url: string;
  states: HaproxyState[];
}

/** An instance in a temporary directory; after the test: stopped, checked to leave no process, removed. */
async function setup(t: TestContext): Promise<Setup> {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-hap-'));
  const states: HaproxyState[] = [];
  const logger = process.env.PORTICO_TEST_LOG ? createLogger({ level: 'debug' }) : silentLogger();
  const instance = new HaproxyInstance({ name: 'test/gw', dir, logger, onStateChange: (s) => states.push(s) });
  t.after(async () => {
    try {
      await instance.stop();
      assert.deepEqual(processesOf(dir), [], 'no HAProxy process of this instance is left');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  const port = await freePort();
  return { instance, dir, port, url: `http://127.0.0.1:${port}/`, states };
}

async function startServer(t: TestContext, text: string): Promise<number> {
  const server = http.createServer((_req, res) => res.end(text));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  server.unref();
  return (server.address() as net.AddressInfo).port;
}

/**
 * A separate Node process that starts an HAProxy instance, prints its pids, then idles until a
 * line on stdin makes it exit without stop(), or until it is killed. It runs the sources through
 * tsx or the compiled files, like this file itself.
 */
function nodeWithHaproxy(dir: string, port: number): { child: ReturnType<typeof spawn>; pids: Promise<{ ok: boolean; master: number; worker: number }> } {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const script = `
    const { HaproxyInstance } = await import(${JSON.stringify(new URL(`../../src/haproxy/process.${ext}`, import.meta.url).href)});
    const { globalSection } = await import(${JSON.stringify(new URL(`../../src/haproxy/instance-config.${ext}`, import.meta.url).href)});
    const { silentLogger } = await import(${JSON.stringify(new URL(`../../src/log.${ext}`, import.meta.url).href)});
    const dir = process.env.HAP_DIR;
    const instance = new HaproxyInstance({ name: 'test/orphan', dir, logger: silentLogger() });
    const config = ['global', ...globalSection(dir), 'defaults', 'mode http', 'timeout client 5s', 'timeout connect 5s', 'timeout server 5s',
      'frontend fe', 'bind 127.0.0.1:' + process.env.HAP_PORT, 'http-request return status 200'].join('\\n') + '\\n';
    const result = await instance.apply({ config, extra: {} });
    console.log(JSON.stringify({ ok: result.ok, master: instance.masterPid, worker: instance.workerPid }));
    process.stdin.once('data', () => process.exit(0));
  `;
  const loader = ext === 'ts' ? ['--import', import.meta.resolve('tsx')] : [];
  const child = spawn(process.execPath, [...loader, '--input-type=module', '-e', script], {
    env: { ...process.env, HAP_DIR: dir, HAP_PORT: String(port) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const pids = new Promise<{ ok: boolean; master: number; worker: number }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as { ok: boolean; master: number; worker: number }));
    child.once('exit', (code) => reject(new Error(`node exited (${code}) before starting HAProxy`)));
  });
  return { child, pids };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

// ---- output parsing (no haproxy needed) ----

test('show proc and HAProxy messages as 2.6 prints them', () => {
  const text = [
    '#<PID>          <type>          <reloads>       <uptime>        <version>      ',
    '13837           master          1 [failed: 1]   0d00h00m05s     2.6.12-1+deb12u4',
    '# workers',
    '13999           worker          0               0d00h00m01s     2.6.12-1+deb12u4',
    '# old workers',
    '13839           worker          1               0d00h00m05s     2.6.12-1+deb12u4',
    '# programs',
    '',
  ].join('\n');
  assert.deepEqual(parseShowProc(text), {
    master: { pid: 13837, reloads: 1, failedReloads: 1 },
    workers: [{ pid: 13999, reloads: 0 }],
    oldWorkers: [{ pid: 13839, reloads: 1 }],
  });
  const check = [
    '[NOTICE]   (14150) : haproxy version is 2.6.12-1+deb12u4',
    "[ALERT]    (14150) : config : Proxy 'fe': unable to find required use_backend: 'x'.",
    "[WARNING]  (14150) : config : missing timeouts for frontend 'fe'.",
    '   | While not properly invalid, you will certainly encounter various problems',
    '[ALERT]    (14150) : config : Fatal errors found in configuration.',
  ].join('\n');
  assert.equal(alertSummary(check), "config : Proxy 'fe': unable to find required use_backend: 'x'.\nconfig : Fatal errors found in configuration.");
});

test('a state directory too long for HAProxy\'s sockets is refused by apply(), not the constructor', async () => {
  const dir = path.join(tmpdir(), 'x'.repeat(100));
  const instance = new HaproxyInstance({ name: 'test/long', dir, logger: silentLogger() });
  const result = await instance.apply({ config: config(dir, []), extra: {} });
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.message, /socket path .* is longer than 95 bytes/);
});

test('the state directory is refused only when the longest internal socket would not fit', async (t) => {
  const room = 95 - Buffer.byteLength(`/${LONGEST_INTERNAL_SOCKET_NAME}.sock`);
  const base = mkdtempSync(path.join(tmpdir(), 'portico-len-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const padded = (length: number) => path.join(base, 'x'.repeat(length - base.length - 1));
  // One byte too long: refused before HAProxy starts.
  const long = new HaproxyInstance({ name: 'test/long', dir: padded(room + 1), logger: silentLogger() });
  const refused = await long.apply({ config: config(padded(room + 1), []), extra: {} });
  assert.match(refused.ok ? '' : refused.message, /socket path .* is longer than 95 bytes/);
  // Exactly the room: HAProxy runs there.
  const fits = new HaproxyInstance({ name: 'test/fits', dir: padded(room), logger: silentLogger() });
  try {
    const applied = await fits.apply({ config: config(padded(room), []), extra: {} });
    assert.equal(applied.ok, true, applied.ok ? '' : applied.message);
  } finally {
    await fits.stop();
  }
});

// ---- the real thing ----

describe('managed HAProxy process', { skip, timeout: 120_000 }, () => {
  test('starts, serves, reloads on a change and not on the same files', async (t) => {
    const { instance, dir, port, url, states } = await setup(t);
    assert.deepEqual(await instance.apply(files(dir, port, 'gen-1')), { ok: true, reloaded: false });
    assert.equal(instance.running, true);
    assert.equal(await bodyAt(url), 'gen-1');
    const firstWorker = instance.workerPid;

    const started = performance.now();
    assert.deepEqual(await instance.apply(files(dir, port, 'gen-2')), { ok: true, reloaded: true });
    t.diagnostic(`apply with reload: ${(performance.now() - started).toFixed(0)} ms (haproxy -c, reload, confirmation)`);
    // Resolved only once the new worker runs: the very next request gets the new answer.
    assert.equal(await bodyAt(url), 'gen-2');
    assert.notEqual(instance.workerPid, firstWorker);

    assert.deepEqual(await instance.apply(files(dir, port, 'gen-2')), { ok: true, reloaded: false });
    assert.deepEqual(states, ['running']);
  });

  test('a configuration HAProxy refuses leaves the old one serving, in HAProxy\'s words', async (t) => {
    const { instance, dir, port, url } = await setup(t);
    assert.equal((await instance.apply(files(dir, port, 'good'))).ok, true);
    const worker = instance.workerPid;
    const bad = files(dir, port, 'bad');
    bad.config = bad.config.replace('http-request return', 'http-request frobnicate');
    const result = await instance.apply(bad);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /parsing \[.*haproxy\.cfg:\d+\].*'http-request' expects .* but got 'frobnicate'/);
    assert.doesNotMatch(result.ok ? '' : result.message, /NOTICE|haproxy version is/);
    assert.equal(await bodyAt(url), 'good');
    assert.equal(instance.workerPid, worker, 'no reload happened');
    assert.match(readFileSync(instance.configFile, 'utf8'), /string "good"/);
  });

  test('a reload that fails at bind time keeps the old workers and the last good config', async (t) => {
    const { instance, dir, port, url } = await setup(t);
    const taken = await startServer(t, 'someone else'); // passes haproxy -c, fails at bind
    assert.equal((await instance.apply(files(dir, port, 'good'))).ok, true);
    const clash = { config: config(dir, [answering(port, 'clash'), `frontend other\n  bind 127.0.0.1:${taken}\n  http-request return status 200`]), extra: {} };
    const result = await instance.apply(clash);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /cannot bind socket/);
    // The message points at the refused generation's copy, not at the live file (the last good one again).
    assert.match(result.ok ? '' : result.message, /\/gen-2\/haproxy\.cfg:\d+/);
    assert.equal(await bodyAt(url), 'good');
    assert.match(readFileSync(instance.configFile, 'utf8'), /string "good"/, 'the live file is the last good one again');
    // The master is fine after the failed reload: the next good config reloads.
    assert.deepEqual(await instance.apply(files(dir, port, 'after')), { ok: true, reloaded: true });
    assert.equal(await bodyAt(url), 'after');
  });

  test('a first start that fails reports HAProxy\'s words and leaves nothing running', async (t) => {
    const { instance, dir, port, url, states } = await setup(t);
    const taken = await startServer(t, 'someone else');
    const result = await instance.apply(files(dir, taken, 'clash'));
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /cannot bind socket \(Address already in use\)/);
    assert.equal(instance.running, false);
    assert.deepEqual(processesOf(dir), []);
    assert.deepEqual(states, [], 'never running, so never restarting');
    assert.deepEqual(await instance.apply(files(dir, port, 'second try')), { ok: true, reloaded: false });
    assert.equal(await bodyAt(url), 'second try');
  });

  test('extra files are written beside their config and found by absolute path', async (t) => {
    const { instance, dir, port, url } = await setup(t);
    const withMap = (answer: string): { config: string; extra: Record<string, string> } => ({
      config: config(dir, [
        `frontend fe\n  bind 127.0.0.1:${port}\n  http-request return status 200 content-type text/plain lf-string "%[path,map(${instance.configDir}/paths.map,none)]"`,
      ]),
      extra: { 'paths.map': `/a ${answer}\n` },
    });
    assert.equal((await instance.apply(withMap('alpha'))).ok, true);
    assert.equal(await bodyAt(`${url}a`), 'alpha');
    for (const answer of ['beta', 'gamma', 'delta']) assert.deepEqual(await instance.apply(withMap(answer)), { ok: true, reloaded: true });
    assert.equal(await bodyAt(`${url}a`), 'delta');
    const live = readFileSync(instance.configFile, 'utf8');
    const target = readlinkSync(path.join(dir, 'current'));
    assert.ok(live.includes(path.join(dir, target, 'paths.map')), 'the live config names its own generation directory');
    const gens = readdirSync(dir).filter((n) => n.startsWith('gen-'));
    assert.ok(gens.length <= 2, `old generations are pruned: ${gens.join(' ')}`);
  });

  test('50 reloads under continuous traffic fail no request', async (t) => {
    const { instance, dir, port, url } = await setup(t);
    assert.equal((await instance.apply(files(dir, port, 'gen-0'))).ok, true);
    let running = true;
    let requests = 0;
    const failures: string[] = [];
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const client = async (agent: http.Agent | false): Promise<void> => {
      while (running) {
        try {
          const r = await get(url, agent);
          if (r.status !== 200 || !r.body.startsWith('gen-')) failures.push(`status ${r.status}: ${r.body}`);
        } catch (e) {
          failures.push((e as Error).message);
        }
        requests++;
      }
    };
    // Two clients opening a connection per request, two sharing two keep-alive connections.
    const clients = [client(false), client(false), client(keepAlive), client(keepAlive)];
    const times: number[] = [];
    try {
      for (let i = 1; i <= 50; i++) {
        const started = performance.now();
        const result = await instance.apply(files(dir, port, `gen-${i}`));
        times.push(performance.now() - started);
        assert.deepEqual(result, { ok: true, reloaded: true });
      }
      assert.equal(await bodyAt(url), 'gen-50');
    } finally {
      running = false;
      await Promise.all(clients);
      keepAlive.destroy();
    }
    t.diagnostic(`${requests} requests during 50 reloads; apply median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`);
    assert.deepEqual(failures, []);
    assert.ok(requests > 500, `the clients kept sending (${requests} requests)`);
  });

  test('runtime API: show info, and set server addr moves traffic', async (t) => {
    const { instance, dir, port, url } = await setup(t);
    const a = await startServer(t, 'server A');
    const b = await startServer(t, 'server B');
    const cfg = config(dir, [`frontend fe\n  bind 127.0.0.1:${port}\n  default_backend be`], ['backend be\n  server s1 127.0.0.1:' + a]);
    assert.equal((await instance.apply({ config: cfg, extra: {} })).ok, true);
    const info = await instance.runtime('show info');
    assert.match(info, /^Name: HAProxy$/m);
    assert.match(info, new RegExp(`^Pid: ${instance.workerPid}$`, 'm'));
    assert.equal(await bodyAt(url), 'server A');
    const answer = await instance.runtime(`set server be/s1 addr 127.0.0.1 port ${b}`);
    assert.match(answer, new RegExp(`port changed from '${a}' to '${b}'`));
    await waitFor('traffic to reach server B', async () => (await bodyAt(url)) === 'server B', 2000);
    assert.equal(await bodyAt(url), 'server B');
  });

  for (const victim of ['master', 'worker'] as const) {
    test(`kill -9 of the ${victim}: serving again within 2 s`, async (t) => {
      const { instance, dir, port, url, states } = await setup(t);
      assert.equal((await instance.apply(files(dir, port, 'survivor'))).ok, true);
      const master = instance.masterPid;
      const pid = victim === 'master' ? instance.masterPid : instance.workerPid;
      assert.ok(master && pid);
      const killed = performance.now();
      process.kill(pid, 'SIGKILL');
      await waitFor(
        'a new HAProxy serving the last good config',
        async () => instance.masterPid !== undefined && instance.masterPid !== master && instance.running && (await bodyAt(url)) === 'survivor',
        2000,
      );
      t.diagnostic(`serving again ${(performance.now() - killed).toFixed(0)} ms after kill -9 of the ${victim}`);
      assert.deepEqual(states, ['running', 'restarting', 'running']);
      assert.equal(isAlive(master), false);
      // The restarted process is managed like the first: it still reloads.
      assert.deepEqual(await instance.apply(files(dir, port, 'after restart')), { ok: true, reloaded: true });
      assert.equal(await bodyAt(url), 'after restart');
    });
  }

  test('stop() closes the port and leaves no process or socket', async (t) => {
    const { instance, dir, port, url, states } = await setup(t);
    assert.equal((await instance.apply(files(dir, port, 'bye'))).ok, true);
    assert.equal(await bodyAt(url), 'bye');
    assert.notDeepEqual(processesOf(dir), []);
    await instance.stop();
    assert.equal(instance.running, false);
    assert.equal(await connectRefused(port), true);
    assert.deepEqual(processesOf(dir), []);
    const left = readdirSync(dir).filter((n) => n.endsWith('.sock') || n.endsWith('.pid'));
    assert.deepEqual(left, []);
    assert.deepEqual(states, ['running', 'stopped']);
  });

  test('stop() lets a request in progress finish, but does not wait for idle keep-alive connections', async (t) => {
    const { instance, dir, port, url } = await setup(t);
    const slow = http.createServer((_req, res) => setTimeout(() => res.end('slow answer'), 500));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => slow.close(resolve)));
    const backend = (slow.address() as net.AddressInfo).port;
    const cfg = config(dir, [`frontend fe\n  bind 127.0.0.1:${port}\n  default_backend be`], [`backend be\n  server s1 127.0.0.1:${backend}`]);
    assert.equal((await instance.apply({ config: cfg, extra: {} })).ok, true);
    const idle = new http.Agent({ keepAlive: true });
    t.after(() => idle.destroy());
    assert.equal((await get(url, idle)).body, 'slow answer'); // leaves one idle keep-alive connection

    const inFlight = get(url, false, 5000);
    await waitFor('the request to reach the backend', async () => /fe=fe /.test(await instance.runtime('show sess')), 2000);
    const started = performance.now();
    await instance.stop();
    const ms = performance.now() - started;
    assert.deepEqual(await inFlight, { status: 200, body: 'slow answer' });
    t.diagnostic(`stop() took ${ms.toFixed(0)} ms with one request in progress and one idle keep-alive connection`);
    assert.ok(ms < 2000, `stop() did not wait for the idle connection's timeout (${ms.toFixed(0)} ms)`);
    assert.equal(await connectRefused(port), true);
  });

  for (const end of ['exit', 'kill'] as const) {
    const what = end === 'exit' ? 'exits without calling stop()' : 'is killed with SIGKILL';
    const skipThis = end === 'kill' && !canDieWithParent ? 'needs util-linux setpriv --pdeathsig' : false;
    test(`Node that ${what} leaves no HAProxy behind`, { skip: skipThis }, async (t) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'portico-hap-'));
      const port = await freePort();
      const { child, pids } = nodeWithHaproxy(dir, port);
      const seen: number[] = [];
      t.after(() => {
        child.kill('SIGKILL');
        for (const pid of seen) signal(pid, 'SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      });
      const { master, worker } = await pids;
      seen.push(master, worker);
      assert.equal((await get(`http://127.0.0.1:${port}/`)).status, 200);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (end === 'kill') child.kill('SIGKILL');
      else child.stdin?.write('exit\n');
      await exited;
      await waitFor('HAProxy to exit with its Node process', () => !isAlive(master) && !isAlive(worker), 2000);
      assert.equal(await connectRefused(port), true);
    });
  }
});

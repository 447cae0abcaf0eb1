/**
 * bench/request-cost: CPU instructions HAProxy spends per proxied request, counted by valgrind's
 * callgrind, for Portico's rendered configuration (10 and 5,000 routes) and for a minimal
 * hand-written configuration to the same backend (the baseline). Instruction counts do not depend
 * on what else the machine is doing, so the ratio is repeatable where wrk's requests per second
 * are not. Each configuration runs twice, with N and 2N requests on one keep-alive connection;
 * the difference divided by N is the cost of one request, start-up excluded.
 * Needs haproxy and valgrind. Run: npm run build && node dist/bench/request-cost.js
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderGateway } from '../src/haproxy/render.js';
import { translate } from '../src/pipeline/translate.js';
import { ResourceSet } from '../src/store/resources.js';
import { PROXY_BENCH_BACKEND_CONFIG, proxyBenchBaselineConfig, proxyBenchRequest, proxyBenchSet } from './proxy-set.js';

const N = Number(process.env.BENCH_REQUESTS ?? 1000);

function writeConfig(dir: string, name: string, config: string, files: Record<string, string> = {}): string {
  const sub = path.join(dir, name);
  mkdirSync(sub, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(sub, f), text);
  writeFileSync(path.join(sub, 'haproxy.cfg'), config);
  return path.join(sub, 'haproxy.cfg');
}

function get(agent: http.Agent, address: string, host: string, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: address, port: 80, path: urlPath, headers: { host }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

async function untilAnswering(address: string, host: string, urlPath: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const agent = new http.Agent({ keepAlive: false });
    try {
      if ((await get(agent, address, host, urlPath)) === 200) return;
    } catch {
      // Not listening yet: tried again below.
    } finally {
      agent.destroy();
    }
    // Another answer than 200 waits and counts against the deadline too.
    if (Date.now() > deadline) throw new Error(`${address} did not answer 200 under valgrind`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Total instructions of one HAProxy process that served `requests` requests (plus one probe). */
async function instructions(config: string, address: string, host: string, urlPath: string, requests: number, out: string): Promise<number> {
  const child: ChildProcess = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, 'haproxy', '-db', '-f', config], { stdio: 'ignore' });
  try {
    await untilAnswering(address, host, urlPath);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < requests; i++) {
      const status = await get(agent, address, host, urlPath);
      if (status !== 200) throw new Error(`${address}${urlPath}: ${status}`);
    }
    agent.destroy();
  } finally {
    child.kill('SIGUSR1'); // soft stop: HAProxy exits cleanly, so callgrind writes its counts
    await new Promise((r) => child.once('exit', r));
  }
  const summary = /^summary:\s+(\d+)/m.exec(readFileSync(out, 'utf8'));
  if (!summary) throw new Error(`no callgrind summary in ${out}`);
  return Number(summary[1]);
}

async function perRequest(dir: string, name: string, config: string, address: string, host: string, urlPath: string): Promise<number> {
  const once = await instructions(config, address, host, urlPath, N, path.join(dir, `${name}.1.out`));
  const twice = await instructions(config, address, host, urlPath, 2 * N, path.join(dir, `${name}.2.out`));
  return (twice - once) / N;
}

async function main(): Promise<void> {
  if (spawnSync('valgrind', ['--version']).error) throw new Error('valgrind is not installed: apt-get install valgrind');
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-cost-'));
  const backend = spawn('haproxy', ['-db', '-f', writeConfig(dir, 'backend', PROXY_BENCH_BACKEND_CONFIG)], { stdio: 'ignore' });
  try {
    const baselineConfig = writeConfig(dir, 'baseline', proxyBenchBaselineConfig('127.0.93.1:80'));
    console.log(`bench/request-cost: callgrind instructions per request (${N} vs ${2 * N} requests on one keep-alive connection)`);
    const baseline = await perRequest(dir, 'baseline', baselineConfig, '127.0.93.1', 'host-5.example.com', '/');
    console.log(`| configuration | instructions per request | vs baseline |\n| --- | --- | --- |`);
    console.log(`| minimal config (baseline) | ${Math.round(baseline).toLocaleString('en')} | 1.00× |`);
    for (const routes of [10, 5000]) {
      const gw = translate(new ResourceSet(proxyBenchSet(routes)), { addressPool: '127.0.92.0/24' }).ir.gateways[0];
      if (!gw) throw new Error('no Gateway in the IR');
      const sub = path.join(dir, `portico-${routes}`);
      const rendered = renderGateway(gw, { dir: sub, globalLines: ['nbthread 1'] });
      const config = writeConfig(dir, `portico-${routes}`, rendered.config, rendered.files);
      const { host, path: urlPath } = proxyBenchRequest(routes);
      const cost = await perRequest(dir, `portico-${routes}`, config, '127.0.92.1', host, urlPath);
      console.log(`| Portico, ${routes.toLocaleString('en')} routes | ${Math.round(cost).toLocaleString('en')} | ${(cost / baseline).toFixed(2)}× |`);
    }
  } finally {
    backend.kill();
    // BENCH_KEEP=1 keeps the callgrind files, for callgrind_annotate.
    if (process.env.BENCH_KEEP === '1') console.log(`callgrind files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();

/**
 * bench/udp: the round trip of a UDP datagram through `portico run` (its UDP forwarder, since
 * HAProxy 2.6 has no UDP) against the same round trip straight to the echo server, measured in
 * the same run. One client sends a datagram and waits for the answer, N times in a row; a second
 * pass uses a new client socket (a new flow) per datagram.
 * Run: npm run build && node dist/bench/udp.js      # BENCH_ROUNDS=2000
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { resolveHaproxy } from '../src/haproxy/binary.js';
import { freePort } from '../test/support/free-port.js';
import { claimLoopbackPool, markdownTable, median } from './support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
const PORTICO_BIN = fileURLToPath(new URL('../../bin/portico.js', import.meta.url));

function once(socket: dgram.Socket, port: number, address: string, text: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const timer = setTimeout(() => reject(new Error(`no answer from ${address}:${port}`)), timeoutMs);
    socket.once('message', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
    socket.send(text, port, address);
  });
}

/** Round trips on one client socket, then on a fresh socket each (a new flow each time). */
async function measure(address: string, port: number): Promise<{ sameFlow: number[]; newFlow: number[] }> {
  const client = dgram.createSocket('udp4');
  const sameFlow: number[] = [];
  for (let i = 0; i < ROUNDS; i++) sameFlow.push(await once(client, port, address, `q${i}`, 2000));
  client.close();
  const newFlow: number[] = [];
  for (let i = 0; i < Math.min(ROUNDS, 500); i++) {
    const c = dgram.createSocket('udp4');
    newFlow.push(await once(c, port, address, `n${i}`, 2000));
    c.close();
  }
  return { sameFlow, newFlow };
}

const p99 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.99)] ?? NaN;

async function main(): Promise<void> {
  const echo = dgram.createSocket('udp4');
  echo.on('message', (msg, from) => echo.send(msg, from.port, from.address));
  await new Promise<void>((resolve) => echo.bind({ address: '127.0.0.1', port: 0 }, resolve));
  const echoPort = echo.address().port;
  const { pool, prefix, release } = claimLoopbackPool('bench-udp');
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-udp-'));
  const gatewayAddress = `${prefix}.10`;
  const objects = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'udp', namespace: 'default' }, spec: { gatewayClassName: 'portico', addresses: [{ type: 'IPAddress', value: gatewayAddress }], listeners: [{ name: 'echo', protocol: 'UDP', port: 5353 }] } },
    { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'UDPRoute', metadata: { name: 'echo', namespace: 'default' }, spec: { parentRefs: [{ name: 'udp' }], rules: [{ backendRefs: [{ name: 'echo', port: 53 }] }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo', namespace: 'default' }, spec: { ports: [{ name: 'dns', port: 53, targetPort: echoPort, protocol: 'UDP' }] } },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'echo-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'echo' } }, addressType: 'IPv4', ports: [{ name: 'dns', port: echoPort, protocol: 'UDP' }], endpoints: [{ addresses: ['127.0.0.1'] }] },
  ];
  writeFileSync(path.join(dir, 'udp.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  const haproxy = (await resolveHaproxy()).path;
  const admin = await freePort();
  const child = spawn(process.execPath, [PORTICO_BIN, 'run', '-f', dir, '--admin', `127.0.0.1:${admin}`, '--address-pool', pool, '--state-dir', path.join(dir, 'state'), '--haproxy', haproxy, '--log-level', 'warn'], { stdio: 'ignore' });
  try {
    const probe = dgram.createSocket('udp4');
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await once(probe, 5353, gatewayAddress, 'ready?', 200);
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
    probe.close();
    const direct = await measure('127.0.0.1', echoPort);
    const through = await measure(gatewayAddress, 5353);
    const us = (v: number) => `${(v * 1000).toFixed(0)} µs`;
    const row = (what: string, d: number[], p: number[]) => [what, us(median(d)), us(median(p)), `${(median(p) / median(d)).toFixed(2)}×`, us(p99(d)), us(p99(p))];
    console.log(`\n### UDP round trip through \`portico run\` (UDP forwarder) vs straight to the echo server, ${ROUNDS} datagrams\n`);
    console.log(markdownTable(['datagrams', 'direct p50', 'Portico p50', 'ratio', 'direct p99', 'Portico p99'], [row('one flow, back to back', direct.sameFlow, through.sameFlow), row('a new flow each', direct.newFlow, through.newFlow)]));
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    echo.close();
    release();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

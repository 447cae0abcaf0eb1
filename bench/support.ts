/** Helpers the traffic benchmarks share: a loopback /24 of their own, a cheap HTTP probe, statistics. */
import net from 'node:net';
export { claimLoopbackPool } from '../test/support/loopback-pool.js';


export interface ProbeAnswer {
  status: number;
  /** Headers and body as received (latin1), for a substring check. */
  text: string;
}

/**
 * One GET on a fresh connection with `Connection: close`, the answer read until the server
 * closes. Raw bytes rather than node:http: the probe runs in a tight loop in the process under
 * test, so it should cost as little CPU as possible. Status 0 means no HTTP answer (refused,
 * reset, timed out).
 */
export function probe(address: string, port: number, host: string, target = '/', timeoutMs = 2000): Promise<ProbeAnswer> {
  return new Promise<ProbeAnswer>((resolve) => {
    const socket = net.connect({ host: address, port });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

/** Nearest-rank percentile (p in 0..1) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** "12.3 ms" under 100 ms, "123 ms" above, "1.23 s" from a second on. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

/** A markdown table, columns padded so it also reads well in a terminal. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(Math.max(3, w)))), ...rows.map(line)].join('\n');
}

export const sleep = (msToWait: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msToWait));

/**
 * Loopback /24s for tests and benchmarks that run side by side (each in its own process): the
 * first free slot from a hash of a key is claimed with an exclusive lock file, released when done
 * (or taken over once its owner process is gone), so two of them never bind the same addresses.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A loopback /24 nobody else uses right now, e.g. 127.16.5.0/24 with prefix 127.16.5. */
export function claimLoopbackPool(key: string): { pool: string; prefix: string; release(): void } {
  const dir = path.join(tmpdir(), 'portico-traffic-pools');
  mkdirSync(dir, { recursive: true });
  const SLOTS = 240 * 256;
  const start = createHash('sha256').update(key).digest().readUInt32BE(0) % SLOTS;
  for (let i = 0; i < SLOTS; i++) {
    const slot = (start + i) % SLOTS;
    const prefix = `127.${16 + Math.floor(slot / 256)}.${slot % 256}`;
    const pool = `${prefix}.0/24`;
    const lock = path.join(dir, pool.replace(/[./]/g, '_'));
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch {
      if (ownerAlive(lock)) continue;
      writeFileSync(lock, String(process.pid));
    }
    return { pool, prefix, release: () => rmSync(lock, { force: true }) };
  }
  throw new Error('no free loopback /24');
}

function ownerAlive(lock: string): boolean {
  try {
    process.kill(Number(readFileSync(lock, 'utf8')), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

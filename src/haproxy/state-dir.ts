/**
 * The directory holding every Gateway's HAProxy files: configurations with other tenants' values,
 * private keys (PEM files), the runtime API socket. Only Portico's user may enter it.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from './pids.js';

/**
 * Creates the directory (0700) or checks an existing one: it must belong to this process's user
 * (a directory someone else made could be read or swapped by them), and loses any group or other
 * permission it has. Throws with the reason otherwise.
 */
export function prepareStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (!st.isDirectory()) throw new Error(`state directory ${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new Error(`state directory ${dir} belongs to user ${st.uid}, not to this process's user ${uid}: refusing to keep private keys there`);
  }
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** A Gateway's directory as stateDirName (dataplane.ts) names it: only those are swept. */
const GATEWAY_DIR = /^[^/]{1,20}-[0-9a-f]{10}$/;

/**
 * Removes what an earlier run left in the directory (a crash leaves configurations and private
 * keys behind): every Gateway directory except those whose HAProxy still runs, which the new run
 * stops itself (HaproxyInstance). Anything else in the directory is left alone. Returns the names
 * removed.
 */
export function sweepStateDir(dir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const entry = path.join(dir, name);
    if (!GATEWAY_DIR.test(name) || !statSync(entry, { throwIfNoEntry: false })?.isDirectory()) continue;
    let pid = Number.NaN;
    try {
      pid = Number(readFileSync(path.join(entry, 'haproxy.pid'), 'utf8').trim());
    } catch {
      // no pid file: nothing runs from here
    }
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    rmSync(entry, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

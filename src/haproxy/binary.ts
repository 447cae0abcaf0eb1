/** Finding the haproxy executable and telling which version it is. */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The oldest HAProxy whose process management (master CLI, show proc, fd passing) Portico relies on. */
export const MIN_VERSION = { major: 2, minor: 6 } as const;

export interface HaproxyBinary {
  path: string;
  /** As HAProxy prints it, e.g. "2.6.12-1+deb12u4". */
  version: string;
  major: number;
  minor: number;
}

// Debian puts haproxy in /usr/sbin, which is not on an ordinary user's PATH.
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable called `name` on PATH or in the sbin directories, as an absolute path. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const file = path.resolve(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/** Parses the first line of `haproxy -v` ("HAProxy version 2.6.12-1+deb12u4 2026/10/17 - ..."). */
export function parseVersion(output: string): Omit<HaproxyBinary, 'path'> | undefined {
  const m = /^HA-?Proxy version (\d+)\.(\d+)(\S*)/m.exec(output);
  if (!m) return undefined;
  return { version: `${m[1]}.${m[2]}${m[3]}`, major: Number(m[1]), minor: Number(m[2]) };
}

export function isSupported(v: { major: number; minor: number }): boolean {
  return v.major > MIN_VERSION.major || (v.major === MIN_VERSION.major && v.minor >= MIN_VERSION.minor);
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000 }, (error, stdout, stderr) => (error ? reject(error) : resolve(`${stdout}${stderr}`)));
  });
}

/**
 * The haproxy binary to run: `explicit` when given, otherwise the first one found. Rejects with a
 * plain explanation when there is none, it does not answer `-v`, or it is older than 2.6.
 */
export async function resolveHaproxy(explicit?: string): Promise<HaproxyBinary> {
  const file = explicit ?? findExecutable('haproxy');
  if (!file) throw new Error('haproxy is not installed (not on PATH nor in /usr/sbin); run scripts/setup.sh or install the haproxy package');
  let output: string;
  try {
    output = await run(file, ['-v']);
  } catch (e) {
    throw new Error(`cannot run ${file} -v: ${(e as Error).message}`);
  }
  const v = parseVersion(output);
  if (!v) throw new Error(`${file} -v did not print an HAProxy version: ${output.trim().split('\n')[0] ?? ''}`);
  if (!isSupported(v)) throw new Error(`${file} is HAProxy ${v.version}; Portico needs ${MIN_VERSION.major}.${MIN_VERSION.minor} or later`);
  return { path: file, ...v };
}

/** Like resolveHaproxy, but undefined instead of an error: for tests deciding whether to skip. */
export async function findHaproxy(explicit?: string): Promise<HaproxyBinary | undefined> {
  try {
    return await resolveHaproxy(explicit);
  } catch {
    return undefined;
  }
}

let deathSignalPrefix: Promise<string[]> | undefined;

/**
 * A command prefix that makes the started program receive SIGTERM when Node dies, even by
 * SIGKILL: util-linux `setpriv --pdeathsig`, which sets PR_SET_PDEATHSIG and execs the program
 * (same pid; the setting survives HAProxy's re-exec on reload). Empty when setpriv is missing or
 * too old; Node's own exit hook then remains the only guard.
 */
export function parentDeathPrefix(): Promise<string[]> {
  deathSignalPrefix ??= (async () => {
    const setpriv = findExecutable('setpriv');
    if (!setpriv) return [];
    try {
      const help = await run(setpriv, ['--help']);
      return help.includes('--pdeathsig') ? [setpriv, '--pdeathsig', 'TERM', '--'] : [];
    } catch {
      return [];
    }
  })();
  return deathSignalPrefix;
}

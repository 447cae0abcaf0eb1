/**
 * Where each configuration lives on disk. Every apply gets a fresh directory `<dir>/gen-<N>/`
 * holding its haproxy.cfg and the files it reads (maps, crt-lists, PEMs, Lua). The renderer names
 * those files by absolute path in one stable directory, `<dir>/current`; apply() rewrites that
 * directory into the generation's own before writing, so the copy checked with `haproxy -c` and
 * the copy HAProxy loads read exactly the same files. Installing is then copying haproxy.cfg to
 * `<dir>/haproxy.cfg` (the fixed path the master re-reads on every reload) and pointing the
 * symlink `<dir>/current` at the generation; nothing a running HAProxy may still read is ever
 * rewritten in place. Kept: the live generation, the one before it, and the newest refused one
 * (to look at what HAProxy refused); older ones are deleted.
 */
import { mkdir, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The files of one configuration: haproxy.cfg text and other files by relative name. */
export interface HaproxyFiles {
  config: string;
  extra: Record<string, string>;
}

export interface Generation {
  n: number;
  /** Absolute directory of this generation. */
  dir: string;
  /** As given to apply(), paths naming the stable directory. */
  source: HaproxyFiles;
  /** As installed, paths naming this generation's directory. */
  files: HaproxyFiles;
}

const GEN_DIR = /^gen-(\d+)$/;

/** Why `name` cannot be an extra file name, or undefined when it can. */
export function fileNameProblem(name: string): string | undefined {
  if (name === '' || path.isAbsolute(name)) return `extra file name ${JSON.stringify(name)} must be a relative path`;
  if (path.normalize(name) !== name || name.split('/').includes('..')) return `extra file name ${JSON.stringify(name)} must be a plain relative path without "." or ".." parts`;
  if (name === 'haproxy.cfg') return 'extra file name "haproxy.cfg" is reserved for the configuration itself';
  return undefined;
}

/** Writes `text` to `file` so that readers see the old or the new content, never a part. */
export async function writeAtomic(file: string, text: string, mode = 0o600): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, file);
}

/**
 * `files` with every mention of directory `from` (the stable directory the renderer was given)
 * turned into `to` (this generation's directory).
 */
export function relocate(files: HaproxyFiles, from: string, to: string): HaproxyFiles {
  const move = (text: string): string => text.split(from).join(to);
  return { config: move(files.config), extra: Object.fromEntries(Object.entries(files.extra).map(([name, text]) => [name, move(text)])) };
}

/** The same file names, whatever their contents. */
export function sameFileNames(a: Record<string, string>, b: Record<string, string>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => name in b);
}

export function sameFiles(a: HaproxyFiles, b: HaproxyFiles): boolean {
  return a.config === b.config && sameFileNames(a.extra, b.extra) && Object.keys(a.extra).every((name) => b.extra[name] === a.extra[name]);
}

/**
 * Writes haproxy.cfg and the extra files into `dir`, replacing whatever it held (directories
 * 0700, files 0600: PEMs hold private keys).
 */
export async function writeConfigFiles(dir: string, files: HaproxyFiles): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [name, text] of Object.entries(files.extra)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, text, { mode: 0o600 });
  }
  await writeFile(path.join(dir, 'haproxy.cfg'), files.config, { mode: 0o600 });
}

export class Generations {
  private next = 1;

  constructor(private readonly root: string) {}

  dirOf(n: number): string {
    return path.join(this.root, `gen-${n}`);
  }

  /** Removes the generations of an earlier run (their HAProxy is gone) and numbers on from them. */
  async reset(): Promise<void> {
    await rm(path.join(this.root, 'current'), { force: true });
    let highest = 0;
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      const m = GEN_DIR.exec(name);
      if (!m) continue;
      highest = Math.max(highest, Number(m[1]));
      await rm(path.join(this.root, name), { recursive: true, force: true });
    }
    this.next = highest + 1;
  }

  /** A new generation number and its (not yet created) directory. */
  allocate(): { n: number; dir: string } {
    const n = this.next++;
    return { n, dir: this.dirOf(n) };
  }

  /** Points `<dir>/current` at generation `n`, atomically. */
  async makeCurrent(n: number): Promise<void> {
    const link = path.join(this.root, 'current');
    const tmp = `${link}.tmp-${process.pid}`;
    await rm(tmp, { force: true });
    await symlink(`gen-${n}`, tmp);
    await rename(tmp, link);
  }

  /** Deletes every generation directory except those numbered in `keep`. */
  async prune(keep: ReadonlySet<number>): Promise<void> {
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      const m = GEN_DIR.exec(name);
      if (m && !keep.has(Number(m[1]))) await rm(path.join(this.root, name), { recursive: true, force: true });
    }
  }
}

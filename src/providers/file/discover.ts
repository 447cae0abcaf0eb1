import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Extensions read from directories; files named explicitly are read whatever their name. */
export const SOURCE_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

export interface Discovery {
  /** Every file to read, normalized, sorted, without repeats. */
  files: string[];
  /** Every directory walked (roots included); the watcher watches each. */
  directories: string[];
  /** Roots that do not exist (or cannot be read), with the reason. */
  missing: { path: string; message: string }[];
}

/**
 * A path in the one form used for files, directories and watch events: normalized, without a
 * trailing separator ("dir/" and "dir" must name the same directory).
 */
export function normalizePath(p: string): string {
  const normalized = path.normalize(p);
  return normalized.length > 1 && normalized.endsWith(path.sep) ? normalized.slice(0, -1) : normalized;
}

export function isSourceFile(name: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext));
}

/**
 * Expands the paths given with -f: files as they are, directories recursively. Inside
 * directories, names starting with "." are skipped (editor swap and lock files, .git, and the
 * "..data" links of a mounted ConfigMap, whose files are reached through their visible links).
 * Symbolic links are followed; a directory reached twice is walked once.
 */
export async function discoverFiles(roots: readonly string[]): Promise<Discovery> {
  const files = new Set<string>();
  const directories: string[] = [];
  const missing: Discovery['missing'] = [];
  const seenDirs = new Set<string>();

  const walk = async (dir: string): Promise<void> => {
    const st = await stat(dir, { bigint: true }).catch(() => undefined);
    if (!st) return;
    const id = `${st.dev}:${st.ino}`;
    if (seenDirs.has(id)) return;
    seenDirs.add(id);
    directories.push(dir);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // removed or unreadable since we saw it: the next event rescans
    }
    await Promise.all(
      entries.map(async (entry) => {
        if (entry.name.startsWith('.')) return;
        const full = path.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          const target = await stat(full).catch(() => undefined);
          isDir = target?.isDirectory() ?? false;
          isFile = target?.isFile() ?? false;
        }
        if (isDir) await walk(full);
        else if (isFile && isSourceFile(entry.name)) files.add(full);
      }),
    );
  };

  for (const root of roots) {
    const normalized = normalizePath(root);
    let st;
    try {
      st = await stat(normalized);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      missing.push({ path: normalized, message: code === 'ENOENT' ? 'no such file or directory' : (err as Error).message });
      continue;
    }
    if (st.isDirectory()) await walk(normalized);
    else files.add(normalized);
  }

  return { files: [...files].sort(compareStrings), directories: directories.sort(compareStrings), missing };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

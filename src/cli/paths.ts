import { stat } from 'node:fs/promises';

/** The -f paths that do not exist, as messages; an empty list means all are there. */
export async function missingPaths(paths: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of paths) {
    try {
      await stat(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      missing.push(code === 'ENOENT' ? `${p}: no such file or directory` : `${p}: ${(err as Error).message}`);
    }
  }
  return missing;
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The directory holding package.json and crds/. Code runs from src/ (tsx) and from dist/src/
 * (after tsc), and tsc may copy a package.json into dist/, so look for both markers together.
 */
export function projectRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'crds'))) return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the Portico project root (package.json and crds/) above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

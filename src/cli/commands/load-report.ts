import { describeSkippedKind, formatProblem, type LoadResult } from '../../providers/file/index.js';
import type { CliIO } from '../io.js';

/** Warnings (skipped kinds, dropped fields) as "warning: ..." lines on stderr. */
export function printWarnings(result: LoadResult, io: CliIO): void {
  for (const kind of result.skippedKinds) {
    io.stderr(`warning: ${describeSkippedKind(kind)}\n`);
  }
  for (const w of result.warnings) io.stderr(`warning: ${formatProblem(w)}\n`);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

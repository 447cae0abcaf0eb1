import type { Logger } from '../log.js';
import { describeSkippedKind, formatProblem, type LoadResult } from '../providers/file/index.js';

/**
 * Logs what each load brought: a summary line, every problem and warning the first time it
 * appears (not again on every reload while it stays), and one warning per skipped kind for the
 * life of the process.
 */
export class LoadReporter {
  private problems = new Set<string>();
  private warnings = new Set<string>();
  private readonly skippedKinds = new Set<string>();
  private loads = 0;

  constructor(private readonly logger: Logger) {}

  report(result: LoadResult): void {
    this.loads++;
    const byKind: Record<string, number> = {};
    for (const obj of result.objects) byKind[obj.kind] = (byKind[obj.kind] ?? 0) + 1;
    this.logger.info(
      { objects: result.objects.length, byKind, files: result.files.length, filesParsed: result.filesParsed, problems: result.problems.length },
      `${this.loads === 1 ? 'loaded' : 'reloaded'} ${count(result.objects.length, 'object')} from ${count(result.files.length, 'file')}` +
        (result.problems.length ? `, ${count(result.problems.length, 'problem')}` : ''),
    );

    for (const kind of result.skippedKinds) {
      if (this.skippedKinds.has(kind.kind)) continue;
      this.skippedKinds.add(kind.kind);
      this.logger.warn(
        { kind: kind.kind, apiVersion: kind.apiVersion, count: kind.count },
        describeSkippedKind(kind),
      );
    }

    this.problems = this.logNew(result.problems.map(formatProblem), this.problems, 'error');
    this.warnings = this.logNew(result.warnings.map(formatProblem), this.warnings, 'warn');
  }

  private logNew(lines: string[], seen: Set<string>, level: 'error' | 'warn'): Set<string> {
    for (const line of lines) if (!seen.has(line)) this.logger[level](line);
    return new Set(lines);
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** HAProxy's own messages (stderr of the master and workers, output of `haproxy -c`). */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Logger } from '../log.js';

export type OutputLevel = 'alert' | 'warning' | 'notice' | 'other';

export interface OutputLine {
  level: OutputLevel;
  /** The process that wrote it, when the line says. */
  pid?: number;
  /** The message without the "[LEVEL]   (pid) : " prefix. */
  text: string;
}

/** "[ALERT]    (1234) : config : parsing [...]", "[WARNING]  (1234) : ...", "[NOTICE]   (1234) : ..." */
export function parseOutputLine(line: string): OutputLine {
  const m = /^\[(ALERT|WARNING|NOTICE|DEBUG|INFO)\]\s*(?:\((\d+)\))?\s*:?\s?(.*)$/.exec(line);
  if (!m) return { level: 'other', text: line };
  const tag = m[1];
  const level: OutputLevel = tag === 'ALERT' ? 'alert' : tag === 'WARNING' ? 'warning' : 'notice';
  return { level, ...(m[2] ? { pid: Number(m[2]) } : {}), text: m[3] ?? '' };
}

/**
 * WARNING lines HAProxy prints on every reload or stop as a matter of course; logged at debug
 * so that a warning in Portico's log means something needs looking at.
 */
const ROUTINE_WARNINGS = [
  /^Former worker \(\d+\) exited with code 0\b/,
  /^Proxy \S+ stopped \(cumulated conns/,
  /^(Paused|Resumed|Stopping) (frontend|backend|proxy) /,
  /^Exiting Master process\.\.\./,
  /^All workers exited\. Exiting\.\.\. \(0\)/,
  /^Current worker \(\d+\) exited with code 0\b/,
];

export function isRoutine(line: OutputLine): boolean {
  return line.level === 'warning' && ROUTINE_WARNINGS.some((re) => re.test(line.text));
}

/** "   | ..." lines continue the message above them. */
const CONTINUATION = /^\s+\|/;

/**
 * The ALERT lines of some output (with their continuation lines), HAProxy's own words, for an
 * error message. Without any ALERT line: the whole output, or "" when `fallback` is false.
 */
export function alertSummary(output: string | readonly string[], options: { fallback?: boolean; maxLines?: number } = {}): string {
  const { fallback = true, maxLines = 20 } = options;
  const lines = (typeof output === 'string' ? output.split('\n') : [...output]).map((l) => l.trimEnd()).filter(Boolean);
  const alerts: string[] = [];
  let inAlert = false;
  for (const line of lines) {
    if (CONTINUATION.test(line)) {
      if (inAlert) alerts.push(line);
      continue;
    }
    const parsed = parseOutputLine(line);
    inAlert = parsed.level === 'alert';
    if (inAlert) alerts.push(parsed.text);
  }
  const chosen = alerts.length > 0 || !fallback ? alerts : lines;
  const kept = chosen.slice(0, maxLines);
  if (chosen.length > kept.length) kept.push(`(${chosen.length - kept.length} more lines)`);
  return kept.join('\n');
}

/**
 * HAProxy's stdout and stderr lines into Portico's log: ALERT as error, WARNING as warn (routine
 * ones as debug), NOTICE as debug. Lines can also be captured while a start or reload is in
 * progress, to tell its caller why it failed.
 */
export class OutputLog {
  private readonly captures = new Set<string[]>();
  private lastLevel: OutputLevel = 'notice';

  /** `intercept`: takes lines that are not HAProxy's messages (access lines) and says so. */
  constructor(
    private readonly log: Logger,
    private readonly intercept?: (line: string) => boolean,
  ) {}

  follow(stream: Readable | null): void {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.line(line));
  }

  /** Collects every line from now until `stop()`. */
  capture(): { lines: string[]; stop(): void } {
    const lines: string[] = [];
    this.captures.add(lines);
    return { lines, stop: () => this.captures.delete(lines) };
  }

  private line(line: string): void {
    if (line.trim() === '') return;
    if (this.intercept?.(line)) return;
    for (const capture of this.captures) capture.push(line);
    let level: OutputLevel;
    let text: string;
    let fields = {};
    if (CONTINUATION.test(line)) {
      level = this.lastLevel;
      text = line.trim();
    } else {
      const parsed = parseOutputLine(line);
      level = isRoutine(parsed) ? 'notice' : parsed.level;
      text = parsed.text;
      // "pid" is pino's own field (Node's pid); HAProxy's process goes under its own name.
      if (parsed.pid !== undefined) fields = { haproxyPid: parsed.pid };
      this.lastLevel = level;
    }
    const msg = `haproxy: ${text}`;
    if (level === 'alert') this.log.error(fields, msg);
    else if (level === 'warning') this.log.warn(fields, msg);
    else if (level === 'other') this.log.info(fields, msg);
    else this.log.debug(fields, msg);
  }
}

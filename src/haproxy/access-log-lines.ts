/**
 * Reading the access log lines HAProxy writes (access-log.ts renders their format): the prefix
 * that says which sinks may take a line, and each sink's filter. Pure.
 */
import { ACCESS_LINE_MARK, type SinkEntry, type SinkFilter } from './access-log.js';

export interface AccessLine {
  /** The sink set, a key of the Gateway's access-log-sinks.json. */
  id: string;
  status: number;
  durationMs: number;
  /** Per flag of the sink set's filters: whether the request set it. */
  flags: string;
  /** The line in the user's format. */
  text: string;
}

/** The parts of an access line, or undefined for any other line of HAProxy's output. */
export function parseAccessLine(line: string): AccessLine | undefined {
  if (!line.startsWith(ACCESS_LINE_MARK)) return undefined;
  const fields: string[] = [];
  let from = 1;
  for (let i = 0; i < 4; i++) {
    const tab = line.indexOf('\t', from);
    if (tab < 0) return undefined;
    fields.push(line.slice(from, tab));
    from = tab + 1;
  }
  const [id, status, duration, flags] = fields as [string, string, string, string];
  return { id, status: Number(status), durationMs: Number(duration), flags, text: line.slice(from) };
}

function compare(value: number, c: { op: 'EQ' | 'GE' | 'LE'; value: number }): boolean {
  if (!Number.isFinite(value)) return false;
  return c.op === 'EQ' ? value === c.value : c.op === 'GE' ? value >= c.value : value <= c.value;
}

/** Whether a sink's filter lets the line through. */
export function filterAccepts(filter: SinkFilter | undefined, line: AccessLine): boolean {
  if (!filter) return true;
  if ('status' in filter) return compare(line.status, filter.status);
  if ('durationMs' in filter) return compare(line.durationMs, filter.durationMs);
  if ('flag' in filter) return line.flags[filter.flag] === '1';
  if ('notFlag' in filter) return line.flags[filter.notFlag] !== '1';
  if ('and' in filter) return filter.and.every((f) => filterAccepts(f, line));
  return filter.or.some((f) => filterAccepts(f, line));
}

/** The paths a line goes to. */
export function sinksFor(line: AccessLine, sinks: readonly SinkEntry[]): string[] {
  return sinks.filter((s) => filterAccepts(s.filter, line)).map((s) => s.path);
}

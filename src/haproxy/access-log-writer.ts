/**
 * Writes the access lines of one HAProxy instance to their sinks: Portico's stdout or stderr, or
 * files (opened for appending on first use). The sink sets of every configuration applied are
 * kept, so that lines of workers still finishing old requests after a reload find theirs.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Logger } from '../log.js';
import type { SinkEntry } from './access-log.js';
import { parseAccessLine, sinksFor } from './access-log-lines.js';

/** Lines waiting for a slow sink beyond this many bytes are dropped (and counted), not queued. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export class AccessLogWriter {
  private readonly sets = new Map<string, SinkEntry[]>();
  private readonly files = new Map<string, WriteStream>();
  private readonly failed = new Set<string>();
  /** Lines not written because their sink fell behind or failed. */
  dropped = 0;
  written = 0;

  constructor(private readonly log: Logger) {}

  /** Adds the sink sets of a configuration (the JSON of access-log-sinks.json). */
  load(json: string | undefined): void {
    if (!json) return;
    try {
      for (const [id, sinks] of Object.entries(JSON.parse(json) as Record<string, SinkEntry[]>)) this.sets.set(id, sinks);
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'the access log sinks file is not JSON');
    }
  }

  /** Writes the line if it is an access line of a known sink set; false for any other line. */
  handle(raw: string): boolean {
    const line = parseAccessLine(raw);
    const sinks = line && this.sets.get(line.id);
    if (!line || !sinks) return false;
    for (const p of sinksFor(line, sinks)) this.write(p, line.text);
    return true;
  }

  private stream(file: string): Writable | undefined {
    if (file === '/dev/stdout') return process.stdout;
    if (file === '/dev/stderr') return process.stderr;
    if (this.failed.has(file)) return undefined;
    let s = this.files.get(file);
    if (!s) {
      s = createWriteStream(file, { flags: 'a' });
      s.on('error', (e) => {
        this.failed.add(file);
        this.files.delete(file);
        this.log.error({ file, err: e.message }, 'cannot write the access log file; its lines are dropped until Portico restarts');
      });
      this.files.set(file, s);
    }
    return s;
  }

  private write(file: string, text: string): void {
    const s = this.stream(file);
    if (!s || s.writableLength > MAX_BUFFERED_BYTES) {
      this.dropped++;
      return;
    }
    s.write(`${text}\n`);
    this.written++;
  }

  /** Flushes and closes the files. */
  async close(): Promise<void> {
    const open = [...this.files.values()];
    this.files.clear();
    await Promise.all(open.map((s) => new Promise<void>((resolve) => s.end(resolve))));
  }
}

import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Levels accepted by `--log-level`, most to least verbose, plus "silent". */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** Values of `--log-format`: text on a terminal and JSON otherwise, or either one always. */
export const LOG_FORMATS = ['auto', 'json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  level?: LogLevel;
  /** Default auto: text when the destination is a terminal, JSON lines otherwise. */
  format?: LogFormat;
  /**
   * Where lines go. Default: stderr, written synchronously so nothing is lost when the
   * process exits right after a fatal error, and stdout stays free for command output.
   */
  destination?: DestinationStream;
  /**
   * Whether the destination is a terminal (auto picks text, and text is coloured). Default:
   * process.stderr.isTTY for stderr; false for a destination given here.
   */
  isTTY?: boolean;
  /** Read for NO_COLOR; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** One event per line (pino), "msg" in plain words, details as fields: JSON, or text for people. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  const tty = options.isTTY ?? (options.destination === undefined && process.stderr.isTTY === true);
  const format = options.format ?? 'auto';
  const text = format === 'text' || (format === 'auto' && tty);
  // The JSON path is exactly what it was before text existed: pino writing to the destination.
  const out = text ? textDestination(destination, { color: tty && !noColor(options.env ?? process.env) }) : destination;
  return pino({ level: options.level ?? 'info', base: { name: 'portico' } }, out);
}

/** A logger that drops everything, for library callers and tests that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** https://no-color.org: present and not empty turns colour off. */
function noColor(env: NodeJS.ProcessEnv): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/**
 * A destination that turns each JSON line pino writes into a text line and hands it on in the
 * same call, so a synchronous destination stays synchronous (a fatal line right before exit is
 * written before exit). Parsing pino's own output again costs a little, which matters only for
 * people reading along, and keeps pino's serializers (errors above all) in charge of the fields.
 */
export function textDestination(out: DestinationStream, options: { color: boolean }): DestinationStream {
  return {
    write(line: string): void {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        out.write(line);
        return;
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        out.write(line);
        return;
      }
      out.write(formatLogRecord(record as Record<string, unknown>, options));
    },
  };
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS: Record<number, string> = { 10: '\x1b[90m', 20: '\x1b[36m', 30: '\x1b[32m', 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[1;35m' };
const RESET = '\x1b[0m';

/** Fields shown in their own place at the start of the line rather than as key=value. */
const PLACED = new Set(['level', 'time', 'msg']);

/**
 * One pino record as a line for people, ending in a newline:
 * `15:04:05.123 INFO  message key=value key="two words"`, then an error's stack, indented.
 */
export function formatLogRecord(record: Readonly<Record<string, unknown>>, options: { color: boolean }): string {
  const level = typeof record.level === 'number' ? record.level : 30;
  const name = LEVEL_NAMES[level] ?? `L${level}`;
  const levelText = options.color && LEVEL_COLORS[level] ? `${LEVEL_COLORS[level]}${name}${RESET}` : name;
  const time = clock(typeof record.time === 'number' ? record.time : Date.now());
  const msg = typeof record.msg === 'string' ? record.msg : record.msg === undefined ? '' : JSON.stringify(record.msg);

  const fields: string[] = [];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (PLACED.has(key) || (key === 'name' && value === 'portico')) continue;
    if (key === 'err' && isSerializedError(value)) {
      fields.push(`err=${formatValue(value.message)}`);
      for (const [k, v] of Object.entries(value)) {
        if (k !== 'type' && k !== 'message' && k !== 'stack') fields.push(`err.${k}=${formatValue(v)}`);
      }
      if (typeof value.stack === 'string') stack = value.stack;
      continue;
    }
    fields.push(`${key}=${formatValue(value)}`);
  }

  let line = `${time} ${levelText}${' '.repeat(Math.max(1, 6 - name.length))}${indentLines(msg)}`;
  if (fields.length) line += `${msg ? ' ' : ''}${fields.join(' ')}`;
  line += '\n';
  if (stack) line += `${stack.split('\n').map((l) => `    ${l}`).join('\n')}\n`;
  return line;
}

/** What pino's error serializer makes of an Error: at least a message, usually a type and a stack. */
function isSerializedError(value: unknown): value is { message: string; stack?: unknown; [key: string]: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/** Bare when nothing in the value could be mistaken for a separator; JSON-quoted otherwise. */
function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    // Whitespace, quotes, "=", backslashes and control characters would make the line ambiguous.
    return value !== '' && !/[\s"'=\\\p{Cc}]/u.test(value) ? value : JSON.stringify(value);
  }
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}

/** A message spanning lines keeps its later lines indented, so they cannot pass for new records. */
function indentLines(text: string): string {
  return text.includes('\n') ? text.split('\n').join('\n    ') : text;
}

/** Local wall-clock time, HH:MM:SS.mmm. */
function clock(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

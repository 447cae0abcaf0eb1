import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Levels accepted by `--log-level`, most to least verbose, plus "silent". */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export interface LoggerOptions {
  level?: LogLevel;
  /**
   * Where JSON lines go. Default: stderr, written synchronously so nothing is lost when the
   * process exits right after a fatal error, and stdout stays free for command output.
   */
  destination?: DestinationStream;
}

/** One JSON line per event (pino), "msg" in plain words, details as fields. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  return pino({ level: options.level ?? 'info', base: { name: 'portico' } }, destination);
}

/** A logger that drops everything, for library callers and tests that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

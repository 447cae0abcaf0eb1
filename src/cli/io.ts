import type { DestinationStream } from 'pino';

/** Everything a command touches outside itself, so commands run in-process in tests. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves with the signal name when the process is asked to stop (SIGINT, SIGTERM). */
  waitForStop(): Promise<string>;
  /** Where `run` logs go; default stderr. */
  logDestination?: DestinationStream;
}

/** The real process: stdout/stderr, and SIGINT/SIGTERM (a second one exits at once). */
export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    waitForStop: () =>
      new Promise((resolve) => {
        const onSignal = (signal: NodeJS.Signals): void => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          process.once('SIGINT', () => process.exit(130));
          process.once('SIGTERM', () => process.exit(143));
          resolve(signal);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      }),
  };
}

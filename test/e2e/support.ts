// Helpers for end-to-end tests that run the real `portico` command (not a test file itself).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding Portico's package.json, found from this file (works from src and dist). */
export const projectRoot: string = (() => {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'portico') return dir;
    if (path.dirname(dir) === dir) throw new Error('cannot find the portico project root');
  }
})();

/**
 * How to start the CLI: the compiled dist/src/cli/main.js when these tests run compiled, the
 * TypeScript source through tsx when they run from source.
 */
export function cliArgs(): string[] {
  if (import.meta.url.endsWith('.ts')) {
    return ['--import', import.meta.resolve('tsx'), path.join(projectRoot, 'src/cli/main.ts')];
  }
  return [path.join(projectRoot, 'dist/src/cli/main.js')];
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliArgs(), ...args], { cwd: options.cwd ?? projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A running `portico run`, its admin API URL, and its logs so far. */
export interface RunningProcess {
  url: string;
  child: ChildProcess;
  logs: LogLine[];
  /** Every line written to stderr so far, as written (logs and anything else). */
  stderr: string[];
  /** Lines written to stdout so far (access logs). */
  stdout: string[];
  /** Sends the signal (default SIGTERM) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `portico run --admin 127.0.0.1:0 [--data-plane none] ...args` and waits until it logs its admin address. */
export function startRun(args: string[], timeoutMs = 15000): Promise<RunningProcess> {
  // Status-only unless a test asks for HAProxy: many of these run side by side on one pool.
  const plane = args.includes('--data-plane') ? [] : ['--data-plane', 'none'];
  const child = spawn(process.execPath, [...cliArgs(), 'run', '--admin', '127.0.0.1:0', ...plane, ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const stderr: string[] = [];
  const stdout: string[] = [];
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (out + chunk.toString()).split('\n');
    out = lines.pop() ?? '';
    stdout.push(...lines);
  });
  let rest = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`portico run did not report its admin address within ${timeoutMs} ms:\n${rest}${JSON.stringify(logs)}`));
    }, timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      rest += chunk.toString();
      let newline;
      while ((newline = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, newline);
        rest = rest.slice(newline + 1);
        stderr.push(line);
        let parsed: LogLine;
        try {
          parsed = JSON.parse(line) as LogLine;
        } catch {
          continue; // not a log line (e.g. a Node warning)
        }
        logs.push(parsed);
        if (typeof parsed.url === 'string') {
          clearTimeout(timer);
          resolve({
            url: parsed.url,
            child,
            logs,
            stderr,
            stdout,
            stop: (signal = 'SIGTERM') => {
              if (child.exitCode === null) child.kill(signal);
              return exited;
            },
          });
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`portico run exited with ${code} before reporting its admin address:\n${rest}`));
    });
  });
}

export { tempDir, waitFor } from '../support/fs-wait.js';

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

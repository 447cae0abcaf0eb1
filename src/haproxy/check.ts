/** `haproxy -c`: does HAProxy accept a configuration, and in its own words why not. */
import { execFile } from 'node:child_process';
import { alertSummary, parseOutputLine } from './output.js';

export interface CheckResult {
  ok: boolean;
  /** The ALERT lines (or the whole output when there are none) when not ok. */
  message: string;
  /** WARNING lines, worth logging even for a valid configuration. */
  warnings: string[];
}

export function checkConfig(binary: string, configFile: string, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    execFile(binary, ['-c', '-f', configFile], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stderr}\n${stdout}`;
      const warnings = output
        .split('\n')
        .map(parseOutputLine)
        .filter((l) => l.level === 'warning')
        .map((l) => l.text);
      if (!error) {
        resolve({ ok: true, message: '', warnings });
        return;
      }
      const killed = (error as { killed?: boolean }).killed === true;
      const message = killed ? `haproxy -c did not finish within ${timeoutMs} ms` : alertSummary(output) || error.message;
      resolve({ ok: false, message, warnings });
    });
  });
}

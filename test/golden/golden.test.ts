/**
 * Golden cases: each folder under cases/ holds input files (*.yaml) and the expected outputs of
 * `portico translate` on them: status.golden.yaml (-o status), ir.golden.yaml (-o ir, private
 * keys redacted), haproxy.golden.cfg (-o haproxy: every Gateway's haproxy.cfg and the files beside
 * it) and problems.golden.txt (stderr: refused objects, YAML errors, warnings). Regenerate after an intended change with
 *   UPDATE_GOLDEN=1 node --test dist/test/golden/
 * and review the diff: the golden files are the spec of what users see. The GatewayClass's
 * supportedFeatures list is replaced by a marker: it grows with every feature and is checked by
 * test/conformance/gatewayclass.test.ts, so adding a feature does not touch every case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { translateCommand } from '../../src/cli/commands/translate.js';

function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

const casesDir = path.join(projectRoot(), 'test', 'golden', 'cases');
const update = process.env.UPDATE_GOLDEN === '1';

/** The outputs each case holds, and the golden file of each: status, the IR, the rendered HAProxy files. */
const OUTPUTS = [
  { output: 'status', file: 'status.golden.yaml' },
  { output: 'ir', file: 'ir.golden.yaml' },
  { output: 'haproxy', file: 'haproxy.golden.cfg' },
] as const;

for (const name of readdirSync(casesDir).sort()) {
  const dir = path.join(casesDir, name);
  test(`golden: ${name}`, async () => {
    const inputs = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('.golden.yaml'))
      .sort()
      .map((f) => path.join('test', 'golden', 'cases', name, f));
    const cwd = process.cwd();
    process.chdir(projectRoot()); // problems name files relative to the project, as a user would type them
    let problems = '';
    try {
      for (const { output, file } of OUTPUTS) {
        let stdout = '';
        let stderr = '';
        const code = await translateCommand(
          { filename: inputs, output, addressPool: '127.0.10.0/24', gatewayApiChannel: 'experimental', now: new Date('2026-01-01T00:00:00Z') },
          { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), waitForStop: () => new Promise<string>(() => undefined) },
        );
        if (output === 'status') {
          stdout = stdout.replace(/^( +)supportedFeatures:\n(?:\1 *- name: .*\n)+/gm, '$1supportedFeatures: <SUPPORTED_FEATURES>\n');
          problems = `exit ${code}\n${stderr}`;
        }
        const golden = path.join(dir, file);
        if (update) writeFileSync(golden, stdout);
        assert.equal(stdout, readFileSync(golden, 'utf8'), `${name}: ${output} differs from ${golden}`);
      }
    } finally {
      process.chdir(cwd);
    }
    const problemsFile = path.join(dir, 'problems.golden.txt');
    if (update) writeFileSync(problemsFile, problems);
    assert.equal(problems, readFileSync(problemsFile, 'utf8'), `${name}: problems differ from ${problemsFile}`);
  });
}

/**
 * Golden cases: each folder under cases/ holds input files (*.yaml) and the expected output of
 * `portico translate -o status` on them: status.golden.yaml (stdout) and problems.golden.txt
 * (stderr: refused objects, YAML errors, warnings). Regenerate after an intended change with
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

for (const name of readdirSync(casesDir).sort()) {
  const dir = path.join(casesDir, name);
  test(`golden: ${name}`, async () => {
    let stdout = '';
    let stderr = '';
    const inputs = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('.golden.yaml'))
      .sort()
      .map((f) => path.join('test', 'golden', 'cases', name, f));
    const cwd = process.cwd();
    process.chdir(projectRoot()); // problems name files relative to the project, as a user would type them
    let code: number;
    try {
      code = await translateCommand(
        { filename: inputs, output: 'status', addressPool: '127.0.10.0/24', gatewayApiChannel: 'experimental', now: new Date('2026-01-01T00:00:00Z') },
        { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), waitForStop: () => new Promise<string>(() => undefined) },
      );
    } finally {
      process.chdir(cwd);
    }
    stdout = stdout.replace(/^( +)supportedFeatures:\n(?:\1 *- name: .*\n)+/gm, '$1supportedFeatures: <SUPPORTED_FEATURES>\n');
    const problems = `exit ${code}\n${stderr}`;
    const statusFile = path.join(dir, 'status.golden.yaml');
    const problemsFile = path.join(dir, 'problems.golden.txt');
    if (update) {
      writeFileSync(statusFile, stdout);
      writeFileSync(problemsFile, problems);
    }
    assert.equal(stdout, readFileSync(statusFile, 'utf8'), `${name}: status differs from ${statusFile}`);
    assert.equal(problems, readFileSync(problemsFile, 'utf8'), `${name}: problems differ from ${problemsFile}`);
  });
}

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CRD_DIR, generateApiTypes, OUTPUT, readInputs, repoRoot } from '../../../scripts/generate-api-types.js';
import { kindInfo } from '../../../src/api/kinds.js';

const root = repoRoot();

test('the committed Gateway API types are what the generator makes of crds/experimental', async () => {
  const expected = await generateApiTypes(root);
  const actual = readFileSync(join(root, OUTPUT), 'utf8');
  if (actual === expected) return;
  // The files run to thousands of lines: name the first difference rather than print both.
  const a = actual.split('\n');
  const e = expected.split('\n');
  let line = 0;
  while (line < a.length && a[line] === e[line]) line++;
  assert.fail(
    `${OUTPUT} is stale: run \`npm run generate:api-types\` and commit the result.\n` +
      `First difference at line ${line + 1}:\n  committed: ${a[line] ?? '(end of file)'}\n  generated: ${e[line] ?? '(end of file)'}`,
  );
});

test('the generator reads every CRD in crds/experimental, at the version Portico stores', () => {
  const inputs = readInputs(root);
  const files = readdirSync(join(root, CRD_DIR)).filter((f) => f.endsWith('.yaml'));
  assert.deepEqual(inputs.map((i) => i.file).sort(), files.map((f) => `${CRD_DIR}/${f}`).sort());
  for (const input of inputs) assert.equal(input.version, kindInfo(input.kind)?.versions[0], input.kind);
});

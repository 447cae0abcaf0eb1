import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { parseCrdText } from '../../../src/validation/crd-catalog.js';
import { projectRoot } from '../../../src/validation/project-root.js';

test('crd-catalog: js-yaml reads every shipped CRD exactly as the yaml package does', () => {
  let files = 0;
  for (const channel of ['standard', 'experimental']) {
    const dir = join(projectRoot(), 'crds', channel);
    for (const f of readdirSync(dir).filter((name) => name.endsWith('.yaml'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.deepEqual(parseCrdText(text), parse(text), `${channel}/${f}`);
      files++;
    }
  }
  assert.ok(files >= 10, `only ${files} CRD files found`);
});

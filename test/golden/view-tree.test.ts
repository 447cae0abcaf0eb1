/**
 * Golden trees of the web view: for a few golden cases (test/golden/cases/<case>), the tree
 * pipeline/view-tree.ts builds from their inputs, in tree.golden.json beside the other outputs.
 * Regenerate with UPDATE_GOLDEN=1, as golden.test.ts, and review the diff.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildViewTree } from '../../src/pipeline/view-tree.js';
import { goldenCaseDir, translateGoldenCase } from '../support/golden-case.js';

/** Cases that show each kind of node and each health: refused and unattached routes, broken backends, ListenerSets, stream routes. */
const CASES = ['httproute-backend-refs', 'httproute-not-allowed-by-listeners', 'listener-conflicts', 'listenerset-routes', 'tcproute', 'httproute-two-gateways'];

for (const name of CASES) {
  test(`golden view tree: ${name}`, async () => {
    const translation = await translateGoldenCase(name);
    const text = `${JSON.stringify(buildViewTree(translation.graph, 1), null, 2)}\n`;
    const golden = path.join(goldenCaseDir(name), 'tree.golden.json');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    assert.equal(text, readFileSync(golden, 'utf8'), `${name}: the tree differs from ${golden}`);
  });
}

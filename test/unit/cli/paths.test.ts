import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { missingPaths } from '../../../src/cli/paths.js';

test('missingPaths: names each path that does not exist', async () => {
  const here = fileURLToPath(import.meta.url);
  assert.deepEqual(await missingPaths([here]), []);
  assert.deepEqual(await missingPaths([here, '/nonexistent/a.yaml']), ['/nonexistent/a.yaml: no such file or directory']);
});

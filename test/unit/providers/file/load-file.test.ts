import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadFileText } from '../../../../src/providers/file/load-file.js';
import { formatProblem } from '../../../../src/providers/file/problem.js';
import { FakeValidator, gateway } from './support.js';

test('loadFileText: valid, refused, skipped and broken documents of one file', () => {
  const text = [
    gateway('ok'),
    '---',
    gateway('bad', '  invalid: true'),
    '---',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}',
    '---',
    'key: [unclosed',
  ].join('\n');
  const result = loadFileText('gw.yaml', text, new FakeValidator());
  assert.deepEqual(
    result.entries.map((e) => [e.key, e.object !== undefined, e.location.document]),
    [
      ['Gateway/default/ok', true, 1],
      ['Gateway/default/bad', false, 2],
    ],
  );
  assert.equal(result.entries[0]?.object?.metadata.namespace, 'default');
  assert.deepEqual(result.skipped.map((s) => [s.kind, s.location.document]), [['Deployment', 3]]);
  assert.deepEqual(
    result.problems.map(formatProblem).map((l) => l.replace(/:\d+: .*/, ':LINE: …')),
    ['gw.yaml:LINE: …', 'gw.yaml:2  Gateway default/bad  spec.invalid: Invalid value: true: must not be set'],
  );
});

test('loadFileText: validator warnings keep the object and are reported with its place', () => {
  const result = loadFileText('gw.yaml', gateway('web', '  unknownField: 1'), new FakeValidator());
  assert.equal(result.problems.length, 0);
  assert.deepEqual(result.warnings.map(formatProblem), ['gw.yaml:1  Gateway default/web  spec.unknownField: unknown field, dropped']);
  assert.equal((result.entries[0]?.object?.spec as Record<string, unknown>).unknownField, undefined);
});

test('loadFileText: a validator that throws costs only that object', () => {
  const throwing = { validate: () => { throw new Error('boom'); } };
  const result = loadFileText('gw.yaml', gateway('web'), throwing);
  assert.equal(result.entries[0]?.object, undefined);
  assert.deepEqual(result.problems.map(formatProblem), ['gw.yaml:1  Gateway default/web  internal error while validating: boom']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareProblems, describeObject, formatProblem } from '../../../../src/providers/file/problem.js';

test('formatProblem: object problem has file:document, subject and field path separated by two spaces', () => {
  const line = formatProblem({
    file: 'routes.yaml',
    document: 3,
    subject: 'HTTPRoute default/web',
    path: 'spec.rules[0].matches[0].path.value',
    message: 'must start with /',
  });
  assert.equal(line, 'routes.yaml:3  HTTPRoute default/web  spec.rules[0].matches[0].path.value: must start with /');
});

test('formatProblem: document problem without subject or path', () => {
  assert.equal(formatProblem({ file: 'a.yaml', document: 2, message: 'kind: required' }), 'a.yaml:2  kind: required');
});

test('formatProblem: YAML syntax error is file:LINE: message', () => {
  assert.equal(formatProblem({ file: 'a.yaml', line: 7, message: 'bad indentation' }), 'a.yaml:7: bad indentation');
});

test('formatProblem: file-level problem is file: message', () => {
  assert.equal(formatProblem({ file: 'missing.yaml', message: 'no such file or directory' }), 'missing.yaml: no such file or directory');
});

test('describeObject: namespaced, cluster-scoped and unnamed objects', () => {
  assert.equal(describeObject('Gateway', 'default', 'web'), 'Gateway default/web');
  assert.equal(describeObject('GatewayClass', undefined, 'portico'), 'GatewayClass portico');
  assert.equal(describeObject('Gateway', 'default', undefined), 'Gateway default/(no name)');
});

test('compareProblems: by file, then line, then document', () => {
  const sorted = [
    { file: 'b.yaml', document: 1, line: 1, message: '' },
    { file: 'a.yaml', document: 3, line: 20, message: '' },
    { file: 'a.yaml', line: 9, message: '' },
    { file: 'a.yaml', document: 1, line: 1, message: '' },
    { file: 'a.yaml', document: 2, line: 1, message: 'second item of a List document' },
  ].sort(compareProblems);
  assert.deepEqual(
    sorted.map((p) => `${p.file}:${p.line}:${p.document ?? '-'}`),
    ['a.yaml:1:1', 'a.yaml:1:2', 'a.yaml:9:-', 'a.yaml:20:3', 'b.yaml:1:1'],
  );
});

test('formatProblem: a document problem with a line still prints the document number', () => {
  assert.equal(formatProblem({ file: 'a.yaml', document: 2, line: 14, message: 'kind: required' }), 'a.yaml:2  kind: required');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocuments } from '../../../../src/providers/file/parse.js';

test('parseDocuments: multi-document YAML gets 1-based document numbers and start lines', () => {
  const text = ['# leading comment', 'a: 1', '---', 'b: 2', '---', '', '# spacer', 'c: 3', ''].join('\n');
  const { documents, problems } = parseDocuments('f.yaml', text);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    documents.map((d) => [d.value, d.location]),
    [
      [{ a: 1 }, { file: 'f.yaml', document: 1, line: 2 }],
      [{ b: 2 }, { file: 'f.yaml', document: 2, line: 4 }],
      [{ c: 3 }, { file: 'f.yaml', document: 3, line: 8 }],
    ],
  );
});

test('parseDocuments: empty documents are dropped but still counted', () => {
  const { documents } = parseDocuments('f.yaml', '---\n---\n# nothing\n---\nx: 1\n---\n');
  assert.equal(documents.length, 1);
  assert.equal(documents[0]?.location.document, 3);
});

test('parseDocuments: empty file and comments-only file give nothing', () => {
  assert.deepEqual(parseDocuments('f.yaml', ''), { documents: [], problems: [] });
  assert.deepEqual(parseDocuments('f.yaml', '# just a comment\n'), { documents: [], problems: [] });
});

test('parseDocuments: a syntax error names the line and skips only its document', () => {
  const text = ['a: 1', '---', 'b: [1, 2', 'c: 3', '---', 'd: 4'].join('\n');
  const { documents, problems } = parseDocuments('f.yaml', text);
  assert.deepEqual(documents.map((d) => d.value), [{ a: 1 }, { d: 4 }]);
  assert.equal(documents[1]?.location.document, 3);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.file, 'f.yaml');
  assert.equal(problems[0]?.document, undefined);
  assert.ok(problems[0]?.line !== undefined && problems[0].line >= 3 && problems[0].line <= 5, `line ${problems[0]?.line}`);
});

test('parseDocuments: duplicate keys are a syntax error on the line of the second key', () => {
  const { documents, problems } = parseDocuments('f.yaml', 'a: 1\nb: 2\na: 3\n');
  assert.equal(documents.length, 0);
  assert.equal(problems[0]?.line, 3);
  assert.match(problems[0]?.message ?? '', /unique/);
});

test('parseDocuments: an unresolved alias is reported, not thrown', () => {
  const { documents, problems } = parseDocuments('f.yaml', 'x: 1\n---\na: *nowhere\n');
  assert.equal(documents.length, 1);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.line, 3);
});

test('parseDocuments: merge keys are resolved', () => {
  const { documents } = parseDocuments('f.yaml', 'base: &b {x: 1}\nobj:\n  <<: *b\n  y: 2\n');
  assert.deepEqual((documents[0]?.value as { obj: unknown }).obj, { x: 1, y: 2 });
});

test('parseDocuments: JSON text is one document', () => {
  const { documents, problems } = parseDocuments('f.json', '{\n  "apiVersion": "v1",\n\t"kind": "Namespace"\n}\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(documents[0]?.value, { apiVersion: 'v1', kind: 'Namespace' });
});

test('parseDocuments: kind List is expanded into its items, each with its own line', () => {
  const text = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '  - apiVersion: v1',
    '    kind: Namespace',
    '    metadata: {name: a}',
    '  - apiVersion: v1',
    '    kind: Namespace',
    '    metadata: {name: b}',
  ].join('\n');
  const { documents } = parseDocuments('f.yaml', text);
  assert.deepEqual(
    documents.map((d) => [(d.value as { metadata: { name: string } }).metadata.name, d.location.document, d.location.line]),
    [
      ['a', 1, 4],
      ['b', 1, 7],
    ],
  );
});

test('parseDocuments: a JSON List is expanded too', () => {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'A' }, { kind: 'B' }] }, null, 2);
  const { documents } = parseDocuments('f.json', text);
  assert.deepEqual(documents.map((d) => d.value), [{ kind: 'A' }, { kind: 'B' }]);
});

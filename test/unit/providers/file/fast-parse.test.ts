import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify, type ToStringOptions } from 'yaml';
import { parseJsonFast, parseYamlFast } from '../../../../src/providers/file/fast-parse.js';
import { parseDocuments, parseDocumentsPrecisely } from '../../../../src/providers/file/parse.js';

/** The fast path either gives up or answers exactly what the yaml package answers. */
function assertSameAsPrecise(file: string, text: string): boolean {
  const fast = file.endsWith('.json') ? parseJsonFast(file, text) : parseYamlFast(file, text);
  const precise = parseDocumentsPrecisely(file, text);
  const chosen = parseDocuments(file, text);
  assert.deepEqual(
    { ...chosen, documents: chosen.documents.map(({ owned: _owned, ...d }) => d) },
    precise,
    `parseDocuments differs from the yaml package on ${JSON.stringify(text)}`,
  );
  if (fast === undefined) return false;
  assert.deepEqual(precise.problems, [], `the fast path accepted what the yaml package refuses: ${JSON.stringify(text)}`);
  // `owned` (no aliases: may be validated in place) is the fast paths' own promise.
  assert.ok(fast.every((d) => d.owned === true));
  assert.deepEqual(
    fast.map(({ owned: _owned, ...d }) => d),
    precise.documents,
    `the fast path read ${JSON.stringify(text)} differently`,
  );
  return true;
}

test('fast YAML path: plain scalars resolve as in YAML 1.2 core (the yaml package), not YAML 1.1', () => {
  const cases: Record<string, unknown> = {
    yes: 'yes', no: 'no', on: 'on', off: 'off', y: 'y', Yes: 'Yes', OFF: 'OFF',
    true: true, True: true, TRUE: true, false: false, tRUE: 'tRUE',
    '~': null, null: null, Null: null, NULL: null, nULL: 'nULL', '': null,
    '017': 17, '0o17': 15, '0x1F': 31, '0b101': '0b101', '+12': 12, '-0': -0, '1_000': '1_000', '12:30': '12:30',
    '1e3': 1000, '1.5': 1.5, '1.': 1, '.5': 0.5, '-.inf': -Infinity, '.Inf': Infinity, '.NaN': NaN, '.nAn': '.nAn',
    '2024-01-01': '2024-01-01', '2024-01-01T00:00:00Z': '2024-01-01T00:00:00Z', '0.0.0.0': '0.0.0.0', '1.2.3': '1.2.3',
    '9007199254740993': Number('9007199254740993'), '0x': '0x', '+': '+',
  };
  for (const [source, expected] of Object.entries(cases)) {
    const text = `v: ${source}\n`;
    assert.ok(assertSameAsPrecise('f.yaml', text), `fast path gave up on ${JSON.stringify(text)}`);
    assert.deepEqual(parseYamlFast('f.yaml', text)?.[0]?.value, { v: expected }, source);
  }
});

test('fast YAML path: document numbers and start lines match the yaml package', () => {
  const texts = [
    '# leading comment\na: 1\n---\nb: 2\n---\n\n# spacer\nc: 3\n',
    '---\n---\n# nothing\n---\nx: 1\n---\n',
    '\n\n---\n# c\n\n  a: 1\n',
    'a: 1\n--- # comment\nb: [1, "x", {c: d}]\n',
    '- a\n- b\n---\n"text"\n---\n42\n',
    '',
    '# only a comment\n',
    '\ufeffa: 1\n---\nb: 2\n', // a byte order mark
    'a: 1\r\nb: 2\r\n---\r\n\r\nc: 3\r\n', // Windows line ends
    '__proto__: {a: 1}\nconstructor: 2\n', // own keys, not the prototype
    'a: "\\u00e9\\x41\\N"\nb: \'x\'\'y\'\n', // escapes
  ];
  for (const text of texts) assert.ok(assertSameAsPrecise('f.yaml', text), `fast path gave up on ${JSON.stringify(text)}`);
});

test('fast YAML path: gives up where js-yaml and the yaml package could differ, and the yaml package answers', () => {
  const texts = [
    'base: &b {x: 1}\nobj:\n  <<: *b\n  y: 2\n', // anchors, aliases, merge keys
    'a: !!str 1\n', // explicit tags
    'a: !custom x\n',
    '%YAML 1.1\n---\na: yes\n', // directives change the schema
    'a: [1,\n  2]\n', // flow collections over several lines
    'a: "x\n  y"\n', // multi-line scalars
    'a: |\n  text\n',
    'a: plain\n  continued\n',
    'a: 1\n...\nb: 2\n', // document end markers
    '--- a: 1\n',
    '? complex\n: key\n',
    '[a]: b\n',
    '~: x\n', // null keys
    'a: "x"#no space\n',
    'a:\tb\n',
    'kind: List\nitems:\n- a: 1\n- b: 2\n', // item lines come from the yaml package
    'a: 1\na: 2\n', // errors are always the yaml package's
    'a: [1, 2\n',
    'a: *nowhere\n',
  ];
  for (const text of texts) assert.equal(assertSameAsPrecise('f.yaml', text), false, `fast path answered ${JSON.stringify(text)}`);
});

test('fast YAML path: a syntax error still names the file and the line, in the yaml package words', () => {
  const text = ['a: 1', '---', 'b: [1, 2', 'c: 3', '---', 'd: 4'].join('\n');
  const parsed = parseDocuments('dir/f.yaml', text);
  assert.deepEqual(parsed, parseDocumentsPrecisely('dir/f.yaml', text));
  assert.equal(parsed.problems[0]?.file, 'dir/f.yaml');
  assert.equal(typeof parsed.problems[0]?.line, 'number');
  assert.match(parsed.problems[0]?.message ?? '', /^YAML error, document 2 skipped: /);
});

test('JSON path: JSON.parse gives the objects, document number and line the yaml package gives', () => {
  const texts = [
    '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"ports": [{"port": 80}]}}',
    '\n\n  {"a": [1, 2.5, -0, 1e400, true, null, "x\\u00e9\\n"], "__proto__": {"b": 1}}\n',
    '[1, 2]',
    '"text"',
    'null',
    '{"a": {"b": {}}, "c": []}',
  ];
  for (const text of texts) assert.ok(assertSameAsPrecise('f.json', text), `JSON path gave up on ${JSON.stringify(text)}`);
});

test('JSON path: duplicate keys, tabs, lists and non-JSON text go to the YAML paths, with the same result', () => {
  const texts = [
    '{"a": 1, "a": 2}', // a YAML error; JSON.parse would keep the last
    '{"a": {"x": 1, "y": {"x": 2, "x": 3}}}',
    '{\t"a": 1}',
    '{"kind": "List", "items": [{"a": 1}]}',
    'a: 1\n', // YAML in a .json file
    '{"a": 1,}',
    '',
  ];
  for (const text of texts) assert.equal(parseJsonFast('f.json', text), undefined, JSON.stringify(text));
  for (const text of texts) assertSameAsPrecise('f.json', text);
});

/** Values like those in manifests, with the scalars where YAML versions and parsers disagree. */
const trickyString = fc.constantFrom(
  'yes', 'no', 'on', 'off', 'y', 'n', '0777', '0o17', '0x1F', '1_000', '1e3', '.inf', '.NaN', '~', 'null', 'true', 'False',
  '2024-01-01', '12:30:00', '', ' ', ' lead', 'trail ', 'a: b', 'a #b', '#c', '- x', '*x', '&a', '!t', '%p', '@x', '`x',
  '"q"', "'s'", 'a\nb', 'a\n\nb', 'line\n', '\ttab', 'é', '😀', '[x]', '{x}', '<<', '?', ':', '---', '...',
);
const scalarValue = fc.oneof(
  trickyString,
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'a.b/c', 'x-y', '1', 'true', 'on', '<<', 'null', ''), fc.string({ maxLength: 8 }));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalarValue, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
})).node;
const stringifyOptions: fc.Arbitrary<ToStringOptions> = fc.record({
  lineWidth: fc.constantFrom(0, 20, 80),
  defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
  defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
  collectionStyle: fc.constantFrom('any', 'block', 'flow'),
  indentSeq: fc.boolean(),
}) as fc.Arbitrary<ToStringOptions>;

test('fast YAML path: random documents, written by the yaml package in every style, read the same', () => {
  let answered = 0;
  let runs = 0;
  fc.assert(
    fc.property(fc.array(fc.dictionary(key, value, { maxKeys: 5 }), { minLength: 1, maxLength: 3 }), stringifyOptions, (docs, options) => {
      runs++;
      const text = docs.map((d) => stringify(d, options)).join('---\n');
      if (assertSameAsPrecise('f.yaml', text)) answered++;
    }),
    { numRuns: 400, seed: 20251204 },
  );
  // The test is only worth something if the fast path answers a fair share.
  assert.ok(answered > runs / 5, `fast path answered only ${answered} of ${runs}`);
});

test('fast YAML path: mangled manifests are either refused by both parsers or read the same', () => {
  const base = [
    'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r # comment\n  namespace: ns-1\nspec:\n  parentRefs:\n  - name: gw\n  hostnames: ["a.example.com"]\n  rules:\n  - matches:\n    - path: {type: PathPrefix, value: /api}\n    backendRefs:\n    - {name: svc, port: 80, weight: 90}\n',
    "# c\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: {a: '1'}}\ndata:\n  k: \"v\"\n---\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  a: 'it''s'\n",
  ];
  const pieces = [' ', '  ', '\n', ':', '-', '"', "'", '[', ']', '{', '}', '#', '|', '>', ',', '?', 'a', '1', '.', '\\', '---\n', '...\n', '%', '@', '`', '&', '*', '!'];
  const edit = fc.record({ at: fc.nat(), drop: fc.nat({ max: 3 }), piece: fc.constantFrom(...pieces) });
  fc.assert(
    fc.property(fc.constantFrom(...base), fc.array(edit, { minLength: 1, maxLength: 3 }), (text, edits) => {
      let t = text;
      for (const e of edits) {
        const at = e.at % (t.length + 1);
        t = t.slice(0, at) + e.piece + t.slice(at + e.drop);
      }
      assertSameAsPrecise('f.yaml', t);
    }),
    { numRuns: 1500, seed: 20251204 },
  );
});

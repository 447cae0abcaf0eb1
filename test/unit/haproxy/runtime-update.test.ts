import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimePlan } from '../../../src/haproxy/runtime-update.js';
import type { HaproxyConfig, Section } from '../../../src/haproxy/config-model.js';
import { mapPayloads } from '../../../src/haproxy/process.js';
import { contentHash, ContentNames } from '../../../src/haproxy/names.js';

const sections = (options: { use?: string; comment?: string; address?: string } = {}): Section[] => [
  { keyword: 'frontend', name: 'p80', directives: [`use_backend ${options.use ?? 'x'}`] },
  {
    keyword: 'backend',
    name: 'p80_rA',
    comment: options.comment ?? 'HTTPRoute default/a rule 0',
    directives: [],
    pool: { refs: [{ backend: 'default/a:80', weight: 1 }], http: true, h2: [false], perRef: [1], tls: [''], tlsKeys: ['null'], slots: [{ name: 's0_0', endpoint: { address: options.address ?? '127.0.0.1', port: 80 }, weight: 256 }] },
  },
];
const baseFiles = { 'p80.hosts.map': 'a.example.com v1\n', 'p80.prefix.map': 'v1|/ p80_rA\n', 'groups.map': 'g1 h=x=y>p80_rA\n', 'p80.crt-list': 'x\n' };
const base: HaproxyConfig = { title: '# test', sections: sections(), files: baseFiles };
const withFiles = (files: Record<string, string>, s: Section[] = sections()): HaproxyConfig => ({ title: '# test', sections: s, files: { ...baseFiles, ...files } });

test('runtimePlan: nothing changed, nothing to do', () => {
  assert.deepEqual(runtimePlan(base, base), { maps: [], servers: [] });
});

test('runtimePlan: few changed entries go one by one, additions path maps first, removals host maps first', () => {
  const next = withFiles({ 'p80.hosts.map': 'b.example.com v2\n', 'p80.prefix.map': 'v1|/ p80_rB\nv2|/ p80_rA\n' });
  assert.deepEqual(runtimePlan(base, next)?.maps, [
    { file: 'p80.prefix.map', add: 'v2|/ p80_rA\n' },
    { file: 'p80.prefix.map', set: { key: 'v1|/', value: 'p80_rB' } },
    { file: 'p80.hosts.map', add: 'b.example.com v2\n' },
    { file: 'p80.hosts.map', del: 'a.example.com' },
  ]);
});

test('runtimePlan: many changed entries, or a key the command line cannot carry, replace the map whole', () => {
  const many = Array.from({ length: 100 }, (_, i) => `h${i}.example.com v1\n`).join('');
  assert.deepEqual(runtimePlan(base, withFiles({ 'p80.hosts.map': many }))?.maps, [{ file: 'p80.hosts.map', replace: many }]);
  const semicolon = 'v1|/a;b p80_rB\n';
  const from = withFiles({ 'p80.prefix.map': semicolon });
  assert.deepEqual(runtimePlan(from, withFiles({ 'p80.prefix.map': 'v1|/a;b p80_rA\n' }))?.maps, [{ file: 'p80.prefix.map', replace: 'v1|/a;b p80_rA\n' }]);
  // Added lines go as a payload, read like the file: any key that fits a map line can be added.
  assert.deepEqual(runtimePlan(base, withFiles({ 'p80.prefix.map': `v1|/ p80_rA\n${semicolon}` }))?.maps, [{ file: 'p80.prefix.map', add: semicolon }]);
});

test('runtimePlan: groups are added before routing maps name them and removed after', () => {
  const next = withFiles({ 'groups.map': 'g2 h=x=z>p80_rA\n', 'p80.prefix.map': 'v1|/ ?g2\n' });
  assert.deepEqual(runtimePlan(base, next)?.maps, [
    { file: 'groups.map', add: 'g2 h=x=z>p80_rA\n' },
    { file: 'p80.prefix.map', set: { key: 'v1|/', value: '?g2' } },
    { file: 'groups.map', del: 'g1' },
  ]);
  const many = Array.from({ length: 100 }, (_, i) => `n${i} h=x=z>p80_rA\n`).join('');
  assert.deepEqual(
    runtimePlan(base, withFiles({ 'groups.map': many }))?.maps.map((m) => [m.file, Object.keys(m)[1]]),
    [
      ['groups.map', 'replace'],
      ['groups.map', 'replace'],
    ],
    'old and new groups together, then the new ones only',
  );
});

test('runtimePlan: backends are matched by name, not by position', () => {
  const [front, backend] = sections();
  const other: Section = { keyword: 'backend', name: 'p80_rB', directives: ['http-request return status 500'] };
  const before = withFiles({}, [front as Section, backend as Section, other]);
  assert.deepEqual(runtimePlan(before, withFiles({}, [front as Section, other, backend as Section])), { maps: [], servers: [] });
});

test('runtimePlan: a backend comment may change, server addresses become commands', () => {
  const next = withFiles({}, sections({ comment: 'HTTPRoute default/b rule 1', address: '127.0.0.2' }));
  assert.deepEqual(runtimePlan(base, next), { maps: [], servers: ['set server p80_rA/s0_0 addr 127.0.0.2 port 80'] });
});

test('runtimePlan: anything else needs a reload', () => {
  assert.equal(runtimePlan(base, withFiles({}, sections({ use: 'y' }))), undefined, 'configuration');
  assert.equal(runtimePlan(base, withFiles({ 'p80.crt-list': 'y\n' })), undefined, 'certificates');
  assert.equal(runtimePlan(base, withFiles({ 'p80.exact.map': 'v1|/x p80_rA\n' })), undefined, 'a new file');
  assert.equal(runtimePlan(base, withFiles({ 'groups.map': 'g1 h=x=changed>p80_rA\n' })), undefined, 'a group key with another meaning');
  assert.equal(runtimePlan(withFiles({ 'p80.split.map': 'p80_s1 0\n' }), withFiles({ 'p80.split.map': 'p80_s1 1000000\n' })), undefined, 'split offsets');
});

test('mapPayloads: whole lines, each part within the limit', () => {
  const content = Array.from({ length: 100 }, (_, i) => `k${i} v${i}`).join('\n') + '\n';
  const parts = mapPayloads(content, 100);
  assert.ok(parts.every((p) => p.length <= 100 && p.endsWith('\n')));
  assert.equal(parts.join(''), content);
  assert.deepEqual(mapPayloads(`${'x'.repeat(150)} v\n`, 100), [`${'x'.repeat(150)} v\n`], 'a longer line goes alone');
});

test('ContentNames: the same content, the same name, whatever came before', () => {
  const a = new ContentNames('p80_r');
  const b = new ContentNames('p80_r');
  b.nameOf('other');
  assert.equal(a.nameOf('servers of svc'), b.nameOf('servers of svc'));
  assert.match(a.nameOf('x'), /^p80_r[0-9a-z]+$/);
  assert.notEqual(a.nameOf('x'), a.nameOf('y'));
  assert.equal(contentHash('abc'), contentHash('abc'));
});

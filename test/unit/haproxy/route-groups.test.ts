import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IRMatch } from '../../../src/ir/model.js';
import { encodeField, encodeGroup, GroupTable, isUnconditional, MAX_GROUP_LINE, prefixKey, vhostEntries, type Answer, type RuleTarget } from '../../../src/haproxy/route-groups.js';

function rule(target: string, path: IRMatch['path'], extra: Partial<IRMatch> = {}): RuleTarget {
  return { target, match: { path, headers: [], queryParams: [], ...extra } };
}
const prefix = (value: string) => ({ type: 'PathPrefix' as const, value });
const exact = (value: string) => ({ type: 'Exact' as const, value });
const header = (name: string, value: string) => ({ headers: [{ type: 'Exact' as const, name, value }] });

/** An answer as text: a target, or "?" and the targets of the group's candidates. */
function show(a: Answer | undefined): string | undefined {
  if (!a) return undefined;
  return a.kind === 'target' ? a.target : `?${a.candidates.map((c) => c.target).join(',')}`;
}

test('prefixKey: segment-aware keys, trailing slashes ignored', () => {
  assert.equal(prefixKey('/'), '/');
  assert.equal(prefixKey('/api'), '/api/');
  assert.equal(prefixKey('/api//'), '/api/');
});

test('isUnconditional: only path matches other than regular expressions', () => {
  assert.equal(isUnconditional(rule('a', prefix('/')).match), true);
  assert.equal(isUnconditional(rule('a', exact('/x')).match), true);
  assert.equal(isUnconditional(rule('a', { type: 'RegularExpression', value: '/x' }).match), false);
  assert.equal(isUnconditional(rule('a', prefix('/'), { method: 'GET' }).match), false);
  assert.equal(isUnconditional(rule('a', prefix('/'), header('h', 'v')).match), false);
});

test('vhostEntries: path-only rules answer with their target, no group', () => {
  const e = vhostEntries([rule('a', exact('/x')), rule('b', prefix('/api')), rule('c', prefix('/'))]);
  assert.deepEqual([...e.exact].map(([k, a]) => [k, show(a)]), [['/x', 'a']]);
  assert.deepEqual([...e.prefix].map(([k, a]) => [k, show(a)]), [['/api/', 'b'], ['/', 'c']]);
});

test('vhostEntries: a conditional rule makes a group that ends at the first unconditional candidate', () => {
  const e = vhostEntries([rule('canary', prefix('/app'), header('x-canary', 'on')), rule('app', prefix('/app')), rule('root', prefix('/'))]);
  assert.equal(show(e.prefix.get('/app/')), '?canary,app');
  assert.equal(show(e.prefix.get('/')), 'root');
});

test('vhostEntries: an exact path also gets the prefixes covering it, and regular expressions', () => {
  const re = { type: 'RegularExpression' as const, value: '/x.*' };
  const e = vhostEntries([rule('ex', exact('/a/b'), header('h', 'v')), rule('pa', prefix('/a'), header('h', 'w')), rule('re', re)]);
  assert.equal(show(e.exact.get('/a/b')), '?ex,pa,re');
  assert.equal(show(e.prefix.get('/a/')), '?pa,re');
  // No rule covers "/", so paths outside every prefix still reach the regular expression.
  assert.equal(show(e.prefix.get('')), '?re');
});

test('vhostEntries: "/foo" does not cover "/foobar"', () => {
  const e = vhostEntries([rule('foobar', prefix('/foobar'), header('h', 'v')), rule('foo', prefix('/foo'))]);
  assert.equal(show(e.prefix.get('/foobar/')), '?foobar');
  assert.equal(show(e.prefix.get('/foo/')), 'foo');
});

test('vhostEntries: rules in fall-through order keep that order, whatever the prefix lengths', () => {
  // A host's own "/a" comes before a wildcard route's "/a/b": "/a/b/c" belongs to the host's rule.
  const e = vhostEntries([rule('own', prefix('/a')), rule('wild', prefix('/a/b'))]);
  assert.equal(show(e.prefix.get('/a/b/')), 'own');
});

test('vhostEntries: the first rule for a key wins', () => {
  const e = vhostEntries([rule('first', prefix('/a')), rule('second', prefix('/a/'))]);
  assert.equal(show(e.prefix.get('/a/')), 'first');
});

test('encodeField: delimiters, spaces and non-ASCII become percent-encoded UTF-8', () => {
  assert.equal(encodeField('a;b,c>d=e%f g', 'v'), 'a%3Bb%2Cc%3Ed%3De%25f%20g');
  assert.equal(encodeField('é', 'v'), '%C3%A9');
  assert.throws(() => encodeField('\ud800', 'v'), /not valid UTF-8/);
});

test('encodeGroup: conditions per candidate, header names lower-cased, path regex anchored', () => {
  const text = encodeGroup([
    rule('b1', { type: 'RegularExpression', value: '/x|/y' }, { method: 'GET', headers: [{ type: 'RegularExpression', name: 'X-A', value: '^1' }], queryParams: [{ type: 'Exact', name: 'Q', value: 'a=b' }] }),
    rule('b2', prefix('/')),
  ]);
  assert.equal(text, 'p=%5E(%3F%3A%2Fx%7C%2Fy)%24,m=GET,H=x-a=%5E1,q=Q=a%3Db>b1;>b2');
});

test('GroupTable: keys follow the definition, identical definitions share one, long ones continue', () => {
  const a = new GroupTable();
  const b = new GroupTable();
  const k1 = a.add('m=GET>x;>y');
  assert.match(k1, /^g[a-z0-9]+$/);
  assert.equal(a.add('m=GET>x;>y'), k1);
  b.add('h=a=b>z');
  assert.equal(b.add('m=GET>x;>y'), k1, 'the key does not depend on what else the table holds');
  assert.notEqual(a.add('m=PUT>x;>y'), k1);

  const long = new GroupTable();
  const candidate = `h=x=${'v'.repeat(5000)}>b`;
  const key = long.add([candidate, candidate, candidate].join(';'));
  const lines = long.mapFile().trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.equal(lines[0], `${key} ${candidate};${candidate};+${key}.1`);
  assert.equal(lines[1], `${key}.1 ${candidate}`);
  assert.ok(lines.every((l) => l.length < MAX_GROUP_LINE + 100));
  assert.throws(() => long.add(`h=x=${'v'.repeat(MAX_GROUP_LINE)}>b`), /too long to route/);
});

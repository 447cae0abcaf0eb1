import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildHostTable, coveringVhost } from '../../../src/haproxy/host-table.js';
import { compareHostnameSpecificity, hostnameMatches } from '../../../src/api/hostnames.js';
import type { IRListener, IRPort, IRVirtualHost } from '../../../src/ir/model.js';

const listener = (name: string, hostname: string | undefined, vhosts: string[]): IRListener => ({
  id: name,
  name,
  protocol: 'HTTP',
  ...(hostname ? { hostname } : {}),
  virtualHosts: vhosts.map((h) => ({ hostname: h, rules: [] })),
  streams: [],
});

test('host table: listener isolation first, then the most specific virtual host', () => {
  const port: IRPort = {
    port: 80,
    mode: 'HTTP',
    listeners: [
      listener('exact', 'a.example.com', ['a.example.com']),
      listener('wild', '*.example.com', ['*.example.com', 'b.example.com', '*.x.example.com']),
      listener('any', undefined, ['*', 'other.org']),
    ],
  };
  const t = buildHostTable(port);
  const name = (target: ReturnType<typeof buildHostTable>['fallback']) => target && `${target.listener.name}:${target.vhost.hostname}`;
  assert.equal(name(t.exact.get('a.example.com')), 'exact:a.example.com');
  assert.equal(name(t.exact.get('b.example.com')), 'wild:b.example.com');
  assert.equal(name(t.exact.get('other.org')), 'any:other.org');
  const wild = new Map(t.wildcards.map(([p, target]) => [p, name(target)]));
  assert.deepEqual([...wild.keys()], ['*.x.example.com', '*.example.com'], 'longest wildcard first');
  assert.equal(wild.get('*.x.example.com'), 'wild:*.x.example.com');
  assert.equal(wild.get('*.example.com'), 'wild:*.example.com');
  assert.equal(name(t.fallback), 'any:*');
});

test('host table: a host that only a listener covers, with no matching route, goes nowhere (404)', () => {
  const port: IRPort = { port: 80, mode: 'HTTP', listeners: [listener('wild', '*.example.com', ['a.example.com'])] };
  const t = buildHostTable(port);
  assert.equal(t.wildcards.find(([p]) => p === '*.example.com')?.[1], undefined);
  assert.equal(t.fallback, undefined);
  assert.ok(t.exact.get('a.example.com'));
});

test('coveringVhost walks wildcard suffixes and agrees with testing every virtual host', () => {
  const labels = fc.constantFrom('a', 'b', 'example', 'com');
  const name = fc.array(labels, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
  const pattern = fc.oneof(name, name.map((n) => `*.${n}`), fc.constant('*'));
  fc.assert(
    fc.property(fc.uniqueArray(pattern, { maxLength: 8 }), fc.oneof(name, name.map((n) => `*.${n}`)), (patterns, host) => {
      const vhosts: IRVirtualHost[] = patterns.map((hostname) => ({ hostname, rules: [] }));
      const byName = new Map(vhosts.map((v) => [v.hostname, v]));
      // Brute force: every virtual host whose pattern covers the name, most specific first.
      const covers = (p: string) => p === '*' || p === host || (p.startsWith('*.') && (host.startsWith('*.') ? host.slice(1).endsWith(p.slice(1)) && host !== p : hostnameMatches(p, host)));
      const expected = vhosts.filter((v) => covers(v.hostname)).sort((x, y) => compareHostnameSpecificity(x.hostname === '*' ? undefined : x.hostname, y.hostname === '*' ? undefined : y.hostname))[0];
      assert.equal(coveringVhost(byName, host)?.hostname, expected?.hostname);
    }),
  );
});

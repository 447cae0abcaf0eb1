import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSlice, gateway, gatewayClass, httpRoute, run, service, tlsSecret } from './builders.js';
import { compareRules, type Ranked } from '../../../src/ir/precedence.js';
import type { IRHTTPRule, IRMatch } from '../../../src/ir/model.js';
import { redactIR } from '../../../src/ir/redact.js';
import { firstOfEachName, withFallThrough } from '../../../src/ir/build.js';

const objects = () => [
  gatewayClass(),
  gateway('gw', [
    { name: 'any', port: 80, protocol: 'HTTP' },
    { name: 'wild', port: 80, protocol: 'HTTP', hostname: '*.example.com' },
  ]),
  service('echo'),
  endpointSlice('echo', ['127.0.0.2', '127.0.0.1']),
  { ...endpointSlice('echo', ['127.0.0.3'], 8080, 'default', false), metadata: { name: 'echo-2', namespace: 'default', labels: { 'kubernetes.io/service-name': 'echo' } } },
];

test('IR: ports, listeners by specificity, virtual hosts and ready endpoints', () => {
  const t = run([
    ...objects(),
    httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      hostnames: ['a.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'echo', port: 80 }, { name: 'gone', port: 80, weight: 3 }] }],
    }),
  ]);
  const gw = t.ir.gateways[0];
  assert.ok(gw);
  assert.equal(gw.ports.length, 1);
  assert.deepEqual(gw.ports[0]?.listeners.map((l) => l.name), ['wild', 'any']);
  const vh = gw.ports[0]?.listeners[0]?.virtualHosts ?? [];
  assert.deepEqual(vh.map((v) => v.hostname), ['a.example.com']);
  const rule = vh[0]?.rules[0];
  assert.equal(rule?.invalidWeight, 3);
  assert.deepEqual(rule?.backends.map((b) => [b.backend, b.weight]), [['default/echo:80', 1]]);
  assert.deepEqual(gw.backends['default/echo:80']?.endpoints, [
    { address: '127.0.0.1', port: 8080 },
    { address: '127.0.0.2', port: 8080 },
  ]);
});

const m = (path: IRMatch['path'], extra: Partial<IRMatch> = {}): IRMatch => ({ path, headers: [], queryParams: [], ...extra });
const r = (name: string, match: IRMatch, ruleIndex = 0): IRHTTPRule => ({
  route: { kind: 'HTTPRoute', namespace: 'default', name },
  ruleIndex,
  match,
  filters: [],
  backends: [],
  invalidWeight: 0,
  noBackends: true,
});

test('precedence: exact > longest prefix > regex; method, headers, query; then age and name', () => {
  const rules = [
    { rule: r('z', m({ type: 'PathPrefix', value: '/' })), created: '' },
    { rule: r('z', m({ type: 'RegularExpression', value: '/a.*' })), created: '' },
    { rule: r('y', m({ type: 'PathPrefix', value: '/abc' })), created: '' },
    { rule: r('x', m({ type: 'Exact', value: '/a' })), created: '' },
    { rule: r('w', m({ type: 'PathPrefix', value: '/abc' }, { method: 'GET' })), created: '' },
    { rule: r('v', m({ type: 'PathPrefix', value: '/abc' }, { method: 'GET', headers: [{ type: 'Exact', name: 'x', value: '1' }] })), created: '' },
    { rule: r('b', m({ type: 'PathPrefix', value: '/' })), created: '2020-01-01T00:00:00Z' },
  ];
  const order = [...rules].sort(compareRules).map((x) => `${x.rule.route.name}:${x.rule.match.path.value}`);
  assert.deepEqual(order, ['x:/a', 'v:/abc', 'w:/abc', 'y:/abc', 'z:/', 'b:/', 'z:/a.*']);
});

test('IR: rules across routes on one host are merged in precedence order', () => {
  const t = run([
    ...objects(),
    httpRoute('one', { parentRefs: [{ name: 'gw', sectionName: 'any' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'echo', port: 80 }] }] }),
    httpRoute('two', { parentRefs: [{ name: 'gw', sectionName: 'any' }], rules: [{ matches: [{ path: { type: 'Exact', value: '/exact' } }], backendRefs: [{ name: 'echo', port: 80 }] }] }),
  ]);
  const rules = t.ir.gateways[0]?.ports[0]?.listeners.find((l) => l.name === 'any')?.virtualHosts[0]?.rules ?? [];
  assert.deepEqual(rules.map((x) => x.route.name), ['two', 'one']);
});

test('IR: TLS certificates are carried and redactIR hides private keys', () => {
  const t = run([gatewayClass(), tlsSecret('cert'), gateway('gw', [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } }])]);
  const l = t.ir.gateways[0]?.ports[0]?.listeners[0];
  assert.equal(t.ir.gateways[0]?.ports[0]?.mode, 'TLS');
  assert.match(l?.tls?.certificates[0]?.keyPem ?? '', /PRIVATE KEY/);
  assert.deepEqual(l?.tls?.certificates[0]?.dnsNames, ['example.com', '*.example.com']);
  const red = redactIR(t.ir).gateways[0]?.ports[0]?.listeners[0];
  assert.equal(red?.tls?.certificates[0]?.keyPem, '(redacted)');
  assert.match(l?.tls?.certificates[0]?.keyPem ?? '', /PRIVATE KEY/, 'the original is untouched');
});

test('firstOfEachName keeps the first of equivalent header names (case-insensitive) and query names (exact)', () => {
  const headers = firstOfEachName(
    [
      { name: 'X-Env', value: 'a' },
      { name: 'x-env', value: 'b', type: 'RegularExpression' },
      { name: 'Other', value: 'c' },
    ],
    true,
  );
  assert.deepEqual(headers, [
    { type: 'Exact', name: 'X-Env', value: 'a' },
    { type: 'Exact', name: 'Other', value: 'c' },
  ]);
  const query = firstOfEachName(
    [
      { name: 'q', value: '1' },
      { name: 'Q', value: '2' },
      { name: 'q', value: '3' },
    ],
    false,
  );
  assert.deepEqual(query.map((q) => q.value), ['1', '2']);
});

test('withFallThrough: a virtual host lists its own rules, then those of covering wildcards, then those for any host', () => {
  const rule = (name: string, path: string): Ranked => ({
    rule: { route: { kind: 'HTTPRoute', namespace: 'ns', name }, ruleIndex: 0, match: { path: { type: 'PathPrefix', value: path }, headers: [], queryParams: [] }, filters: [], backends: [], invalidWeight: 0, noBackends: false },
    created: '',
  });
  const both = rule('both', '/b');
  const vhosts = withFallThrough(
    new Map([
      ['*', [rule('any', '/long/prefix')]],
      ['a.example.com', [rule('exact', '/'), both]],
      ['*.example.com', [rule('wild', '/w'), both]],
    ]),
  );
  const names = (h: string) => vhosts.find((v) => v.hostname === h)?.rules.map((r) => `${r.route.name}${r.match.path.value}`);
  assert.deepEqual(vhosts.map((v) => v.hostname), ['a.example.com', '*.example.com', '*']);
  // Each group keeps its own precedence order; a route already listed is not repeated.
  assert.deepEqual(names('a.example.com'), ['both/b', 'exact/', 'wild/w', 'any/long/prefix']);
  assert.deepEqual(names('*.example.com'), ['both/b', 'wild/w', 'any/long/prefix']);
  assert.deepEqual(names('*'), ['any/long/prefix']);
});

/**
 * Not an upstream test: user strings that mean something to HAProxy's configuration language
 * (quotes, backslashes, "#", "%[", "${", "}", "if", spaces) in header values and names, header and
 * query matches, paths and redirect targets. HAProxy must carry out exactly the literal value,
 * no other route or directive may be affected, and values that cannot be expressed (control
 * characters) must be refused per rule, in the route's status, while everything else keeps serving.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { backends, INFRA_NS, runCases, V1, V2, V3 } from './cases.js';
import { echoedHeader, gatewayYaml, haproxyInstalled, rawExchange, rawHeaderValues, startStack, type Stack } from './harness.js';

/** Values allowed by the CRDs (printable ASCII, single inner spaces) that HAProxy's parser cares about. */
const TRICKY = {
  doubleQuoted: `a "b" 'c' \\d #e %[path] }f {g \${HOME} %% \\n`,
  singleQuoted: `\\r\\n #x %[req.hdr(host)] } \${HOME} "q" \\" %`,
  closeBrace: '}',
  openBrace: '{',
  if: 'if',
  unless: 'unless',
  dashes: '--',
  hash: '#',
  percent: '%',
  env: '${PATH}',
};

interface Rule {
  matches?: unknown[];
  filters?: unknown[];
  backendRefs?: unknown[];
}

function route(name: string, hostnames: string[], rules: Rule[]): string {
  return stringify({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: INFRA_NS },
    spec: { parentRefs: [{ name: 'same-namespace' }], hostnames, rules },
  });
}

const to = (backend: string) => [{ name: backend, port: 8080 }];
const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });

const headerSets = Object.entries(TRICKY).map(([key, value]) => ({ name: `X-Set-${key}`, value }));
const routes = [
  // Header modifiers: values and names.
  route('unsafe-header-values', ['headers.unsafe.example'], [
    {
      filters: [
        { type: 'RequestHeaderModifier', requestHeaderModifier: { set: headerSets, add: [{ name: "X-Add-#'$%|", value: TRICKY.doubleQuoted }], remove: ["X-Remove-#'$"] } },
        { type: 'ResponseHeaderModifier', responseHeaderModifier: { set: headerSets, add: [{ name: 'X-Resp-Add', value: TRICKY.singleQuoted }] } },
      ],
      backendRefs: to(V1),
    },
  ]),
  // Header matches: each value must match itself only.
  route('unsafe-header-matches', ['match.unsafe.example'], [
    { matches: [{ headers: [{ name: 'X-M', value: TRICKY.doubleQuoted }] }], backendRefs: to(V1) },
    { matches: [{ headers: [{ name: 'X-M', value: TRICKY.closeBrace }] }], backendRefs: to(V2) },
    { matches: [{ headers: [{ name: 'X-M', value: TRICKY.if }] }], backendRefs: to(V3) },
    { matches: [{ headers: [{ name: 'X-R', type: 'RegularExpression', value: `^x\\d+ #'"\\}$` }] }], backendRefs: to(V2) },
  ]),
  // Query parameter matches.
  route('unsafe-query-matches', ['query.unsafe.example'], [
    { matches: [{ queryParams: [{ name: 'q', value: `a'b"c\\d{e}f%[g]` }] }], backendRefs: to(V1) },
    { matches: [{ queryParams: [{ name: 'q', value: '}' }] }], backendRefs: to(V2) },
  ]),
  // Paths: every character the CRD allows in Exact and PathPrefix, and a regular expression.
  route('unsafe-paths', ['paths.unsafe.example'], [
    { matches: [{ path: { type: 'Exact', value: "/exact/it's(1)*+,;=:@!$&~" } }], backendRefs: to(V1) },
    { matches: [prefix("/prefix/a'b$c")], backendRefs: to(V2) },
    { matches: [{ path: { type: 'RegularExpression', value: `/re/[a-z]+/x'y"z\\}w` } }], backendRefs: to(V3) },
  ]),
  // Redirect and rewrite targets (replaceFullPath has no pattern in the CRD).
  route('unsafe-redirects', ['redirect.unsafe.example'], [
    { matches: [prefix('/full')], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: `/to/a b#c'd"e\\f%[g]}h\${HOME}` } } }] },
    { matches: [prefix('/prefix')], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: `/p'q"r\\s%[t]}` } } }] },
    { matches: [prefix('/rewrite')], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: `/rw/a'b"c\\d%[e]}f{g` } } }], backendRefs: to(V1) },
  ]),
  // A neighbour that must be unaffected by all of the above.
  route('plain', ['plain.unsafe.example'], [{ matches: [prefix('/')], backendRefs: to(V3) }]),
];

/**
 * Rules the renderer cannot express: each route keeps one good rule (PartiallyInvalid) or has none
 * left. A filter that cannot be carried out fails closed (its rule answers 500); a match that
 * cannot be evaluated leaves its rule out.
 */
const refused = [
  route('refused-tab-in-header', ['refused.unsafe.example'], [
    { matches: [prefix('/tab')], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Tab', value: 'a\tb' }] } }], backendRefs: to(V1) },
    { matches: [prefix('/ok-1')], backendRefs: to(V1) },
  ]),
  route('refused-newline-in-query', ['refused.unsafe.example'], [
    { matches: [{ path: { type: 'PathPrefix', value: '/query' }, queryParams: [{ name: 'q', value: 'a\nuse_backend p80_r1' }] }], backendRefs: to(V1) },
    { matches: [prefix('/ok-2')], backendRefs: to(V2) },
  ]),
  route('refused-newline-in-redirect', ['refused.unsafe.example'], [
    { matches: [prefix('/redirect')], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/a\r\nX-Injected: 1' } } }] },
    { matches: [prefix('/ok-3')], backendRefs: to(V3) },
  ]),
  route('refused-newline-in-remove', ['refused.unsafe.example'], [
    { matches: [prefix('/remove')], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['X-A\n  http-request deny'] } }], backendRefs: to(V1) },
    { matches: [prefix('/ok-4')], backendRefs: to(V1) },
  ]),
  route('refused-newline-in-path-regex', ['refused.unsafe.example'], [
    { matches: [{ path: { type: 'RegularExpression', value: '/regex\n  http-request deny' } }], backendRefs: to(V1) },
    { matches: [prefix('/ok-5')], backendRefs: to(V2) },
  ]),
  route('refused-only-rule', ['refused-only.unsafe.example'], [
    { matches: [{ headers: [{ name: 'X-H', value: 'tab\there' }] }], backendRefs: to(V1) },
  ]),
];

async function partiallyInvalid(stack: Stack, name: string): Promise<void> {
  await stack.routeCondition(INFRA_NS, name, 'same-namespace', 'Accepted', 'True', 'Accepted');
  await stack.routeCondition(INFRA_NS, name, 'same-namespace', 'PartiallyInvalid', 'True', 'UnsupportedValue');
}

test('unsafe values reach HAProxy literally, or are refused per rule', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), [gatewayYaml(), ...routes, ...refused].join('---\n'));
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');

  await t.test('header modifier values arrive byte for byte', async () => {
    const r = await stack.expect(gw, 80, { host: 'headers.unsafe.example', path: '/', headers: { "X-Remove-#'$": 'gone' } }, (res) => res.status === 200, 'headers route');
    for (const { name, value } of headerSets) assert.equal(echoedHeader(r.json, name), value, `request ${name}`);
    assert.equal(echoedHeader(r.json, "X-Add-#'$%|"), TRICKY.doubleQuoted);
    assert.equal(echoedHeader(r.json, "X-Remove-#'$"), undefined, 'removed');
    const raw = await rawExchange(gw, 80, 'GET / HTTP/1.1\r\nHost: headers.unsafe.example\r\nConnection: close\r\n\r\n');
    assert.match(raw.toString('latin1'), /^HTTP\/1\.1 200 /);
    for (const { name, value } of headerSets) assert.deepEqual(rawHeaderValues(raw, name), [value], `response ${name}`);
    assert.deepEqual(rawHeaderValues(raw, 'X-Resp-Add'), [TRICKY.singleQuoted]);
  });

  await t.test('header and query matches compare the literal value', async () => {
    await runCases(stack, gw, 80, [
      { host: 'match.unsafe.example', path: '/', headers: { 'X-M': TRICKY.doubleQuoted }, backend: V1 },
      { host: 'match.unsafe.example', path: '/', headers: { 'X-M': `${TRICKY.doubleQuoted}x` }, status: 404 },
      { host: 'match.unsafe.example', path: '/', headers: { 'X-M': '}' }, backend: V2 },
      { host: 'match.unsafe.example', path: '/', headers: { 'X-M': 'if' }, backend: V3 },
      { host: 'match.unsafe.example', path: '/', headers: { 'X-M': 'other' }, status: 404 },
      { host: 'match.unsafe.example', path: '/', headers: { 'X-R': `x42 #'"}` }, backend: V2 },
      { host: 'match.unsafe.example', path: '/', headers: { 'X-R': `x42 #'"` }, status: 404 },
      { host: 'query.unsafe.example', path: `/?q=a'b"c\\d{e}f%[g]`, backend: V1 },
      { host: 'query.unsafe.example', path: '/?q=}', backend: V2 },
      { host: 'query.unsafe.example', path: '/?q=other', status: 404 },
    ]);
  });

  await t.test('paths with every character the CRD allows', async () => {
    await runCases(stack, gw, 80, [
      { host: 'paths.unsafe.example', path: "/exact/it's(1)*+,;=:@!$&~", backend: V1 },
      { host: 'paths.unsafe.example', path: "/exact/it's(1)*+,;=:@!$&", status: 404 },
      { host: 'paths.unsafe.example', path: "/prefix/a'b$c/d", backend: V2 },
      { host: 'paths.unsafe.example', path: `/re/abc/x'y"z}w`, backend: V3 },
      { host: 'paths.unsafe.example', path: `/re/abc/x'y"zw`, status: 404 },
    ]);
  });

  await t.test('redirect and rewrite targets are literal', async () => {
    const location = async (path: string) => {
      const raw = await rawExchange(gw, 80, `GET ${path} HTTP/1.1\r\nHost: redirect.unsafe.example\r\nConnection: close\r\n\r\n`);
      assert.match(raw.toString('latin1'), /^HTTP\/1\.1 302 /, raw.toString('latin1').slice(0, 200));
      return rawHeaderValues(raw, 'location');
    };
    await stack.eventually('redirect route', () => stack.request(gw, 80, { host: 'redirect.unsafe.example', path: '/full' }), (r) => r.status === 302);
    assert.deepEqual(await location('/full'), [`http://redirect.unsafe.example/to/a b#c'd"e\\f%[g]}h\${HOME}`]);
    assert.deepEqual(await location('/prefix/rest?x=1'), [`http://redirect.unsafe.example/p'q"r\\s%[t]}/rest?x=1`]);
    await runCases(stack, gw, 80, [{ host: 'redirect.unsafe.example', path: '/rewrite/x', expectedRequest: { path: `/rw/a'b"c\\d%[e]}f{g` }, backend: V1 }]);
  });

  await t.test('unexpressible values are refused per rule; the rest keeps serving', async () => {
    for (const name of ['refused-tab-in-header', 'refused-newline-in-query', 'refused-newline-in-redirect', 'refused-newline-in-remove', 'refused-newline-in-path-regex']) {
      await partiallyInvalid(stack, name);
    }
    await stack.routeCondition(INFRA_NS, 'refused-only-rule', 'same-namespace', 'Accepted', 'False', 'UnsupportedValue');
    await runCases(stack, gw, 80, [
      { host: 'refused.unsafe.example', path: '/ok-1', backend: V1 },
      { host: 'refused.unsafe.example', path: '/ok-2', backend: V2 },
      { host: 'refused.unsafe.example', path: '/ok-3', backend: V3 },
      { host: 'refused.unsafe.example', path: '/ok-4', backend: V1 },
      { host: 'refused.unsafe.example', path: '/ok-5', backend: V2 },
      { host: 'refused.unsafe.example', path: '/tab', status: 500 },
      { host: 'refused.unsafe.example', path: '/query?q=a', status: 404 },
      { host: 'refused.unsafe.example', path: '/redirect', status: 500 },
      { host: 'refused.unsafe.example', path: '/remove', status: 500 },
      { host: 'refused-only.unsafe.example', path: '/', status: 404 },
      { host: 'plain.unsafe.example', path: '/anything', backend: V3 },
    ]);
    const gwStatus = stack.status('Gateway', INFRA_NS, 'same-namespace');
    assert.equal(gwStatus?.conditions?.find((c) => c.type === 'Programmed')?.status, 'True', JSON.stringify(gwStatus?.conditions));
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSlice, gateway, gatewayClass, httpRoute, service, tlsSecret } from '../core/builders.js';
import { renderGateway } from '../../../src/haproxy/render.js';
import { run } from '../core/builders.js';
import { haproxyCheck, haproxyInstalled, renderObjects } from './support.js';
import type { KubeObject } from '../../../src/api/object.js';

const base = (): KubeObject[] => [
  gatewayClass(),
  gateway('gw', [{ name: 'http', port: 8080, protocol: 'HTTP' }]),
  service('echo'),
  endpointSlice('echo', ['127.0.0.1', '127.0.0.2']),
];

test('renders a frontend per port with host and path maps and a backend per rule', () => {
  const [r] = renderObjects([
    ...base(),
    httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      hostnames: ['a.example.com', '*.wild.example.com'],
      rules: [
        { matches: [{ path: { type: 'Exact', value: '/exact' } }, { path: { type: 'PathPrefix', value: '/api/' } }], backendRefs: [{ name: 'echo', port: 80 }] },
      ],
    }),
  ]);
  assert.ok(r);
  assert.match(r.config, /^frontend p8080$/m);
  assert.match(r.config, /bind 127\.0\.10\.\d+:8080/);
  assert.equal(r.files['p8080.hosts.map'], 'a.example.com 1\n');
  assert.equal(r.files['p8080.wild.map'], '.wild.example.com 2\n');
  assert.equal(r.files['p8080.exact.map'], '1|/exact p8080_r1\n2|/exact p8080_r1\n');
  assert.equal(r.files['p8080.prefix.map'], '1|/api/ p8080_r1\n2|/api/ p8080_r1\n');
  assert.match(r.config, /server s0_0 127\.0\.0\.1:8080 weight 256\n\s+server s0_1 127\.0\.0\.2:8080 weight 256/);
});

test('exact hostnames with prefix rules only: the host, vhost and path lookups fold into one use_backend', () => {
  const [r] = renderObjects([
    ...base(),
    httpRoute('r', { parentRefs: [{ name: 'gw' }], hostnames: ['a.example.com'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'echo', port: 80 }] }] }),
    httpRoute('any', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }),
  ]);
  assert.ok(r);
  const frontend = r.config.slice(r.config.indexOf('frontend p8080'), r.config.indexOf('backend not_found'));
  const rules = frontend.split('\n').filter((l) => /^\s+(http-request|use_backend)/.test(l));
  assert.deepEqual(rules, [
    // Paths are normalised before anything reads them.
    '  http-request set-var(txn.norm) bool(1) if { path -m sub % // /. }',
    '  http-request set-var(txn.oq) query if { var(txn.norm) -m bool }',
    '  http-request normalize-uri percent-decode-unreserved strict if { var(txn.norm) -m bool }',
    '  http-request normalize-uri percent-to-uppercase strict if { var(txn.norm) -m bool }',
    '  http-request normalize-uri path-merge-slashes if { var(txn.norm) -m bool }',
    '  http-request normalize-uri path-strip-dot if { var(txn.norm) -m bool }',
    '  http-request normalize-uri path-strip-dotdot full if { var(txn.norm) -m bool }',
    '  http-request set-query %[var(txn.oq)] if { var(txn.oq) -m found }',
    '  http-request set-var(txn.path) path',
    `  use_backend "%[req.hdr(host),lower,field(1,:),map_str(/tmp/portico-render/p8080.hosts.map,2),concat('|',txn.path,'/'),map_beg(/tmp/portico-render/p8080.prefix.map)]"`,
  ]);
  assert.equal(r.files['p8080.hosts.map'], 'a.example.com 1\n');
  assert.equal(r.files['p8080.prefix.map'], '1|/api/ p8080_r1\n1|/ p8080_r1\n2|/ p8080_r1\n');
});

test('header, query and method matches become a group that route.lua evaluates', () => {
  const [r] = renderObjects([
    ...base(),
    httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'x-env', value: 'canary' }], queryParams: [{ name: 'v', value: '2' }], method: 'POST' }], backendRefs: [{ name: 'echo', port: 80 }] },
        { backendRefs: [{ name: 'echo', port: 80, weight: 2 }] },
      ],
    }),
  ]);
  assert.ok(r);
  // The catch-all rule sends to the same servers with no filter: it shares the first rule's backend.
  const key = /^1\|\/ \?(g[a-z0-9]+)\n$/.exec(r.files['p8080.prefix.map'] ?? '')?.[1];
  assert.ok(key, r.files['p8080.prefix.map']);
  assert.equal(r.files['groups.map'], `${key} m=POST,h=x-env=canary,q=v=2>p8080_r1;>p8080_r1\n`);
  assert.ok(r.files['route.lua']?.includes('Map.new("/tmp/portico-render/groups.map", Map._str)'));
  assert.match(r.config, /lua-load-per-thread \/tmp\/portico-render\/route\.lua/);
  assert.ok(r.config.includes(`  http-request set-var(txn.be) method,concat(' ',txn.be),concat(' ',txn.path),concat(' ',txn.q),concat("\\n",txn.h),lua.portico_route if { var(txn.be) -m beg ? }\n`), r.config);
});

test('weights: uneven splits follow the backendRef weights, invalid shares answer 500', () => {
  const [r] = renderObjects([
    ...base(),
    service('two'),
    endpointSlice('two', ['127.0.0.9']),
    httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 80, weight: 90 }, { name: 'two', port: 80, weight: 10 }, { name: 'gone', port: 80, weight: 100 }] }] }),
  ]);
  assert.ok(r);
  // echo: 90 over 2 endpoints = 45 each; two: 10 → weights 256 and 57.
  assert.match(r.config, /server s0_0 127\.0\.0\.1:8080 weight 256/);
  assert.match(r.config, /server s1_0 127\.0\.0\.9:8080 weight 57/);
  assert.match(r.config, /return status 500 .* if \{ rand\(200\) -m int lt 100 \}/);
});

test('filters on backendRefs: one backend per backendRef, drawn by weight after routing', () => {
  const [r] = renderObjects([
    ...base(),
    service('two'),
    endpointSlice('two', ['127.0.0.9']),
    httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      rules: [
        {
          filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'rule', value: 'r' }] } }],
          backendRefs: [
            { name: 'echo', port: 80, weight: 1, filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'which', value: 'echo' }] } }] },
            { name: 'two', port: 80, weight: 2 },
            { name: 'gone', port: 80, weight: 1 },
          ],
        },
      ],
    }),
  ]);
  assert.ok(r);
  assert.equal(r.files['p8080.prefix.map'], '1|/ p8080_s1\n');
  assert.equal(r.files['p8080.split.map'], 'p8080_s1 0\n');
  // Shares 1:2:1 of the draw's million numbers; the unresolved backendRef's quarter answers 500.
  assert.equal(r.files['p8080.pick.map'], '0:249999 p8080_r1\n250000:749999 p8080_r2\n750000:999999 invalid_backend_ref\n');
  const backend = (name: string) => r.config.slice(r.config.indexOf(`backend ${name}\n`)).split('\n\n')[0] ?? '';
  assert.match(backend('p8080_r1'), /set-header rule r\n\s+http-request set-header which echo\n/);
  assert.match(backend('p8080_r1'), /server s0_0 127\.0\.0\.1:8080/);
  assert.doesNotMatch(backend('p8080_r2'), /which/);
  assert.match(backend('p8080_r2'), /server s0_0 127\.0\.0\.9:8080/);
  assert.match(backend('invalid_backend_ref'), /return status 500/);
});

test('HTTPS listeners with different hostnames on one port: a Host of another listener than the SNI answers 421', () => {
  const tls = { certificateRefs: [{ name: 'cert' }] };
  const [r] = renderObjects([
    gatewayClass(),
    gateway('gw', [
      { name: 'any', port: 8443, protocol: 'HTTPS', tls },
      { name: 'one', port: 8443, protocol: 'HTTPS', hostname: 'one.example.com', tls },
      { name: 'wild', port: 8443, protocol: 'HTTPS', hostname: '*.example.com', tls },
    ]),
    tlsSecret('cert'),
  ]);
  assert.ok(r);
  assert.equal(r.files['p8443.listeners.map'], 'one.example.com l0\n');
  assert.equal(r.files['p8443.listeners-wild.map'], '.example.com l1\n');
  assert.match(r.config, /set-var\(txn\.sl\) str\(l2\) if \{ ssl_fc_sni -m found \}/);
  assert.match(r.config, /return status 421 .* if \{ ssl_fc_sni -m found \} !\{ var\(txn\.sl\),strcmp\(txn\.hl\) eq 0 \}/);
});

test('filters: header modifiers, redirect and rewrite', () => {
  const [r] = renderObjects([
    ...base(),
    httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/old' } }],
          filters: [
            { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: '1' }], add: [{ name: 'x-b', value: '2' }], remove: ['x-c'] } },
            { type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'x-r', value: 'v' }] } },
            { type: 'URLRewrite', urlRewrite: { hostname: 'new.example.com', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' } } },
          ],
          backendRefs: [{ name: 'echo', port: 80 }],
        },
        { matches: [{ path: { type: 'PathPrefix', value: '/go' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] },
      ],
    }),
  ]);
  assert.ok(r);
  assert.match(r.config, /http-request set-header x-a 1\n\s+http-request add-header x-b 2\n\s+http-request del-header x-c/);
  assert.match(r.config, /http-response set-header x-r v/);
  assert.match(r.config, /http-request set-header host new\.example\.com/);
  assert.match(r.config, /set-var\(txn\.rest\) var\(txn\.path\),bytes\(4\)/);
  assert.match(r.config, /http-request set-path %\[var\(txn\.np\)\]/);
  assert.match(r.config, /redirect location 'https:\/\/%\[var\(txn\.rhost\)\]%\[var\(txn\.path\)\]' code 301/);
});

test('HAProxy accepts the rendered configuration, crafted values included', { skip: !haproxyInstalled && 'haproxy is not installed' }, () => {
  const crafted = `a'b "c" \\d #e %[src] }{ $HOME \${X}`;
  const objects = [
    ...base(),
    httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      hostnames: ['crafted.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'Exact', value: "/a'b(c)*;=:@" }, headers: [{ name: 'x-h', value: crafted }, { type: 'RegularExpression', name: 'x-re', value: '^a\\s+b[#}]$' }], queryParams: [{ name: 'q', value: crafted }] }],
          filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-set', value: crafted }] } }],
          backendRefs: [{ name: 'echo', port: 80 }],
        },
        { matches: [{ path: { type: 'RegularExpression', value: '/re/[a-z]+ #x' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: "/x'%[src]" } } }] },
      ],
    }),
  ];
  const gw = run(objects).ir.gateways[0];
  assert.ok(gw);
  const check = haproxyCheck((dir) => renderGateway(gw, { dir, globalLines: [] }));
  assert.ok(check.ok, `${check.output}\n${check.config}`);
  // No value escaped its argument: every directive line is one the renderer wrote.
  const directives = check.config.split('\n').filter((l) => /^\s+(http-request|http-response|use_backend|server|bind)\b/.test(l));
  for (const l of directives) assert.ok(!/\n/.test(l));
  assert.equal(check.config.match(/^\s+http-request set-header x-set /gm)?.length, 1);
  assert.match(check.config, /%%\[src\]/, '% is doubled in log-format values');
});

test('the frontend does not grow with the number of conditional routes', () => {
  const routes = (n: number): KubeObject[] =>
    Array.from({ length: n }, (_, i) =>
      httpRoute(`r${i}`, {
        parentRefs: [{ name: 'gw' }],
        hostnames: [`h${i}.example.com`],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/c' }, headers: [{ name: 'x-canary', value: 'on' }], queryParams: [{ name: 'v', value: '2' }], method: 'GET' }], backendRefs: [{ name: 'echo', port: 80 }] },
          { matches: [{ path: { type: 'RegularExpression', value: `/r${i}/[0-9]+` } }], backendRefs: [{ name: 'echo', port: 80 }] },
          { matches: [{ path: { type: 'Exact', value: '/e' } }], backendRefs: [{ name: 'echo', port: 80 }] },
        ],
      }),
    );
  const frontendLines = (n: number): number => {
    const [r] = renderObjects([...base(), ...routes(n)]);
    assert.ok(r);
    const front = r.config.slice(r.config.indexOf('frontend p8080'), r.config.indexOf('backend not_found'));
    return front.split('\n').length;
  };
  assert.equal(frontendLines(50), frontendLines(1));
});

test('timeouts beyond what HAProxy holds become its longest timer; retries are bounded', () => {
  const [r] = renderObjects([
    ...base(),
    httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ timeouts: { request: '99999h' }, retry: { attempts: 1_000_000 }, backendRefs: [{ name: 'echo', port: 80 }] }] }),
  ]);
  assert.ok(r);
  assert.match(r.config, /^ {2}timeout server 2147483647ms$/m);
  assert.match(r.config, /^ {2}retries 10$/m);
});

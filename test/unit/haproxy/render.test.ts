// What the renderer writes for each feature is pinned by the golden cases (test/golden/cases/
// render-*: input, status, IR and every rendered file); these tests check what a golden file
// cannot: that HAProxy accepts crafted values, and that the frontend's size does not grow with routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { endpointSlice, gateway, gatewayClass, httpRoute, service, tlsSecret } from '../core/builders.js';
import { LONGEST_INTERNAL_SOCKET_NAME } from '../../../src/haproxy/internal-socket.js';
import { renderGateway } from '../../../src/haproxy/render.js';
import { LOG_OPERATORS } from '../../../src/graph/access-log.js';
import { run } from '../core/builders.js';
import { haproxyCheck, haproxyInstalled, renderObjects } from './support.js';
import type { KubeObject } from '../../../src/api/object.js';

const base = (): KubeObject[] => [
  gatewayClass(),
  gateway('gw', [{ name: 'http', port: 8080, protocol: 'HTTP' }]),
  service('echo'),
  endpointSlice('echo', ['127.0.0.1', '127.0.0.2']),
];

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

test('HAProxy accepts crafted TrafficPolicy and DirectResponse values, and the extremes the CRDs allow', { skip: !haproxyInstalled && 'haproxy is not installed' }, () => {
  const crafted = `a'b "c" \\d #e %[src] }{ $HOME \${X}`;
  const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' });
  const objects: KubeObject[] = [
    ...base(),
    httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      rules: [
        { name: 'a', backendRefs: [{ name: 'echo', port: 80 }] },
        { name: 'b', matches: [{ path: { type: 'PathPrefix', value: '/b' } }], filters: [{ type: 'ExtensionRef', extensionRef: { group: 'gateway.portico.dev', kind: 'DirectResponse', name: 'crafted' } }] },
      ],
    }),
    { apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'DirectResponse', metadata: meta('crafted'), spec: { status: 200, body: `${crafted}\nhttp-request deny\n` } },
    {
      apiVersion: 'gateway.portico.dev/v1alpha1',
      kind: 'TrafficPolicy',
      metadata: meta('crafted'),
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r' }],
        headerModifiers: { request: { set: [{ name: 'x-set', value: crafted }] }, response: { add: [{ name: "x-a'b", value: crafted }] } },
        // The longest window the CRD allows (99999h per fill, int32 tokens) is past HAProxy's timers.
        rateLimit: { local: { tokenBucket: { maxTokens: 2147483647, tokensPerFill: 1, fillInterval: '99999h' }, key: { type: 'Header', header: 'x-client' } } },
        rbac: { action: 'Deny', policy: { matchExpressions: [`request.headers['x-a'] == ${JSON.stringify(crafted)} || !(request.url_path.startsWith(${JSON.stringify(crafted)}) && source.address == '::1')`, "request.path == '/a?b#c'"] } },
        buffer: { maxRequestSize: '100' },
        compression: { responseCompression: {} },
        cors: { allowOrigins: ['https://*.example.com:8443'], allowHeaders: ['x-a'] },
        retry: { attempts: 2, retryOn: ['gateway-error'], perTryTimeout: '1s' },
        timeouts: { request: '3s' },
        csrf: { additionalOrigins: [{ exact: crafted, ignoreCase: true }, { safeRegex: '^(a|b)[.]example$' }] },
        urlRewrite: { pathRegex: { pattern: '^/a(,b)?[)\\]]*\\d+"$%{x}#', substitution: '/\\1"$%[src]#' } },
      },
    },
  ];
  const gw = run(objects).ir.gateways[0];
  assert.ok(gw);
  const check = haproxyCheck((dir) => renderGateway(gw, { dir, globalLines: [] }));
  assert.ok(check.ok, `${check.output}\n${check.config}`);
  assert.equal(check.config.match(/^\s+http-request deny/gm), null, 'the body stays in its file');
  assert.equal(check.config.match(/^\s+http-request set-header x-set /gm)?.length, 2, 'one line in each rule the policy covers');
  assert.match(check.config, /http-request track-sc0 req\.hdr\(x-client\) table rl_\w+/);
  assert.equal(check.config.match(/http-request set-path "%\[path,regsub\(/g)?.length, 1, 'the path rewrite in the rule that forwards; the direct response has no path to rewrite');
  assert.match(check.config, /stick-table type string len 128 size 100k/);
  assert.match(check.config, /http-request return status 403 .* if \{ req\.hdr\(x-a\) -m str .* \|\| !\{ path -m beg .* !\{ src ::1\/128 \} \|\| \{ pathq -m str /);
});

test('HAProxy accepts crafted access log formats, JSON and text', { skip: !haproxyInstalled && 'haproxy is not installed' }, () => {
  const crafted = `a'b "c" \\d #e }{ $HOME \${X} ]] [x]`;
  const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' });
  const every = Object.keys(LOG_OPERATORS).map((op) => (op === 'REQ' || op === 'RESP' ? `%${op}(x-a|b?x-c):10%` : `%${op}%`));
  for (const format of [
    { jsonFormat: { [crafted]: `${crafted} %REQ(:AUTHORITY)%`, all: Object.fromEntries(every.map((e, i) => [`k${i}`, e])), n: 1.5, b: false, z: null, o: { [crafted]: crafted } } },
    { stringFormat: `${crafted} ${every.join(' ')} %REQ(:PATH)% %REQ(:SCHEME)%\n` },
  ]) {
    const objects: KubeObject[] = [
      ...base(),
      httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }),
      {
        apiVersion: 'gateway.portico.dev/v1alpha1',
        kind: 'HTTPListenerPolicy',
        metadata: meta('logs'),
        spec: {
          targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }],
          healthCheck: { path: '/healthz' },
          accessLog: [{ fileSink: { path: '/dev/stdout', ...format }, filter: { orFilter: [{ headerFilter: { header: { name: 'x-a|b', value: crafted } } }, { headerFilter: { header: { name: 'x-re', type: 'RegularExpression', value: '^a\\s+[#}]$' } } }, { notHealthCheckFilter: true }] } }],
        },
      },
    ];
    const gw = run(objects).ir.gateways[0];
    assert.ok(gw?.ports[0]?.settings?.accessLog, 'the policy applies');
    const check = haproxyCheck((dir) => renderGateway(gw, { dir, globalLines: [] }));
    assert.ok(check.ok, `${check.output}\n${check.config}`);
    assert.equal(check.config.match(/^\s+log-format /gm)?.length, 1);
  }
});

test('HAProxy accepts crafted authentication values: ext auth, basic auth and JWT', { skip: !haproxyInstalled && 'haproxy is not installed' }, () => {
  const crafted = `a'b "c" \\d #e }{ $HOME \${X} ]]`;
  const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' });
  const target = (rule: string) => ({ targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r', sectionName: rule }] });
  const secret = Buffer.from('s3cret').toString('base64url');
  const objects: KubeObject[] = [
    ...base(),
    service('authz'),
    endpointSlice('authz', ['127.0.0.2']),
    httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      rules: ['ext', 'basic', 'jwt'].map((name) => ({ name, matches: [{ path: { type: 'PathPrefix', value: `/${name}` } }], backendRefs: [{ name: 'echo', port: 80 }] })),
    }),
    {
      apiVersion: 'gateway.portico.dev/v1alpha1',
      kind: 'GatewayExtension',
      metadata: meta('ext'),
      spec: {
        type: 'ExtAuth',
        extAuth: {
          headersToForward: ["x-a'b"],
          httpService: { backendRef: { name: 'authz', port: 80 }, pathPrefix: "/a'b$(c)", authorizationRequest: { headersToAdd: { 'x-crafted': crafted } }, authorizationResponse: { headersToBackend: ['x-user'] } },
        },
      },
    },
    {
      apiVersion: 'gateway.portico.dev/v1alpha1',
      kind: 'GatewayExtension',
      metadata: meta('jwt'),
      spec: {
        type: 'JWT',
        jwt: {
          providers: [
            {
              name: crafted,
              issuer: crafted,
              audiences: [crafted, 'plain'],
              jwks: { local: { inline: JSON.stringify({ keys: [{ kty: 'oct', kid: crafted, k: secret }] }) } },
              tokenSource: { header: { header: 'x-token', prefix: crafted } },
              claimsToHeaders: [{ name: 'a.b-c_d', header: "x-a'b" }],
            },
          ],
        },
      },
    },
    { apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'TrafficPolicy', metadata: meta('ext'), spec: { ...target('ext'), extAuth: { extensionRef: { name: 'ext' } } } },
    { apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'TrafficPolicy', metadata: meta('basic'), spec: { ...target('basic'), basicAuth: { users: [`a'b"c}{$HOME]]%[src]:{SHA}tiY7sUhYKUwI5L3866kDY+ENcrQ=`] } } },
    { apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'TrafficPolicy', metadata: meta('jwt'), spec: { ...target('jwt'), jwtAuth: { extensionRef: { name: 'jwt' } } } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('keys'), data: { [`c'l"i}{$HOME%[src]`]: Buffer.from(`k'e"y}{$HOME%[src]`).toString('base64') } } as KubeObject,
    { apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'TrafficPolicy', metadata: meta('apikey'), spec: { ...target('basic'), apiKeyAuth: { secretRef: { name: 'keys' }, keySources: [{ header: 'x-key', cookie: 'key' }], forwardCredential: true, clientIdHeader: "x-c'l" } } },
  ];
  const t = run(objects);
  const refused = t.graph.trafficPolicies.policies.filter((p) => p.problem).map((p) => `${p.key}: ${p.problem}`);
  assert.deepEqual(refused, []);
  const gw = t.ir.gateways[0];
  assert.ok(gw);
  const check = haproxyCheck((dir) => renderGateway(gw, { dir, globalLines: [] }));
  assert.ok(check.ok, `${check.output}\n${check.config}`);
  assert.equal(check.config.match(/lua\.portico_ext_auth/g)?.length, 1);
  assert.match(check.config, /jwt_verify\(HS256,s3cret\)/);
  assert.match(check.config, /req\.cook\(key\)/);
  for (const m of check.config.matchAll(/unix@(\S+)/g)) assert.ok(path.basename(m[1] as string).length <= `${LONGEST_INTERNAL_SOCKET_NAME}.sock`.length);
});

test('HAProxy accepts the process lines of GatewayParameters', { skip: !haproxyInstalled && 'haproxy is not installed' }, () => {
  const gw = run(base()).ir.gateways[0];
  assert.ok(gw);
  const check = haproxyCheck((dir) => renderGateway({ ...gw, process: { threads: 2, maxConnections: 1000, logLevel: 'debug' } }, { dir, globalLines: [] }));
  assert.ok(check.ok, `${check.output}\n${check.config}`);
  assert.match(check.config, /nbthread 2\n\s+maxconn 1000\n\s+log stderr format raw daemon debug/);
});

test('HAProxy accepts a Static Backend by DNS name: a resolvers section and servers that use it', { skip: !haproxyInstalled && 'haproxy is not installed' }, () => {
  const objects: KubeObject[] = [
    ...base(),
    { apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'Backend', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'Static', static: { hosts: [{ host: 'localhost', port: 9000 }, { host: 'nothing.invalid', port: 9000 }] } } } as KubeObject,
    httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ group: 'gateway.portico.dev', kind: 'Backend', name: 'ext' }] }] }),
  ];
  const gw = run(objects).ir.gateways[0];
  assert.ok(gw);
  const check = haproxyCheck((dir) => renderGateway(gw, { dir, globalLines: [] }));
  assert.ok(check.ok, `${check.output}\n${check.config}`);
  assert.match(check.config, /server s0_1 nothing\.invalid:9000 weight \d+ resolvers portico init-addr last,libc,none/);
  assert.match(check.config, /^resolvers portico\n\s+parse-resolv-conf/m);
});

test('every internal socket a rendering binds fits the room the instance directory is checked for', () => {
  const objects: KubeObject[] = [
    gatewayClass(),
    gateway('gw', [
      { name: 'https', port: 65535, protocol: 'HTTPS', hostname: 'a.example.com', tls: { certificateRefs: [{ name: 'cert' }] } },
      { name: 'tls', port: 65535, protocol: 'TLS', hostname: 'b.example.com', tls: { mode: 'Passthrough' } },
    ]),
    tlsSecret('cert'),
    service('echo'),
    endpointSlice('echo', ['127.0.0.1']),
    httpRoute('r', {
      parentRefs: [{ name: 'gw', sectionName: 'https' }],
      rules: [0, 1, 2].map((n) => ({ matches: [{ path: { type: 'PathPrefix', value: `/${n}` } }], retry: { attempts: 2 }, timeouts: { request: `${n + 1}s` }, backendRefs: [{ name: 'echo', port: 80 }] })),
    }),
  ];
  const gw = run(objects).ir.gateways[0];
  assert.ok(gw);
  const config = renderGateway(gw, { dir: '/state/gw/current', globalLines: [] }).config;
  const sockets = [...new Set([...config.matchAll(/unix@(\S+)/g)].map((m) => path.basename(m[1] as string)))];
  assert.equal(sockets.filter((s) => s.startsWith('a')).length, 3, `one attempts hop per rule: ${sockets.join(', ')}`);
  assert.ok(sockets.some((s) => s.startsWith('p65535-')), sockets.join(', '));
  for (const s of sockets) assert.ok(s.length <= `${LONGEST_INTERNAL_SOCKET_NAME}.sock`.length, `${s} is longer than the room reserved`);
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


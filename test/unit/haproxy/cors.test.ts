import { test } from 'node:test';
import assert from 'node:assert/strict';
import { condOf, endpointSlice, gateway, gatewayClass, httpRoute, parentStatus, run, service } from '../core/builders.js';
import { corsLines, corsProblem, originRegex } from '../../../src/haproxy/cors.js';
import { renderGateway } from '../../../src/haproxy/render.js';
import { UnsafeValueError } from '../../../src/haproxy/quote.js';
import type { HTTPCORSFilter } from '../../../src/api/spec.js';
import type { KubeObject } from '../../../src/api/object.js';
import { haproxyCheck, haproxyInstalled, renderObjects } from './support.js';

const base = (): KubeObject[] => [gatewayClass(), gateway('gw', [{ name: 'http', port: 8080, protocol: 'HTTP' }]), service('echo'), endpointSlice('echo', ['127.0.0.1'])];

function routeWith(cors: HTTPCORSFilter, extra: object = {}): KubeObject {
  return httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ filters: [{ type: 'CORS', cors }], backendRefs: [{ name: 'echo', port: 80 }], ...extra }] });
}

/** The rendered backend of the first rule. */
function ruleBackend(cors: HTTPCORSFilter, extra: object = {}): string {
  const [r] = renderObjects([...base(), routeWith(cors, extra)]);
  assert.ok(r);
  return r.config.slice(r.config.indexOf('backend p8080_r1\n')).split('\n\n')[0] ?? '';
}

/** Whether an Origin header value is allowed by one allowOrigins entry, as HAProxy matches it (-i). */
function allows(entry: string, origin: string): boolean {
  return new RegExp(`^(?:${originRegex(entry)})$`, 'i').test(origin);
}

test('origins: scheme, host and port must match; a left-out port is the default one', () => {
  assert.ok(allows('https://www.foo.com', 'https://www.foo.com'));
  assert.ok(allows('https://www.foo.com', 'https://www.foo.com:443'));
  assert.ok(allows('https://www.foo.com:443', 'https://www.foo.com'));
  assert.ok(allows('https://WWW.Foo.com', 'https://www.foo.com'), 'hosts are case-insensitive');
  assert.ok(allows('http://localhost:8080', 'http://localhost:8080'));
  assert.ok(!allows('https://www.foo.com', 'http://www.foo.com'));
  assert.ok(!allows('https://www.foo.com', 'https://www.foo.com:8443'));
  assert.ok(!allows('http://localhost:8080', 'http://localhost'));
  assert.ok(!allows('https://www.foo.com', 'https://wwwxfoo.com'), 'a dot is not any character');
  assert.ok(!allows('https://www.foo.com', 'https://www.foo.com.evil.example'));
  assert.ok(!allows('https://www.foo.com', 'https://www.foo.com/'));
});

test('origins: "*" in the host stands for one or more labels to its left, nothing else', () => {
  assert.ok(allows('https://*.bar.com', 'https://www.bar.com'));
  assert.ok(allows('https://*.bar.com', 'https://xpto.www.bar.com'));
  assert.ok(allows('https://*.bar.com', 'https://a_b.bar.com:443'));
  assert.ok(!allows('https://*.bar.com', 'https://bar.com'));
  assert.ok(!allows('https://*.bar.com', 'https://evilbar.com'));
  assert.ok(!allows('https://*.bar.com', 'https://www.bar.com:8443'));
  for (const crafted of ['https://evil.example:1.bar.com', 'https://x@evil.example/.bar.com', 'https://evil.example/x.bar.com', 'https://evil.example#.bar.com', 'https://.bar.com', 'https://a..bar.com/']) {
    assert.ok(!allows('https://*.bar.com', crafted), crafted);
  }
  assert.ok(allows('http://*', 'http://anything.example'));
  assert.ok(allows('http://*', 'http://[::1]'));
  assert.ok(allows('http://*:8080', 'http://10.0.0.1:8080'));
  assert.ok(!allows('http://*', 'https://anything.example'));
  assert.ok(!allows('http://*', 'http://anything.example:8080'));
});

test('corsProblem refuses what cannot be expressed, in plain words', () => {
  assert.equal(corsProblem({ allowOrigins: ['*', 'https://a.example:443'], allowMethods: ['*'], allowHeaders: ["x-a'b"], exposeHeaders: ['*'], maxAge: 5 }), undefined);
  assert.match(corsProblem({ allowOrigins: ['https://a.example:99999'] }) ?? '', /port 99999 is outside 1-65535/);
  assert.match(corsProblem({ allowOrigins: ['https://a.example:0'] }) ?? '', /port 0 is outside/);
  assert.match(corsProblem({ allowOrigins: ['https://a.example/path'] }) ?? '', /not of the form scheme:\/\/host\[:port\]/);
  assert.match(corsProblem({ allowOrigins: ["https://a.example'"] }) ?? '', /not of the form/);
  assert.match(corsProblem({ allowHeaders: ['x a'] }) ?? '', /allowHeaders: "x a" is not a valid name/);
  assert.match(corsProblem({ exposeHeaders: ['x\ny'] }) ?? '', /exposeHeaders/);
  assert.match(corsProblem({ allowMethods: ['GET,PUT'] }) ?? '', /allowMethods/);
  assert.match(corsProblem({ maxAge: 0 }) ?? '', /maxAge/);
  assert.throws(() => corsLines({ allowOrigins: ['https://a.example:70000'] }), UnsafeValueError);
});

test('a CORS rule the renderer cannot express is refused in route status, not rendered', () => {
  const t = run([...base(), routeWith({ allowOrigins: ['https://a.example:70000'] })]);
  const accepted = condOf(parentStatus(t, 'HTTPRoute/default/r').conditions, 'Accepted') as { status: string; reason: string; message?: string };
  assert.deepEqual([accepted.status, accepted.reason], ['False', 'UnsupportedValue']);
  assert.match(accepted.message ?? '', /port 70000 is outside 1-65535/);
  const ok = run([...base(), routeWith({ allowOrigins: ['https://a.example'] })]);
  assert.equal(condOf(parentStatus(ok, 'HTTPRoute/default/r').conditions, 'Accepted').status, 'True');
});

test('the preflight is answered first: before a redirect and before the 500 of a rule without backends', () => {
  const redirect = ruleBackend({ allowOrigins: ['https://a.example'] }, { filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'b.example' } }, { type: 'CORS', cors: { allowOrigins: ['https://a.example'] } }] });
  assert.ok(redirect.indexOf('return status 204') < redirect.indexOf('redirect location'), redirect);
  const [r] = renderObjects([...base(), httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ filters: [{ type: 'CORS', cors: { allowOrigins: ['*'] } }] }] })]);
  assert.ok(r);
  const body = r.config.slice(r.config.indexOf('backend p8080_r1\n'));
  assert.ok(body.indexOf('return status 204') < body.indexOf('return status 500'), body);
});

test('allowed origins: one anchored, case-insensitive regex; "*" without credentials answers "*"', () => {
  const b = ruleBackend({ allowOrigins: ['https://www.foo.com', 'https://*.bar.com'], allowCredentials: true, allowMethods: ['GET', 'OPTIONS'], allowHeaders: ['x-header-1', 'x-header-2'], exposeHeaders: ['x-header-3'], maxAge: 3600 });
  assert.match(b, /set-var\(txn\.cors_origin\) req\.fhdr\(origin\) if \{ req\.fhdr_cnt\(origin\) eq 1 \} \{ req\.fhdr\(origin\) -m reg -i -- '\^\(\?:https:\/\/www\\\.foo\\\.com\(\?::443\)\?\|https:\/\/\(\?:\[a-z0-9_-\]\+\\\.\)\+bar\\\.com\(\?::443\)\?\)\$' \}/);
  assert.match(b, /set-header Access-Control-Allow-Origin %\[var\(txn\.cors_origin\)\] if/);
  assert.match(b, /set-header Access-Control-Allow-Credentials true if/);
  assert.match(b, /set-header Access-Control-Allow-Methods 'GET, OPTIONS' if/);
  assert.match(b, /set-header Access-Control-Allow-Headers 'x-header-1, x-header-2' if/);
  assert.match(b, /set-header Access-Control-Max-Age 3600 if/);
  const any = ruleBackend({ allowOrigins: ['*'] });
  assert.match(any, /set-header Access-Control-Allow-Origin '\*' if/);
  assert.match(any, /set-header Access-Control-Max-Age 5 if/, 'maxAge defaults to 5');
  assert.doesNotMatch(any, /Allow-Credentials true|Allow-Methods|Allow-Headers|Expose-Headers '/);
  assert.match(ruleBackend({ allowOrigins: ['*'], allowCredentials: true }), /Allow-Origin %\[var\(txn\.cors_origin\)\]/, 'with credentials the origin is echoed');
  const none = ruleBackend({});
  assert.doesNotMatch(none, /set-var\(txn\.cors_origin\)/, 'no origin is allowed');
  assert.match(none, /return status 403/);
});

test('exposeHeaders "*" with credentials lists the response header names instead', () => {
  const b = ruleBackend({ allowOrigins: ['*'], allowCredentials: true, exposeHeaders: ['*', 'x-a'] });
  assert.match(b, /set-header Access-Control-Expose-Headers 'x-a, %\[res\.hdr_names\]' if !\{ var\(txn\.cors_preflight\) -m found \}/);
  assert.doesNotMatch(b, /Expose-Headers '\*/);
  assert.match(ruleBackend({ allowOrigins: ['*'], exposeHeaders: ['*'] }), /set-header Access-Control-Expose-Headers '\*' if/);
});

test('haproxy -c accepts every CORS variant, crafted header names and 64 of the longest origins', { skip: !haproxyInstalled && 'haproxy is not installed' }, () => {
  // Characters the CRD lets into a header name that HAProxy's parser treats specially: quotes,
  // "$" (environment variables), "%" (log-format), "#" (comments).
  const crafted = ["x-it's", 'x-$HOME', 'x-%ci', 'x-100%', 'x-#c', 'x-`b`', 'x-a&b|c~d^e!*+.'];
  const label = 'a'.repeat(63);
  const long = (i: number) => `https://${String(i).padStart(2, '0')}${label.slice(2)}.${label}.${label}.${'b'.repeat(47)}:65535`;
  const origins = Array.from({ length: 64 }, (_, i) => long(i));
  assert.equal(origins[0]?.length, 253);
  const variants: HTTPCORSFilter[] = [
    { allowOrigins: ['https://www.foo.com', 'https://*.bar.com', 'http://*', 'http://*:8080'], allowCredentials: true, allowMethods: ['GET', 'OPTIONS'], allowHeaders: crafted, exposeHeaders: crafted, maxAge: 3600 },
    { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: ['*', ...crafted], allowCredentials: true },
    { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: ['*'] },
    { allowOrigins: origins },
    {},
  ];
  for (const cors of variants) {
    const t = run([...base(), routeWith(cors)]);
    assert.equal(condOf(parentStatus(t, 'HTTPRoute/default/r').conditions, 'Accepted').status, 'True', JSON.stringify(cors));
    const gw = t.ir.gateways[0];
    assert.ok(gw);
    const check = haproxyCheck((dir) => renderGateway(gw, { dir, globalLines: [] }));
    assert.ok(check.ok, `${JSON.stringify(cors)}\n${check.output}\n${check.config}`);
    assert.match(check.config, /http-after-response/);
  }
});

/**
 * Traffic port of upstream HTTPRouteCORS: preflights answered by the gateway for exact and
 * wildcard origins, actual requests getting Access-Control-Allow-Origin, "*" in allowOrigins,
 * allowMethods and allowHeaders with and without credentials.
 *
 * Where upstream accepts several answers, the one Portico gives is asserted: 204 for an allowed
 * preflight, 403 for a refused one, "*" as Access-Control-Allow-Origin only for a "*" origin
 * without credentials, the requested method and headers for a "*" in allowMethods/allowHeaders.
 *
 * The second test is not upstream: the corners HAProxy could get wrong (the preflight answered
 * before a redirect or a 500, CORS headers on HAProxy's own responses, a backend's own CORS
 * headers replaced, origins crafted to slip past a wildcard, repeated Origin headers, header names
 * that mean something to HAProxy's configuration language, "*" in exposeHeaders with credentials).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import type { JsonResponse } from '../support/echo-server.js';
import { backends, INFRA_NS, runCases, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, headerValue, rawExchange, rawHeaderValues, startStack, type Stack } from './harness.js';

const skip = !haproxyInstalled && 'haproxy is not installed';

function corsRoute(name: string, rules: { prefix: string; cors: object; filters?: object[]; backend?: boolean }[]): string {
  return stringify({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: INFRA_NS },
    spec: {
      parentRefs: [{ name: 'same-namespace' }],
      rules: rules.map((r) => ({
        matches: [{ path: { type: 'PathPrefix', value: r.prefix } }],
        filters: [{ type: 'CORS', cors: r.cors }, ...(r.filters ?? [])],
        ...(r.backend === false ? {} : { backendRefs: [{ name: V1, port: 8080 }] }),
      })),
    },
  });
}

const UPSTREAM_ROUTES = [
  corsRoute('cors-multiple-origins-methods-headers', [
    {
      prefix: '/cors-1',
      cors: {
        allowOrigins: ['https://www.foo.com', 'https://*.bar.com'],
        allowMethods: ['GET', 'OPTIONS'],
        allowHeaders: ['x-header-1', 'x-header-2'],
        exposeHeaders: ['x-header-3', 'x-header-4'],
        allowCredentials: true,
        maxAge: 3600,
      },
    },
  ]),
  corsRoute('cors-wildcard-methods', [{ prefix: '/cors-2', cors: { allowOrigins: ['https://www.foo.com'], allowMethods: ['*'] } }]),
  corsRoute('cors-wildcard-origin', [{ prefix: '/cors-wildcard-origin', cors: { allowOrigins: ['*'], allowMethods: ['PUT'], allowCredentials: false } }]),
  corsRoute('cors-wildcard-methods-headers', [
    { prefix: '/cors-wildcard-methods-headers', cors: { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], allowCredentials: true } },
    { prefix: '/cors-wildcard-methods-headers-unauth', cors: { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], allowCredentials: false } },
  ]),
];

interface Preflight {
  path: string;
  origin: string | string[];
  method: string;
  requestHeaders?: string;
  status: 204 | 403;
  /** Expected response headers, whitespace ignored (upstream's IgnoreWhitespace). */
  headers?: Record<string, string>;
  absent?: string[];
}

const squash = (s: string | undefined) => s?.replace(/\s+/g, '');

function preflightMismatch(p: Preflight, r: JsonResponse): string | undefined {
  if (r.status !== p.status) return `status ${r.status}, want ${p.status}`;
  // Answered by HAProxy: the echo backend would have sent a JSON body.
  if (r.text !== '' && p.status === 204) return `body ${JSON.stringify(r.text.slice(0, 100))}: the preflight was forwarded`;
  for (const [name, want] of Object.entries(p.headers ?? {})) {
    const got = headerValue(r.headers, name);
    if (squash(got) !== squash(want)) return `${name}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;
  }
  for (const name of p.absent ?? []) {
    const got = headerValue(r.headers, name);
    if (got !== undefined) return `${name}: ${JSON.stringify(got)}, want it absent`;
  }
  return undefined;
}

async function preflights(stack: Stack, gw: string, list: readonly Preflight[]): Promise<void> {
  for (const p of list) {
    const headers: Record<string, string | string[]> = { Origin: p.origin, 'Access-Control-Request-Method': p.method };
    if (p.requestHeaders !== undefined) headers['Access-Control-Request-Headers'] = p.requestHeaders;
    const what = `OPTIONS ${p.path} from ${JSON.stringify(p.origin)} for ${p.method}`;
    let why: string | undefined;
    await stack
      .eventually(what, () => stack.request(gw, 80, { path: p.path, method: 'OPTIONS', headers }), (r) => (why = preflightMismatch(p, r)) === undefined)
      .catch((err: unknown) => {
        throw new Error(`${what}: ${why ?? ''}\n${err instanceof Error ? err.message : String(err)}`);
      });
  }
}

const ALL_CORS = ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-expose-headers', 'access-control-max-age'];

test('HTTPRouteCORS', { skip }, async (t) => {
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${UPSTREAM_ROUTES.join('---\n')}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  for (const name of ['cors-multiple-origins-methods-headers', 'cors-wildcard-methods', 'cors-wildcard-origin', 'cors-wildcard-methods-headers']) {
    await stack.routeCondition(INFRA_NS, name, 'same-namespace', 'Accepted', 'True', 'Accepted');
    await stack.routeCondition(INFRA_NS, name, 'same-namespace', 'ResolvedRefs', 'True', 'ResolvedRefs');
  }
  const cors1 = (origin: string) => ({
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, OPTIONS',
    'access-control-allow-headers': 'x-header-1, x-header-2',
    'access-control-expose-headers': 'x-header-3, x-header-4',
    'access-control-max-age': '3600',
    'access-control-allow-credentials': 'true',
  });
  await preflights(stack, gw, [
    { path: '/cors-1', origin: 'https://www.foo.com', method: 'GET', requestHeaders: 'x-header-1, x-header-2', status: 204, headers: cors1('https://www.foo.com') },
    { path: '/cors-1', origin: 'https://www.bar.com', method: 'GET', requestHeaders: 'x-header-1, x-header-2', status: 204, headers: cors1('https://www.bar.com') },
    { path: '/cors-1', origin: 'https://xpto.www.bar.com', method: 'GET', requestHeaders: 'x-header-1, x-header-2', status: 204, headers: cors1('https://xpto.www.bar.com') },
    { path: '/cors-1', origin: 'https://foobar.com', method: 'GET', status: 403, absent: ALL_CORS },
    {
      path: '/cors-2',
      origin: 'https://www.foo.com',
      method: 'POST',
      status: 204,
      headers: { 'access-control-allow-origin': 'https://www.foo.com', 'access-control-allow-methods': 'POST', 'access-control-max-age': '5' },
      absent: ['access-control-allow-credentials'],
    },
    { path: '/cors-wildcard-origin', origin: 'https://foobar.com', method: 'PUT', status: 204, headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'PUT' }, absent: ['access-control-allow-credentials'] },
    { path: '/cors-wildcard-origin', origin: 'https://foobar.com:12345', method: 'PUT', status: 204, headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'PUT' }, absent: ['access-control-allow-credentials'] },
    {
      path: '/cors-wildcard-methods-headers',
      origin: 'https://other.foo.com',
      method: 'PUT',
      requestHeaders: 'x-header-1, x-header-2',
      status: 204,
      headers: { 'access-control-allow-origin': 'https://other.foo.com', 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'x-header-1, x-header-2', 'access-control-allow-credentials': 'true' },
    },
    {
      path: '/cors-wildcard-methods-headers-unauth',
      origin: 'https://other.foo.com',
      method: 'PUT',
      requestHeaders: 'x-header-1, x-header-2',
      status: 204,
      headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'x-header-1, x-header-2' },
      absent: ['access-control-allow-credentials'],
    },
  ]);
  const requested = { 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-header-1, x-header-2' };
  await runCases(stack, gw, 80, [
    { path: '/cors-1', headers: { Origin: 'https://www.foo.com', ...requested }, response: { headers: { 'access-control-allow-origin': 'https://www.foo.com' } }, backend: V1 },
    { path: '/cors-1', headers: { Origin: 'https://www.bar.com', ...requested }, response: { headers: { 'access-control-allow-origin': 'https://www.bar.com' } }, backend: V1 },
    { path: '/cors-1', headers: { Origin: 'https://foobar.com', 'access-control-request-method': 'GET' }, response: { absentHeaders: ALL_CORS }, backend: V1 },
    { path: '/cors-wildcard-origin', method: 'PUT', headers: { Origin: 'https://foobar.com:12345' }, response: { headers: { 'access-control-allow-origin': '*' } }, backend: V1 },
    { path: '/cors-wildcard-origin', method: 'PUT', headers: { Origin: 'https://foobar.com' }, response: { headers: { 'access-control-allow-origin': '*' }, absentHeaders: ['access-control-allow-credentials'] }, backend: V1 },
    {
      path: '/cors-wildcard-methods-headers',
      headers: { Origin: 'https://other.foo.com' },
      response: { headers: { 'access-control-allow-origin': 'https://other.foo.com', 'access-control-allow-credentials': 'true' } },
      backend: V1,
    },
    {
      path: '/cors-wildcard-methods-headers-unauth',
      headers: { Origin: 'https://other.foo.com' },
      response: { headers: { 'access-control-allow-origin': '*' }, absentHeaders: ['access-control-allow-credentials'] },
      backend: V1,
    },
  ]);
});

/** Header names the CRD allows that HAProxy's configuration language gives a meaning to. */
const CRAFTED = ["x-it's", 'x-$HOME', 'x-%ci', 'x-100%', 'x-#c', 'x-`b`', 'x-a&b|c~d^e!*+.'];

test('CORS corners: ordering, HAProxy-made responses, backend headers, crafted origins and names', { skip }, async (t) => {
  const bar = () => ['https://*.bar.com'];
  const routes = corsRoute('cors-corners', [
    {
      prefix: '/redirect',
      cors: { allowOrigins: ['https://app.example'] },
      filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'other.example', statusCode: 302 } }],
      backend: false,
    },
    { prefix: '/no-backend', cors: { allowOrigins: ['*'] }, backend: false },
    {
      prefix: '/crafted',
      cors: { allowOrigins: bar(), allowCredentials: true, allowMethods: ['*'], allowHeaders: [...CRAFTED], exposeHeaders: [...CRAFTED] },
      // Set by the rule itself, and still the CORS filter decides the header.
      filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'Access-Control-Allow-Origin', value: 'https://evil.example' }] } }],
    },
    { prefix: '/expose-all', cors: { allowOrigins: bar(), allowCredentials: true, exposeHeaders: ['*'] } },
  ]);
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${routes}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.routeCondition(INFRA_NS, 'cors-corners', 'same-namespace', 'Accepted', 'True', 'Accepted');

  await preflights(stack, gw, [
    // The preflight is answered before the redirect, and before the 500 of a rule without backends.
    { path: '/redirect', origin: 'https://app.example', method: 'GET', status: 204, headers: { 'access-control-allow-origin': 'https://app.example', 'access-control-max-age': '5' } },
    { path: '/no-backend', origin: 'https://app.example', method: 'DELETE', status: 204, headers: { 'access-control-allow-origin': '*' }, absent: ['access-control-allow-methods'] },
    // Requested method and headers are echoed only when they are tokens.
    { path: '/crafted', origin: 'https://a.b.bar.com', method: 'BAD METHOD', status: 204, headers: { 'access-control-allow-origin': 'https://a.b.bar.com' }, absent: ['access-control-allow-methods'] },
    // Several Origin headers: which one would be answered is ambiguous, so none is.
    { path: '/crafted', origin: ['https://a.bar.com', 'https://evil.example'], method: 'GET', status: 403, absent: ALL_CORS },
  ]);
  // An OPTIONS request that is not a preflight (no Origin) is an ordinary request.
  await runCases(stack, gw, 80, [{ path: '/crafted', method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'GET' }, response: { absentHeaders: ALL_CORS }, backend: V1 }]);

  // HAProxy's own responses carry the CORS headers too, so a browser can read them.
  const redirect = await stack.request(gw, 80, { path: '/redirect/x', headers: { Origin: 'https://app.example' } });
  assert.equal(redirect.status, 302);
  assert.equal(headerValue(redirect.headers, 'location'), `http://other.example/redirect/x`);
  assert.equal(headerValue(redirect.headers, 'access-control-allow-origin'), 'https://app.example');
  assert.equal(headerValue(redirect.headers, 'vary'), 'Origin');
  const failed = await stack.request(gw, 80, { path: '/no-backend', headers: { Origin: 'https://app.example' } });
  assert.equal(failed.status, 500);
  assert.equal(headerValue(failed.headers, 'access-control-allow-origin'), '*');

  // The backend's (and ResponseHeaderModifier's) CORS headers give way to the filter's answer.
  const backendSays = { 'X-Echo-Set-Header': 'Access-Control-Allow-Origin:https://evil.example,Access-Control-Allow-Credentials:true,Vary:Accept' };
  await runCases(stack, gw, 80, [
    { path: '/crafted', headers: { Origin: 'HTTPS://A.Bar.com', ...backendSays }, response: { headers: { 'access-control-allow-origin': 'HTTPS://A.Bar.com', 'access-control-allow-credentials': 'true', vary: 'Accept,Origin' } }, backend: V1 },
    ...['https://evil.example', 'https://bar.com', 'https://evilbar.com', 'https://bar.com.evil.example', 'https://a.bar.com:8443', 'http://a.bar.com', 'https://evil.example/.bar.com', 'https://evil.example#.bar.com', 'https://evil.example:1.bar.com', 'null'].map((origin) => ({
      path: '/crafted',
      headers: { Origin: origin, ...backendSays },
      response: { absentHeaders: ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers'] },
      backend: V1,
    })),
  ]);
  const twoOrigins = await stack.request(gw, 80, { path: '/crafted', headers: { Origin: ['https://a.bar.com', 'https://a.bar.com'] } });
  assert.equal(headerValue(twoOrigins.headers, 'access-control-allow-origin'), undefined);

  // Byte for byte: no quote, "$", "%" or "#" in a header name changed what HAProxy sends.
  const raw = await rawExchange(
    gw,
    80,
    'OPTIONS /crafted HTTP/1.1\r\nHost: x\r\nOrigin: https://a.bar.com\r\nAccess-Control-Request-Method: PATCH\r\nAccess-Control-Request-Headers: x-it\'s\r\nConnection: close\r\n\r\n',
  );
  assert.match(raw.toString('latin1'), /^HTTP\/1\.1 204 /);
  assert.deepEqual(rawHeaderValues(raw, 'Access-Control-Allow-Headers'), [CRAFTED.join(', ')]);
  assert.deepEqual(rawHeaderValues(raw, 'Access-Control-Expose-Headers'), [CRAFTED.join(', ')]);
  assert.deepEqual(rawHeaderValues(raw, 'Access-Control-Allow-Methods'), ['PATCH']);
  assert.deepEqual(rawHeaderValues(raw, 'Access-Control-Allow-Origin'), ['https://a.bar.com']);
  assert.deepEqual(rawHeaderValues(raw, 'Access-Control-Allow-Credentials'), ['true']);

  // exposeHeaders "*" with credentials: browsers would not honour "*", so the names are listed.
  const all = await stack.request(gw, 80, { path: '/expose-all', headers: { Origin: 'https://a.bar.com', 'X-Echo-Set-Header': 'X-Custom:1' } });
  assert.equal(all.status, 200);
  const exposed = (headerValue(all.headers, 'access-control-expose-headers') ?? '').toLowerCase().split(',');
  assert.ok(exposed.includes('x-custom') && !exposed.includes('*'), `Access-Control-Expose-Headers: ${exposed.join(',')}`);
});

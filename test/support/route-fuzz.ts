/**
 * Generated HTTPRoutes and GRPCRoutes for fuzzing the renderer (test/unit/haproxy/fuzz-render.test.ts, and more
 * runs through bench/fuzz-render.ts): every field the renderer reads, with values chosen to be
 * awkward for a configuration file (quotes, percent signs, braces, backslashes, spaces, non-ASCII,
 * long values, many matches). Objects the validator refuses are dropped by the caller; what is
 * left is what a route owner can write, and every one of them must render to a configuration
 * HAProxy accepts, or be refused for its rule alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { KubeObject } from '../../src/api/object.js';
import { checkConfig } from '../../src/haproxy/check.js';
import { writeConfigFiles } from '../../src/haproxy/generations.js';
import { renderGateway } from '../../src/haproxy/render.js';
import { translate } from '../../src/pipeline/translate.js';
import { ResourceSet } from '../../src/store/resources.js';
import { Validator } from '../../src/validation/index.js';
import { haproxyRuleProblem } from '../../src/haproxy/capabilities.js';

const G = 'gateway.networking.k8s.io/v1';

/** Characters that mean something to HAProxy, to maps, to Lua patterns or to URLs. */
const AWKWARD = [..."'\"%[]{}()#\\ ;|$&*+?^.,:=<>@!~`", 'é', '☃', '\t'];
const awkwardChar = fc.oneof(fc.constantFrom(...AWKWARD), fc.string({ minLength: 1, maxLength: 1 }));
const awkward = (maxLength: number) =>
  fc.oneof(fc.string({ minLength: 1, maxLength }), fc.array(awkwardChar, { minLength: 1, maxLength }).map((cs) => cs.join('')), fc.stringMatching(/^[!-~]{1,40}$/));
const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/);
const pathValue = fc.oneof(fc.constantFrom('/', '/a', '/a/b', '/a/', '/%2e', '/x;y'), fc.stringMatching(/^\/[A-Za-z0-9/._~!$&'()*+,;=:@-]{0,30}$/));
const duration = fc.stringMatching(/^([0-9]{1,5}(h|m|s|ms)){1,2}$/);
const hostname = fc.constantFrom('a.example.com', '*.example.com', 'b.example.com', 'x.test');

const headerMatch = fc.record({ type: fc.constantFrom('Exact', 'RegularExpression'), name: token, value: awkward(40) });
const queryMatch = fc.record({ type: fc.constantFrom('Exact', 'RegularExpression'), name: token, value: awkward(40) });
const match = fc.record(
  {
    path: fc.oneof(fc.record({ type: fc.constantFrom('Exact', 'PathPrefix'), value: pathValue }), fc.record({ type: fc.constant('RegularExpression'), value: awkward(30) })),
    headers: fc.array(headerMatch, { maxLength: 16 }),
    queryParams: fc.array(queryMatch, { maxLength: 4 }),
    method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
  },
  { requiredKeys: ['path'] },
);

const headerModifier = fc.record(
  { set: fc.array(fc.record({ name: token, value: awkward(30) }), { maxLength: 3 }), add: fc.array(fc.record({ name: token, value: awkward(30) }), { maxLength: 3 }), remove: fc.array(token, { maxLength: 3 }) },
  { requiredKeys: [] },
);
const pathModifier = fc.oneof(
  fc.record({ type: fc.constant('ReplaceFullPath'), replaceFullPath: awkward(30) }),
  fc.record({ type: fc.constant('ReplacePrefixMatch'), replacePrefixMatch: awkward(30) }),
);
const filter = fc.oneof(
  fc.record({ type: fc.constant('RequestHeaderModifier'), requestHeaderModifier: headerModifier }),
  fc.record({ type: fc.constant('ResponseHeaderModifier'), responseHeaderModifier: headerModifier }),
  fc.record({ type: fc.constant('URLRewrite'), urlRewrite: fc.record({ hostname: fc.constantFrom('rewritten.example.com', 'x'), path: pathModifier }, { requiredKeys: [] }) }),
  fc.record({
    type: fc.constant('RequestRedirect'),
    requestRedirect: fc.record(
      { scheme: fc.constantFrom('http', 'https'), hostname: fc.constantFrom('r.example.com'), port: fc.integer({ min: 1, max: 65535 }), statusCode: fc.constantFrom(301, 302), path: pathModifier },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ type: fc.constant('RequestMirror'), requestMirror: fc.record({ backendRef: fc.record({ name: fc.constantFrom('s1', 's2'), port: fc.constant(80) }) }) }),
  fc.record({
    type: fc.constant('CORS'),
    cors: fc.record(
      {
        allowOrigins: fc.array(fc.constantFrom('*', 'https://a.example.com', 'https://*.example.com', 'http://x.test:8080'), { maxLength: 64 }),
        allowMethods: fc.subarray(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', '*']),
        allowHeaders: fc.array(token, { maxLength: 64 }),
        exposeHeaders: fc.array(token, { maxLength: 64 }),
        allowCredentials: fc.boolean(),
        maxAge: fc.integer({ min: 1, max: 86_400 }),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ type: fc.constant('ExtensionRef'), extensionRef: fc.record({ group: fc.constant('example.com'), kind: fc.constant('Magic'), name: fc.constant('m') }) }),
);
const backendRef = fc.record({ name: fc.constantFrom('s1', 's2', 'missing'), port: fc.constant(80), weight: fc.integer({ min: 0, max: 1_000_000 }) }, { requiredKeys: ['name', 'port'] });
const rule = fc.record(
  {
    matches: fc.array(match, { maxLength: 3 }),
    filters: fc.array(filter, { maxLength: 3 }),
    backendRefs: fc.array(backendRef, { maxLength: 3 }),
    timeouts: fc.record({ request: duration }, { requiredKeys: [] }),
    retry: fc.record({ attempts: fc.integer({ min: 0, max: 1_000_000 }), codes: fc.array(fc.integer({ min: 400, max: 599 }), { maxLength: 3 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const grpcName = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,20}$/), awkward(20));
const grpcRule = fc.record(
  {
    matches: fc.array(
      fc.record(
        {
          method: fc.record({ type: fc.constantFrom('Exact', 'RegularExpression'), service: grpcName, method: grpcName }, { requiredKeys: [] }),
          headers: fc.array(headerMatch, { maxLength: 8 }),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
    filters: fc.array(
      fc.oneof(
        fc.record({ type: fc.constant('RequestHeaderModifier'), requestHeaderModifier: headerModifier }),
        fc.record({ type: fc.constant('ResponseHeaderModifier'), responseHeaderModifier: headerModifier }),
        fc.record({ type: fc.constant('RequestMirror'), requestMirror: fc.record({ backendRef: fc.record({ name: fc.constantFrom('s1', 's2'), port: fc.constant(80) }) }) }),
      ),
      { maxLength: 2 },
    ),
    backendRefs: fc.array(backendRef, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** Up to three routes, HTTPRoutes and GRPCRoutes, each on the Gateway "gw": [kind, spec]. */
export const routeSpecs = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constant('HTTPRoute'), fc.record({ hostnames: fc.array(hostname, { maxLength: 2 }), rules: fc.array(rule, { minLength: 1, maxLength: 3 }) }, { requiredKeys: ['rules'] })) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('GRPCRoute'), fc.record({ hostnames: fc.array(hostname, { maxLength: 2 }), rules: fc.array(grpcRule, { minLength: 1, maxLength: 3 }) }, { requiredKeys: ['rules'] })) },
  ),
  { minLength: 1, maxLength: 3 },
);

const validator = new Validator();

/** The objects of one case, routes the validator refuses left out (undefined when none is left). */
export function fuzzObjects(specs: readonly (readonly [string, object])[]): KubeObject[] | undefined {
  const routes: KubeObject[] = [];
  specs.forEach(([kind, spec], i) => {
    const route: KubeObject = { apiVersion: G, kind, metadata: { name: `r${i}`, namespace: 'default' }, spec: { parentRefs: [{ name: 'gw' }], ...spec } };
    const checked = validator.validate(route);
    if (checked.ok && checked.object) routes.push(checked.object);
  });
  if (routes.length === 0) return undefined;
  const service = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } });
  const slice = (name: string, address: string): KubeObject => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [address] }],
    ports: [{ port: 8080 }],
  });
  return [
    { apiVersion: G, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } },
    { apiVersion: G, kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'portico', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] } },
    service('s1'),
    service('s2'),
    slice('s1', '127.0.0.2'),
    slice('s2', '127.0.0.3'),
    ...routes,
  ];
}

/** Renders the case and runs `haproxy -c` on it: undefined when HAProxy accepts it, else why not. */
export async function renderProblem(objects: KubeObject[]): Promise<string | undefined> {
  const gw = translate(new ResourceSet(objects), { addressPool: '127.0.10.0/24', checkRule: haproxyRuleProblem }).ir.gateways[0];
  if (!gw) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-fuzz-'));
  try {
    let rendered;
    try {
      rendered = renderGateway(gw, { dir, globalLines: [] });
    } catch (err) {
      return `renderGateway: ${(err as Error).message}`;
    }
    await writeConfigFiles(dir, { config: rendered.config, extra: rendered.files });
    const checked = await checkConfig('haproxy', path.join(dir, 'haproxy.cfg'), 30_000);
    return checked.ok ? undefined : `haproxy -c: ${checked.message}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

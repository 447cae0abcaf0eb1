/**
 * The object sets of the proxy benchmarks (throughput, request cost): one Gateway (HTTP on port 80
 * or HTTPS on 443) and N HTTPRoutes of one shape, each route with its own hostname, every
 * backendRef to a Service whose one endpoint is PROXY_BENCH_BACKEND; and, per shape, the requests
 * that exercise every rule of one route.
 *
 * Shapes:
 *  - basic:  a PathPrefix `/api/<i>` rule with a RequestHeaderModifier, and a catch-all.
 *  - canary: an Exact path; a PathPrefix with a header match split 90/10 over two Services; a
 *            PathPrefix with a RequestHeaderModifier; a catch-all with a ResponseHeaderModifier.
 *  - mixed:  a RegularExpression path; method GET with a query parameter match; a header match
 *            whose value differs per route; a plain catch-all.
 *  - policy: the canary rules, and per route a TrafficPolicy (gateway.portico.dev) with a local
 *            rate limit too high to trigger and a request header modifier (issue 13's shape).
 *  - access-log: the basic rules, and a ListenerPolicy logging every request as a JSON line
 *            (route, rule, backend, status, timings, upstream) to Portico's stdout.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../src/api/object.js';

export const PROXY_BENCH_BACKEND = { host: '127.0.91.1', port: 8080 };

export const PROXY_BENCH_SHAPES = ['basic', 'canary', 'mixed', 'policy', 'access-log'] as const;
export type ProxyBenchShape = (typeof PROXY_BENCH_SHAPES)[number];

export function isProxyBenchShape(text: string): text is ProxyBenchShape {
  return (PROXY_BENCH_SHAPES as readonly string[]).includes(text);
}

/** The HAProxy both proxy benchmarks put behind every proxy: one thread answering 200 "ok" to anything. */
export const PROXY_BENCH_BACKEND_CONFIG = haproxyConfig(1, `frontend be\n  bind ${PROXY_BENCH_BACKEND.host}:${PROXY_BENCH_BACKEND.port}\n  http-request return status 200 content-type text/plain string ok\n`);

/**
 * The baseline both proxy benchmarks measure Portico against: a minimal HAProxy forwarding
 * everything to the backend. `binds` are whole bind arguments, e.g. "127.0.93.1:443 ssl crt x.pem".
 * `threads` must be what the measured proxy runs with.
 */
export function proxyBenchBaselineConfig(binds: string | readonly string[], threads = 1): string {
  const lines = (typeof binds === 'string' ? [binds] : binds).map((b) => `  bind ${b}\n`).join('');
  return haproxyConfig(threads, `frontend fe\n${lines}  default_backend b\nbackend b\n  server s ${PROXY_BENCH_BACKEND.host}:${PROXY_BENCH_BACKEND.port}\n`);
}

function haproxyConfig(threads: number, sections: string): string {
  return `global\n  nbthread ${threads}\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n${sections}`;
}

/** A certificate and its key, PEM. */
export interface BenchCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * A self-signed ECDSA P-256 certificate for *.example.com (every route hostname), made with the
 * openssl command in `dir`: generated at each start rather than checked in, so no private key
 * lives in the repository and none expires.
 */
export function benchCertificate(dir: string): BenchCertificate {
  const keyFile = path.join(dir, 'bench.key');
  const certFile = path.join(dir, 'bench.crt');
  const r = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '7', '-subj', '/CN=*.example.com', '-addext', 'subjectAltName=DNS:*.example.com'],
    { encoding: 'utf8' },
  );
  if (r.error || r.status !== 0) throw new Error(`openssl could not make the benchmark certificate: ${r.error?.message ?? r.stderr}`);
  return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}

export interface ProxyBenchOptions {
  /** The Gateway's address (spec.addresses). */
  address?: string;
  /** Present: the listener is HTTPS on port 443, terminating TLS with this certificate. */
  tls?: BenchCertificate;
}

const G = 'gateway.networking.k8s.io/v1';
const SECRET = 'bench-tls';

/** The objects of `shape` with `routes` routes. */
export function proxyBenchObjects(shape: ProxyBenchShape, routes: number, options: ProxyBenchOptions = {}): KubeObject[] {
  const listener = options.tls
    ? { name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: SECRET }] }, allowedRoutes: { namespaces: { from: 'Same' } } }
    : { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } };
  const out: KubeObject[] = [
    { apiVersion: G, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } },
    { apiVersion: G, kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'portico', addresses: [{ type: 'IPAddress', value: options.address ?? '127.0.92.1' }], listeners: [listener] } },
    ...backendService('backend'),
  ];
  if (shape === 'canary' || shape === 'policy') out.push(...backendService('backend-b'));
  if (options.tls) {
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: SECRET, namespace: 'default' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': Buffer.from(options.tls.certPem).toString('base64'), 'tls.key': Buffer.from(options.tls.keyPem).toString('base64') },
    });
  }
  for (let i = 0; i < routes; i++) {
    out.push({
      apiVersion: G,
      kind: 'HTTPRoute',
      metadata: { name: `r${i}`, namespace: 'default' },
      spec: { parentRefs: [{ name: 'gw' }], hostnames: [hostname(i)], rules: RULES[shape](i) },
    });
    if (shape === 'policy') out.push(benchPolicy(i));
  }
  if (shape === 'access-log') out.push(accessLogPolicy());
  return out;
}

/** What docs/policies.md shows: one JSON line per request to stdout. */
function accessLogPolicy(): KubeObject {
  const field = (op: string) => `%${op}%`;
  return {
    apiVersion: 'gateway.portico.dev/v1alpha1',
    kind: 'ListenerPolicy',
    metadata: { name: 'access-log', namespace: 'default' },
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }],
      default: {
        httpSettings: {
          accessLog: [
            {
              fileSink: {
                path: '/dev/stdout',
                jsonFormat: {
                  time: field('START_TIME'),
                  method: field('REQ(:METHOD)'),
                  path: field('REQ(:PATH)'),
                  status: field('RESPONSE_CODE'),
                  duration_ms: field('DURATION'),
                  route: field('ROUTE_NAME'),
                  rule: field('ROUTE_RULE'),
                  backend: field('UPSTREAM_CLUSTER'),
                  upstream: field('UPSTREAM_HOST'),
                  client: field('DOWNSTREAM_REMOTE_ADDRESS'),
                },
              },
            },
          ],
        },
      },
    },
  };
}

/** A TrafficPolicy on route i: a rate limit no benchmark reaches (a million per second) and a header. */
function benchPolicy(i: number): KubeObject {
  return {
    apiVersion: 'gateway.portico.dev/v1alpha1',
    kind: 'TrafficPolicy',
    metadata: { name: `p${i}`, namespace: 'default' },
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: `r${i}` }],
      rateLimit: { local: { tokenBucket: { maxTokens: 1_000_000, tokensPerFill: 1_000_000, fillInterval: '1s' } } },
      headerModifiers: { request: { set: [{ name: 'x-policy', value: String(i) }] } },
    },
  };
}

function backendService(name: string): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80 }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: PROXY_BENCH_BACKEND.port }],
      endpoints: [{ addresses: [PROXY_BENCH_BACKEND.host] }],
    },
  ];
}

const hostname = (i: number) => `host-${i}.example.com`;
const to = (name: string, weight?: number) => ({ name, port: 80, ...(weight === undefined ? {} : { weight }) });
const prefix = (value: string) => ({ type: 'PathPrefix', value });

const RULES: Record<ProxyBenchShape, (i: number) => unknown[]> = {
  basic: (i) => [
    { matches: [{ path: prefix(`/api/${i}`) }], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: String(i) }] } }], backendRefs: [to('backend')] },
    { matches: [{ path: prefix('/') }], backendRefs: [to('backend')] },
  ],
  canary: (i) => [
    { matches: [{ path: { type: 'Exact', value: '/exact' } }], backendRefs: [to('backend')] },
    { matches: [{ path: prefix('/canary'), headers: [{ type: 'Exact', name: 'x-canary', value: 'on' }] }], backendRefs: [to('backend', 90), to('backend-b', 10)] },
    { matches: [{ path: prefix('/api') }], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: String(i) }] } }], backendRefs: [to('backend')] },
    { matches: [{ path: prefix('/') }], filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'x-served-by', value: `route-${i}` }] } }], backendRefs: [to('backend')] },
  ],
  policy: (i) => RULES.canary(i),
  'access-log': (i) => RULES.basic(i),
  mixed: (i) => [
    { matches: [{ path: { type: 'RegularExpression', value: '/items/[0-9]+' } }], backendRefs: [to('backend')] },
    { matches: [{ path: prefix('/search'), method: 'GET', queryParams: [{ type: 'Exact', name: 'version', value: '2' }] }], backendRefs: [to('backend')] },
    { matches: [{ path: prefix('/tenant'), headers: [{ type: 'Exact', name: 'x-tenant', value: `t${i}` }] }], backendRefs: [to('backend')] },
    { matches: [{ path: prefix('/') }], backendRefs: [to('backend')] },
  ],
};

export interface BenchRequest {
  host: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
}

/**
 * One request per rule of the route in the middle of the set (all GET, all answered 200): the
 * middle so that neither the first nor the last entry of a table is what is measured.
 */
export function proxyBenchRequests(shape: ProxyBenchShape, routes: number): BenchRequest[] {
  const middle = Math.floor(routes / 2);
  const host = hostname(middle);
  const r = (p: string, headers: Record<string, string> = {}): BenchRequest => ({ host, path: p, headers });
  switch (shape) {
    case 'basic':
    case 'access-log':
      return [r(`/api/${middle}/x`), r('/')];
    case 'canary':
    case 'policy':
      return [r('/exact'), r('/canary/x', { 'x-canary': 'on' }), r('/api/x'), r('/other')];
    case 'mixed':
      return [r('/items/42'), r('/search?version=2'), r('/tenant/x', { 'x-tenant': `t${middle}` }), r('/')];
  }
}

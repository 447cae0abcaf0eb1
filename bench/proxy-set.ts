/**
 * The object set of the proxy benchmarks (throughput, request cost): one Gateway on port 80 and N
 * HTTPRoutes, each with its own hostname, a prefix rule with a request header filter and a
 * catch-all rule, all to one Service whose one endpoint is PROXY_BENCH_BACKEND.
 */
import type { KubeObject } from '../src/api/object.js';

export const PROXY_BENCH_BACKEND = { host: '127.0.91.1', port: 8080 };

/** The HAProxy both proxy benchmarks put behind every proxy: one thread answering 200 "ok". */
export const PROXY_BENCH_BACKEND_CONFIG = haproxyConfig(`frontend be\n  bind ${PROXY_BENCH_BACKEND.host}:${PROXY_BENCH_BACKEND.port}\n  http-request return status 200 content-type text/plain string ok\n`);

/** The baseline both proxy benchmarks measure Portico against: a minimal one-thread HAProxy forwarding to the backend. */
export function proxyBenchBaselineConfig(bind: string): string {
  return haproxyConfig(`frontend fe\n  bind ${bind}\n  default_backend b\nbackend b\n  server s ${PROXY_BENCH_BACKEND.host}:${PROXY_BENCH_BACKEND.port}\n`);
}

function haproxyConfig(sections: string): string {
  return `global\n  nbthread 1\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n${sections}`;
}

/** The objects, the Gateway on `address` (port 80): throughput runs two Portico configurations side by side. */
export function proxyBenchSet(routes: number, address = '127.0.92.1'): KubeObject[] {
  const G = 'gateway.networking.k8s.io/v1';
  const out: KubeObject[] = [
    { apiVersion: G, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } },
    { apiVersion: G, kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'portico', addresses: [{ type: 'IPAddress', value: address }], listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80 }] } },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'backend-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'backend' } }, addressType: 'IPv4', ports: [{ name: 'http', port: PROXY_BENCH_BACKEND.port }], endpoints: [{ addresses: [PROXY_BENCH_BACKEND.host] }] },
  ];
  for (let i = 0; i < routes; i++) {
    out.push({
      apiVersion: G,
      kind: 'HTTPRoute',
      metadata: { name: `r${i}`, namespace: 'default' },
      spec: {
        parentRefs: [{ name: 'gw' }],
        hostnames: [`host-${i}.example.com`],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: `/api/${i}` } }], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: String(i) }] } }], backendRefs: [{ name: 'backend', port: 80 }] },
          { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'backend', port: 80 }] },
        ],
      },
    });
  }
  return out;
}

/**
 * What the benchmarks request from a set of `routes` routes: a route in the middle of the set,
 * its catch-all rule (routing only), or with BENCH_RULE=filtered its prefix rule, which also runs
 * the request header filter.
 */
export function proxyBenchRequest(routes: number): { host: string; path: string } {
  const middle = Math.floor(routes / 2);
  return { host: `host-${middle}.example.com`, path: process.env.BENCH_RULE === 'filtered' ? `/api/${middle}` : '/' };
}

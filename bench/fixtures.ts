/** Synthetic object sets for benchmarks: N HTTPRoutes spread over G Gateways in several namespaces. */
import type { KubeObject } from '../src/api/object.js';

const G = 'gateway.networking.k8s.io/v1';

export function syntheticSet(routes: number, gateways: number, namespaces = 10): KubeObject[] {
  const out: KubeObject[] = [
    { apiVersion: G, kind: 'GatewayClass', metadata: { name: 'portico', generation: 1 }, spec: { controllerName: 'portico.dev/gateway-controller' } },
  ];
  for (let n = 0; n < namespaces; n++) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}`, labels: { bench: 'yes' } } });
  }
  for (let g = 0; g < gateways; g++) {
    out.push({
      apiVersion: G,
      kind: 'Gateway',
      metadata: { name: `gw-${g}`, namespace: 'ns-0', generation: 1 },
      spec: {
        gatewayClassName: 'portico',
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { bench: 'yes' } } } } },
          { name: 'alt', port: 8080, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } },
        ],
      },
    });
  }
  for (let r = 0; r < routes; r++) {
    const ns = `ns-${r % namespaces}`;
    const svc = `svc-${r % 500}`;
    out.push({
      apiVersion: G,
      kind: 'HTTPRoute',
      metadata: { name: `route-${r}`, namespace: ns, generation: 1 },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: `gw-${r % gateways}`, namespace: 'ns-0' }],
        hostnames: [`host-${r}.example.com`],
        rules: [
          {
            matches: [
              { path: { type: 'PathPrefix', value: `/api/${r}` }, headers: [{ type: 'Exact', name: 'x-tenant', value: `t${r}` }] },
              { path: { type: 'Exact', value: `/exact/${r}` } },
            ],
            filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: `${r}` }] } }],
            backendRefs: [
              { group: '', kind: 'Service', name: svc, port: 80, weight: 90 },
              { group: '', kind: 'Service', name: `svc-${(r + 1) % 500}`, port: 80, weight: 10 },
            ],
          },
          { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: svc, port: 80, weight: 1 }] },
        ],
      },
    });
  }
  const svcCount = Math.min(500, routes + 1);
  for (let s = 0; s < svcCount; s++) {
    for (let n = 0; n < namespaces; n++) {
      const ns = `ns-${n}`;
      out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${s}`, namespace: ns }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
      out.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `svc-${s}-a`, namespace: ns, labels: { 'kubernetes.io/service-name': `svc-${s}` } },
        addressType: 'IPv4',
        endpoints: [{ addresses: [`127.1.${s % 250}.${n + 1}`], conditions: { ready: true } }],
        ports: [{ name: 'http', port: 8080 }],
      });
    }
  }
  return out;
}

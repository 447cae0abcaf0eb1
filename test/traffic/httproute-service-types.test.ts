/**
 * Traffic port of upstream HTTPRouteServiceTypes: a regular and a headless Service whose
 * EndpointSlices are written by hand (port names mapping the Service port to another target port,
 * an IPv4 slice with the backend and an empty IPv6 slice), and a headless Service with the usual
 * slice, all reach the backend.
 */
import { test } from 'node:test';
import { stringify } from 'yaml';
import { backends, INFRA_NS, runCases, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const TYPES = ['manual-endpointslices', 'headless-manual-endpointslices', 'headless'];
const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: service-types, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
${TYPES.map((name) => `  - matches: [{path: {type: Exact, value: /${name}}}]\n    backendRefs: [{name: ${name}, port: 8080}]\n`).join('')}`;

function serviceObjects(name: string, headless: boolean, host: string, port: number): string[] {
  const slice = (family: 'IPv4' | 'IPv6', addresses: string[]) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-${family === 'IPv4' ? 'ip4' : 'ip6'}`, namespace: INFRA_NS, labels: { 'kubernetes.io/service-name': name } },
    addressType: family,
    ports: [{ name: 'first-port', port, protocol: 'TCP' }],
    endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true } })),
  });
  return [
    stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: INFRA_NS },
      spec: { ...(headless ? { clusterIP: 'None' } : {}), ports: [{ name: 'first-port', port: 8080, targetPort: 3000, protocol: 'TCP' }] },
    }),
    stringify(slice('IPv4', [host])),
    stringify(slice('IPv6', [])),
  ];
}

test('HTTPRouteServiceTypes', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  // The slices need the echo server's port: the manifests are made once it is listening.
  const stack = await startStack(t, backends(V1), (echo) => {
    const e = echo.get(V1);
    if (!e) throw new Error('no echo backend');
    return [
      gatewayYaml(),
      route,
      ...serviceObjects('manual-endpointslices', false, e.host, e.port),
      ...serviceObjects('headless-manual-endpointslices', true, e.host, e.port),
      // "headless": the EndpointSlice a cluster would make for the pod.
      stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'headless', namespace: INFRA_NS }, spec: { clusterIP: 'None', ports: [{ name: 'first-port', port: 8080, targetPort: e.port }] } }),
      stringify({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'headless-abcde', namespace: INFRA_NS, labels: { 'kubernetes.io/service-name': 'headless' } },
        addressType: 'IPv4',
        ports: [{ name: 'first-port', port: e.port }],
        endpoints: [{ addresses: [e.host] }],
      }),
    ].join('---\n');
  });
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, TYPES.map((name) => ({ path: `/${name}`, backend: V1 })));
});

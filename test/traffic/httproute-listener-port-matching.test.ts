/**
 * Traffic port of upstream HTTPRouteListenerPortMatching: parentRef.port attaches a route to the
 * listeners on that port only; the Host header carries the port, which hostname matching ignores.
 */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2, V3 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const GW = 'httproute-listener-port-matching';
const listener = (name: string, port: number, hostname: string) =>
  `  - name: ${name}\n    port: ${port}\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n    hostname: ${hostname}\n`;
const route = (name: string, parent: string, backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${GW}, namespace: ${INFRA_NS}, ${parent}}]
  rules:
  - backendRefs: [{name: ${backend}, port: 8080}]
`;

const manifests = [
  gatewayYaml(
    GW,
    INFRA_NS,
    listener('listener-1', 80, 'foo.com') + listener('listener-2', 8080, 'foo.com') + listener('listener-3', 8080, 'bar.com') + listener('listener-4', 8090, 'foo.com') + listener('listener-5', 8090, 'bar.com'),
  ),
  route('backend-v1', 'port: 80', V1),
  route('backend-v2', 'port: 8080', V2),
  route('backend-v3', 'port: 8090, sectionName: listener-4', V3),
].join('---\n');

test('HTTPRouteListenerPortMatching', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  await runCases(stack, gw, 80, [{ host: 'foo.com', path: '/', backend: V1 }]);
  await runCases(stack, gw, 8080, [
    { host: 'foo.com:8080', path: '/', backend: V2 },
    { host: 'bar.com:8080', path: '/', backend: V2 },
  ]);
  await runCases(stack, gw, 8090, [
    { host: 'foo.com:8090', path: '/', backend: V3 },
    { host: 'bar.com:8090', path: '/', status: 404 },
  ]);
});

/**
 * Traffic port of upstream HTTPRouteListenerHostnameMatching: listeners on one port with
 * different hostnames stay isolated; a request goes to the most specific matching listener.
 */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2, V3 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const GW = 'httproute-listener-hostname-matching';
const listener = (name: string, hostname: string) =>
  `  - name: ${name}\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n    hostname: "${hostname}"\n`;
const route = (name: string, sections: string[], backend: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs:
${sections.map((s) => `  - {name: ${GW}, namespace: ${INFRA_NS}, sectionName: ${s}}`).join('\n')}
  rules:
  - backendRefs: [{name: ${backend}, port: 8080}]
`;

const manifests = [
  gatewayYaml(GW, INFRA_NS, listener('listener-1', 'bar.com') + listener('listener-2', 'foo.bar.com') + listener('listener-3', '*.bar.com') + listener('listener-4', '*.foo.com')),
  route('backend-v1', ['listener-1'], V1),
  route('backend-v2', ['listener-2'], V2),
  route('backend-v3', ['listener-3', 'listener-4'], V3),
].join('---\n');

test('HTTPRouteListenerHostnameMatching', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  await runCases(stack, gw, 80, [
    { host: 'bar.com', path: '/', backend: V1 },
    { host: 'foo.bar.com', path: '/', backend: V2 },
    { host: 'baz.bar.com', path: '/', backend: V3 },
    { host: 'boo.bar.com', path: '/', backend: V3 },
    { host: 'multiple.prefixes.bar.com', path: '/', backend: V3 },
    { host: 'multiple.prefixes.foo.com', path: '/', backend: V3 },
    { host: 'foo.com', path: '/', status: 404 },
    { host: 'no.matching.host', path: '/', status: 404 },
  ]);
});

/**
 * Traffic port of upstream TCPRouteParentRefPortAndSectionName: three TCP listeners and three
 * TCPRoutes, attached by port, by sectionName, and by both. Each listener's port reaches its own
 * route's backend, and only that one.
 */
import { test } from 'node:test';
import { INFRA_NS } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, startStack } from './harness.js';
import { expectRouteCondition, expectStream, streamBackend } from './stream.js';

const GW = 'tcp-multi-listener-gateway';
const listener = (name: string, port: number) => `  - name: ${name}
    protocol: TCP
    port: ${port}
    allowedRoutes: {kinds: [{kind: TCPRoute}]}
`;
const route = (name: string, parentRef: string, backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${GW}, ${parentRef}}]
  rules:
  - backendRefs: [{name: ${backend}, port: 3000}]
`;

const CASES = [
  { route: 'tcp-route-by-port', parentRef: 'port: 9300', port: 9300, backend: 'tcp-echo-one' },
  { route: 'tcp-route-by-section', parentRef: 'sectionName: two', port: 9301, backend: 'tcp-echo-two' },
  { route: 'tcp-route-by-section-and-port', parentRef: 'sectionName: three, port: 9302', port: 9302, backend: 'tcp-echo-three' },
];

test('TCPRouteParentRefPortAndSectionName', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const manifests = [
    classYaml(),
    extraGatewayYaml(GW, INFRA_NS, listener('one', 9300) + listener('two', 9301) + listener('three', 9302)),
    ...CASES.map((c) => route(c.route, c.parentRef, c.backend)),
  ].join('---\n');
  const stack = await startStack(t, CASES.map((c) => streamBackend(c.backend, 3000)), manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  for (const c of CASES) {
    await t.test(c.route, async () => {
      await expectRouteCondition(stack, 'TCPRoute', c.route, GW, 'Accepted', 'True', 'Accepted');
      await expectStream(stack, gw, c.port, {}, { backend: c.backend, backendTls: false });
    });
  }
});

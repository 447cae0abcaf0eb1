/**
 * Traffic port of upstream TCPRouteParentRefAttachAll: a TCPRoute whose parentRef names neither a
 * sectionName nor a port attaches to all four TCP listeners of its Gateway, and every listener's
 * port reaches its backend.
 */
import { test } from 'node:test';
import { INFRA_NS } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, startStack } from './harness.js';
import { expectRouteCondition, expectStream, streamBackend } from './stream.js';

const GW = 'tcp-attach-all-gateway';
const LISTENERS = [
  ['one', 9310],
  ['two', 9311],
  ['three', 9312],
  ['four', 9313],
] as const;
const listeners = LISTENERS.map(([name, port]) => `  - name: ${name}
    protocol: TCP
    port: ${port}
    allowedRoutes: {kinds: [{kind: TCPRoute}]}
`).join('');
const route = `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: tcp-route-attach-all, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${GW}}]
  rules:
  - backendRefs: [{name: tcp-echo-attach-all, port: 3000}]
`;

test('TCPRouteParentRefAttachAll', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, [streamBackend('tcp-echo-attach-all', 3000)], [classYaml(), extraGatewayYaml(GW, INFRA_NS, listeners), route].join('---\n'));
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  await expectRouteCondition(stack, 'TCPRoute', 'tcp-route-attach-all', GW, 'Accepted', 'True', 'Accepted');
  for (const [, port] of LISTENERS) await expectStream(stack, gw, port, {}, { backend: 'tcp-echo-attach-all', backendTls: false });
});

/**
 * Traffic port of upstream TCPRouteReferenceGrant: a TCPRoute in gateway-conformance-infra sends
 * to a Service in gateway-conformance-web-backend, which a ReferenceGrant there permits. Once the
 * grant is deleted the route reports ResolvedRefs=False RefNotPermitted, and (not upstream) its
 * connections are closed instead of reaching the backend.
 */
import { test } from 'node:test';
import { INFRA_NS } from './cases.js';
import { classYaml, extraGatewayYaml, haproxyInstalled, namespaceYaml, startStack } from './harness.js';
import { expectRejected, expectRouteCondition, expectStream, streamBackend } from './stream.js';

const GW = 'tcp-reference-grant-gateway';
const WEB = 'gateway-conformance-web-backend';
const listener = `  - name: tcp
    protocol: TCP
    port: 9320
    allowedRoutes: {kinds: [{kind: TCPRoute}]}
`;
const route = `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: tcp-reference-grant, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${GW}, sectionName: tcp}]
  rules:
  - backendRefs: [{name: tcp-reference-grant-backend, namespace: ${WEB}, port: 3000}]
`;
const grant = `apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: tcp-reference-grant, namespace: ${WEB}}
spec:
  from: [{group: gateway.networking.k8s.io, kind: TCPRoute, namespace: ${INFRA_NS}}]
  to: [{group: "", kind: Service, name: tcp-reference-grant-backend}]
`;

test('TCPRouteReferenceGrant', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const base = [classYaml(), namespaceYaml(WEB), extraGatewayYaml(GW, INFRA_NS, listener), route];
  const stack = await startStack(t, [streamBackend('tcp-reference-grant-backend', 3000, { namespace: WEB })], [...base, grant].join('---\n'));
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  await expectRouteCondition(stack, 'TCPRoute', 'tcp-reference-grant', GW, 'ResolvedRefs', 'True', 'ResolvedRefs');
  await expectStream(stack, gw, 9320, {}, { backend: 'tcp-reference-grant-backend', namespace: WEB, backendTls: false });

  stack.write(base.join('---\n'));
  await expectRouteCondition(stack, 'TCPRoute', 'tcp-reference-grant', GW, 'ResolvedRefs', 'False', 'RefNotPermitted');
  await expectRejected(stack, gw, 9320, {});
});

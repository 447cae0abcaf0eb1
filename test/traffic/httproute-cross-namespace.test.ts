/**
 * Traffic ports of upstream HTTPRouteCrossNamespace (a route in a namespace the listener selects
 * by label, with a backend in its own namespace), HTTPRouteReferenceGrant (a backend in another
 * namespace, allowed by a ReferenceGrant; 500 once the grant is deleted),
 * HTTPRouteInvalidReferenceGrant (grants that miss in one detail each allow nothing) and
 * HTTPRoutePartiallyInvalidViaInvalidReferenceGrant (a rule whose backend is not granted answers
 * 500 while its sibling rule serves).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INFRA_NS, runCases } from './cases.js';
import { extraGatewayYaml, gatewayYaml, haproxyInstalled, namespaceYaml, startStack } from './harness.js';

const skip = !haproxyInstalled && 'haproxy is not installed';
const WEB_NS = 'gateway-conformance-web-backend';
const APP_NS = 'gateway-conformance-app-backend';
const web = [{ name: 'web-backend', namespace: WEB_NS }];

function grant(name: string, namespace: string, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; name?: string }): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  from: [${JSON.stringify(from)}]
  to: [${JSON.stringify(to)}]
`;
}

test('HTTPRouteCrossNamespace', { skip }, async (t) => {
  const manifests = [
    gatewayYaml('same-namespace'),
    extraGatewayYaml(
      'backend-namespaces',
      INFRA_NS,
      '  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {gateway-conformance: backend}}}}\n',
    ),
    namespaceYaml(WEB_NS, { 'gateway-conformance': 'backend' }),
    `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cross-namespace, namespace: ${WEB_NS}}
spec:
  parentRefs: [{name: backend-namespaces, namespace: ${INFRA_NS}}]
  rules:
  - backendRefs: [{name: web-backend, port: 8080}]
`,
  ].join('---\n');
  const stack = await startStack(t, web, manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, 'backend-namespaces');
  await stack.routeCondition(WEB_NS, 'cross-namespace', 'backend-namespaces', 'ResolvedRefs', 'True', 'ResolvedRefs');
  await runCases(stack, gw, 80, [{ path: '/', backend: 'web-backend', namespace: WEB_NS }]);
});

test('HTTPRouteReferenceGrant', { skip }, async (t) => {
  const base = [
    gatewayYaml(),
    namespaceYaml(WEB_NS, { 'gateway-conformance': 'backend' }),
    `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reference-grant, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: [{name: web-backend, namespace: ${WEB_NS}, port: 8080}]
`,
  ];
  const grant = `apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: reference-grant, namespace: ${WEB_NS}}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: ${INFRA_NS}}]
  to: [{group: "", kind: Service, name: web-backend}]
`;
  const stack = await startStack(t, web, [...base, grant].join('---\n'));
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.routeCondition(INFRA_NS, 'reference-grant', 'same-namespace', 'ResolvedRefs', 'True', 'ResolvedRefs');
  await runCases(stack, gw, 80, [{ path: '/', backend: 'web-backend', namespace: WEB_NS }]);

  // Deleting the grant takes the backend away: 500 from then on.
  stack.write(base.join('---\n'));
  await stack.routeCondition(INFRA_NS, 'reference-grant', 'same-namespace', 'ResolvedRefs', 'False', 'RefNotPermitted');
  await runCases(stack, gw, 80, [{ path: '/', status: 500 }]);
});

test('HTTPRouteInvalidReferenceGrant', { skip }, async (t) => {
  const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reference-grant, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: [{name: web-backend, namespace: ${WEB_NS}, port: 8080}]
`;
  const fromRoute = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: INFRA_NS };
  const toService = { group: '', kind: 'Service', name: 'web-backend' };
  const manifests = [
    gatewayYaml(),
    namespaceYaml(WEB_NS, { 'gateway-conformance': 'backend' }),
    grant('reference-grant-wrong-namespace', INFRA_NS, fromRoute, toService),
    grant('reference-grant-wrong-from-group', WEB_NS, { ...fromRoute, group: 'not-the-group-youre-looking-for' }, toService),
    grant('reference-grant-wrong-from-kind', WEB_NS, { ...fromRoute, kind: 'Gateway' }, toService),
    grant('reference-grant-wrong-from-namespace', WEB_NS, { ...fromRoute, namespace: 'not-the-namespace-youre-looking-for' }, toService),
    grant('reference-grant-wrong-to-group', WEB_NS, fromRoute, { ...toService, group: 'not-the-group-youre-looking-for' }),
    grant('reference-grant-wrong-to-kind', WEB_NS, fromRoute, { ...toService, kind: 'Secret' }),
    grant('reference-grant-wrong-to-name', WEB_NS, fromRoute, { ...toService, name: 'not-the-service-youre-looking-for' }),
    route,
  ].join('---\n');
  const stack = await startStack(t, web, manifests);
  await stack.routeCondition(INFRA_NS, 'reference-grant', 'same-namespace', 'ResolvedRefs', 'False', 'RefNotPermitted');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ path: '/', status: 500 }]);
});

test('HTTPRoutePartiallyInvalidViaInvalidReferenceGrant', { skip }, async (t) => {
  const manifests = [
    gatewayYaml(),
    namespaceYaml(APP_NS, { 'gateway-conformance': 'backend' }),
    grant('invalid-reference-grant', APP_NS, { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: INFRA_NS }, { group: '', kind: 'Service', name: 'app-backend-v1' }),
    `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: invalid-reference-grant, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /v2}}]
    backendRefs: [{name: app-backend-v2, namespace: ${APP_NS}, port: 8080}]
  - backendRefs: [{name: app-backend-v1, namespace: ${APP_NS}, port: 8080}]
`,
  ].join('---\n');
  const app = [
    { name: 'app-backend-v1', namespace: APP_NS },
    { name: 'app-backend-v2', namespace: APP_NS },
  ];
  const stack = await startStack(t, app, manifests);
  await stack.routeCondition(INFRA_NS, 'invalid-reference-grant', 'same-namespace', 'ResolvedRefs', 'False', 'RefNotPermitted');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/v2', status: 500 },
    { path: '/', backend: 'app-backend-v1', namespace: APP_NS },
  ]);
  assert.equal(stack.echo.get('app-backend-v2')?.requests, 0, 'the backend without a grant gets nothing');
});

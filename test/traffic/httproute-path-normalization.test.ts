/**
 * Paths are routed in one normal form (src/haproxy/render.ts, PATH_NORMALIZATION): repeated
 * slashes merged, dot segments resolved, percent-encoded unreserved characters decoded. A route
 * owner's PathPrefix /admin rule cannot be skipped with a spelling of the same path that its
 * backend would read as /admin, and that backend receives the normal form too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, runCases, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, rawExchange, startStack } from './harness.js';

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: normalized, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /admin}}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{path: {type: Exact, value: /exact/x}}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - backendRefs: [{name: ${V1}, port: 8080}]
`;

test('paths are normalised before routing, and sent to the backend normalised', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const admin = { backend: V2, expectedRequest: { path: '/admin/x' } };
  await runCases(stack, gw, 80, [
    { path: '/admin/x', backend: V2 },
    { path: '//admin/x', ...admin },
    { path: '/admin//x', ...admin },
    { path: '/x/../admin/x', ...admin },
    { path: '/./admin/x', ...admin },
    { path: '/%61dmin/x', ...admin },
    { path: '/%2e%2e/admin/x', ...admin },
    { path: '/../../admin/x', ...admin },
    { path: '/exact/./x', backend: V2, expectedRequest: { path: '/exact/x' } },
    // The query is left as it is; an encoded slash stays a character of its segment.
    { path: '/x?next=//admin/../y', backend: V1 },
    { path: '//admin/x?next=%61//b/../c', backend: V2, expectedRequest: { path: '/admin/x?next=%61//b/../c' } },
    { path: '/%61dmin/x?q=%2f', backend: V2, expectedRequest: { path: '/admin/x?q=%2f' } },
    { path: '/admin%2Fx', backend: V1 },
    { path: '/other', backend: V1 },
  ]);
  // A percent sign that starts no valid escape cannot be normalised: refused, never routed raw.
  const answer = (await rawExchange(gw, 80, `GET /admin%zz HTTP/1.1\r\nHost: ${gw}\r\nConnection: close\r\n\r\n`)).toString('latin1');
  assert.match(answer, /^HTTP\/1\.1 400/);
});

/**
 * Route delegation (kgateway's) through a real HAProxy: a parent HTTPRoute hands /team1 to a
 * child by name and /team2 to children by label, one of which joins its matches to the parent's
 * (inherit-parent-matcher); a child rule outside the parent's prefix, and a child that sets
 * hostnames, are not served, and the parent's status says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = (name: string, body: string, extra = '') => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}${extra}}
spec:
${body}`;

const objects = [
  route(
    'parent',
    `  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /team1}}]
    timeouts: {request: 5s}
    backendRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: team1}]
  - matches: [{path: {type: PathPrefix, value: /team2}, headers: [{name: x-tenant, value: blue}]}]
    backendRefs: [{group: delegation.kgateway.dev, kind: label, name: team2}]`,
  ),
  route(
    'team1',
    `  rules:
  - matches: [{path: {type: PathPrefix, value: /team1/a}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /elsewhere}}]
    backendRefs: [{name: ${V1}, port: 8080}]`,
  ),
  route(
    'team2-joined',
    `  rules:
  - matches: [{path: {type: PathPrefix, value: /b}}]
    backendRefs: [{name: ${V2}, port: 8080}]`,
    ', labels: {delegation.kgateway.dev/label: team2}, annotations: {delegation.kgateway.dev/inherit-parent-matcher: "true"}',
  ),
  route(
    'team2-hosts',
    `  hostnames: [other.example]
  rules:
  - matches: [{path: {type: PathPrefix, value: /team2/c}}]
    backendRefs: [{name: ${V1}, port: 8080}]`,
    ', labels: {delegation.kgateway.dev/label: team2}',
  ),
].join('\n');

test('route delegation through HAProxy', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}${objects}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const a = await stack.expect(gw, 80, { path: '/team1/a/x' }, (r) => r.status === 200, "the child's rule under the parent's prefix is served");
  assert.equal(a.json?.pod, V1);
  assert.equal((await stack.request(gw, 80, { path: '/elsewhere' })).status, 404, 'a child rule outside the prefix is not served');
  assert.equal((await stack.request(gw, 80, { path: '/team1/other' })).status, 404, "the parent's prefix alone serves nothing the children do not");
  const joined = await stack.request(gw, 80, { path: '/team2/b/y', headers: { 'x-tenant': 'blue' } });
  assert.equal(joined.json?.pod, V2, "an inheriting child serves the parent's path joined to its own");
  assert.equal((await stack.request(gw, 80, { path: '/team2/b/y' })).status, 404, "and the parent's header match with it");
  assert.equal((await stack.request(gw, 80, { path: '/team2/c', headers: { 'x-tenant': 'blue' } })).status, 404, 'a child that sets hostnames is refused');
  await stack.routeCondition(INFRA_NS, 'parent', 'same-namespace', 'ResolvedRefs', 'False', 'BackendNotFound');
  const message = stack.status('HTTPRoute', INFRA_NS, 'parent')?.parents?.[0]?.conditions.find((c) => c.type === 'ResolvedRefs')?.message ?? '';
  assert.match(message, /team2-hosts does not take delegation .*sets hostnames/);
  assert.match(message, /team1 rule 1: a match is dropped: path \/elsewhere is not under the parent's prefix \/team1/);
});

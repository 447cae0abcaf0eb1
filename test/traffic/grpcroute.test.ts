/**
 * GRPCRoute end to end with a real gRPC server and client (@grpc/grpc-js): traffic ports of
 * upstream GRPCExactMethodMatching, GRPCRouteNamedRule, GRPCRouteHeaderMatching,
 * GRPCRouteListenerHostnameMatching and GRPCRouteWeight. Backends speak plaintext HTTP/2 (h2c), as GRPCRoute backends do by default.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { INFRA_NS } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack, type BackendSpec } from './harness.js';
import { grpcCall, GRPC_SERVICE, startGrpcEcho, type GrpcCall, type GrpcResult } from './grpc-echo.js';

const skip = !haproxyInstalled && 'haproxy is not installed';
const V1 = 'grpc-infra-backend-v1';
const V2 = 'grpc-infra-backend-v2';
const V3 = 'grpc-infra-backend-v3';
const grpcBackends = (...names: string[]): BackendSpec[] => names.map((name) => ({ name, namespace: INFRA_NS, start: () => startGrpcEcho(name, INFRA_NS) }));

const listeners = `  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes: {namespaces: {from: Same}}
  - name: foo
    port: 80
    protocol: HTTP
    hostname: foo.example.com
    allowedRoutes: {namespaces: {from: Same}}
  - name: bar
    port: 80
    protocol: HTTP
    hostname: bar.example.com
    allowedRoutes: {namespaces: {from: Same}}
`;

const routes = `
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: exact-matching, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace, sectionName: http}]
  hostnames: [methods.example.com]
  rules:
  - matches: [{method: {service: ${GRPC_SERVICE}, method: Echo}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{method: {service: ${GRPC_SERVICE}, method: EchoTwo}}]
    backendRefs: [{name: ${V2}, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc-named-rules, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace, sectionName: http}]
  hostnames: [named.example.com]
  rules:
  - name: name-one
    matches: [{method: {service: ${GRPC_SERVICE}, method: Echo}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - name: name-two
    matches: [{method: {service: ${GRPC_SERVICE}, method: EchoTwo}}]
    backendRefs: [{name: ${V2}, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: header-matching, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace, sectionName: http}]
  hostnames: [headers.example.com]
  rules:
  - matches: [{headers: [{name: version, value: one}]}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{headers: [{name: version, value: two}]}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{headers: [{name: version, value: two}, {name: color, value: orange}]}]
    backendRefs: [{name: ${V3}, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: backend-v1, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace, sectionName: foo}]
  rules:
  - backendRefs: [{name: ${V1}, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: backend-v2, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace, sectionName: bar}]
  rules:
  - backendRefs: [{name: ${V2}, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: weighted, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace, sectionName: http}]
  hostnames: [weights.example.com]
  rules:
  - backendRefs: [{name: ${V1}, port: 8080, weight: 70}, {name: ${V2}, port: 8080, weight: 30}, {name: ${V3}, port: 8080, weight: 0}]
`;

const served = (pod: string) => (r: GrpcResult) => r.ok && r.answer.pod === pod;
const unimplemented = (r: GrpcResult) => !r.ok && r.code === grpc.status.UNIMPLEMENTED;

test('GRPCRoute traffic: method, header and listener hostname matching, weights', { skip }, async (t) => {
  const stack = await startStack(t, grpcBackends(V1, V2, V3), `${gatewayYaml('same-namespace', INFRA_NS, listeners)}---\n${routes}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const expect = (call: GrpcCall, check: (r: GrpcResult) => boolean, what: string) => stack.eventually(what, () => grpcCall(gw, 80, call), check);

  await t.test('GRPCExactMethodMatching', async () => {
    await expect({ method: 'Echo', authority: 'methods.example.com' }, served(V1), 'Echo → v1');
    await expect({ method: 'EchoTwo', authority: 'methods.example.com' }, served(V2), 'EchoTwo → v2');
    await expect({ method: 'EchoThree', authority: 'methods.example.com' }, unimplemented, 'EchoThree matches no rule: UNIMPLEMENTED');
  });

  await t.test('GRPCRouteNamedRule', async () => {
    const accepted = stack.status('GRPCRoute', INFRA_NS, 'grpc-named-rules')?.parents?.[0]?.conditions.find((c) => c.type === 'Accepted');
    assert.deepEqual([accepted?.status, accepted?.reason], ['True', 'Accepted']);
    await expect({ method: 'Echo', authority: 'named.example.com' }, served(V1), 'rule name-one: Echo → v1');
    await expect({ method: 'EchoTwo', authority: 'named.example.com' }, served(V2), 'rule name-two: EchoTwo → v2');
  });

  await t.test('GRPCRouteHeaderMatching', async () => {
    const call = (metadata: Record<string, string>): GrpcCall => ({ method: 'Echo', authority: 'headers.example.com', metadata });
    const one = await expect(call({ version: 'one' }), served(V1), 'version: one → v1');
    assert.equal(one.ok && one.answer.metadata.version, 'one', 'the metadata reaches the backend');
    await expect(call({ version: 'two' }), served(V2), 'version: two → v2');
    await expect(call({ version: 'two', color: 'orange' }), served(V3), 'version: two, color: orange → v3 (more matches win)');
    await expect(call({ version: 'three' }), unimplemented, 'version: three matches no rule');
    await expect(call({}), unimplemented, 'no version matches no rule');
  });

  await t.test('GRPCRouteListenerHostnameMatching', async () => {
    await expect({ method: 'Echo', authority: 'foo.example.com' }, served(V1), 'foo.example.com → v1');
    await expect({ method: 'Echo', authority: 'bar.example.com' }, served(V2), 'bar.example.com → v2');
    await expect({ method: 'Echo', authority: 'baz.example.com' }, unimplemented, 'baz.example.com matches no listener hostname');
  });

  await t.test('GRPCRouteWeight', async () => {
    await expect({ method: 'Echo', authority: 'weights.example.com' }, (r) => r.ok, 'weighted route served');
    const counts = new Map<string, number>();
    const calls = 200;
    for (let i = 0; i < calls; i++) {
      const r = await grpcCall(gw, 80, { method: 'Echo', authority: 'weights.example.com' });
      assert.ok(r.ok, `call ${i}: ${r.ok ? '' : `${r.code} ${r.details}`}`);
      counts.set(r.answer.pod, (counts.get(r.answer.pod) ?? 0) + 1);
    }
    assert.equal(counts.get(V3) ?? 0, 0, 'weight 0 gets nothing');
    // 70/30 over 200 calls: v1 falls outside 110..170 with a probability below 1e-6.
    const v1 = counts.get(V1) ?? 0;
    assert.ok(v1 >= 110 && v1 <= 170, `v1 got ${v1} of ${calls} (70% expected); v2 ${counts.get(V2) ?? 0}`);
  });
});

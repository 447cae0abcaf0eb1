/**
 * ServiceImport backends (Multi-Cluster Services API) through HAProxy, in standalone mode: four
 * imports weighted 25 each, their endpoints in EndpointSlices labelled
 * multicluster.kubernetes.io/service-name (one slice per "cluster"), measured by traffic; an
 * import and a local Service of the same name kept apart; a missing import answers 500, an
 * import without endpoints 503; an import's endpoints moving reach HAProxy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, shareProblems, V1, V2, V3 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';
import type { EchoServer } from '../support/echo-server.js';

const MCS = 'multicluster.x-k8s.io';

function importYaml(name: string, slices: { cluster: string; echo: EchoServer }[]): string {
  return [
    `apiVersion: ${MCS}/v1alpha1\nkind: ServiceImport\nmetadata: {name: ${name}, namespace: ${INFRA_NS}}\nspec: {type: ClusterSetIP, ports: [{name: http, port: 8080, protocol: TCP}]}\n`,
    ...slices.map(
      (s) =>
        `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: ${name}-${s.cluster}, namespace: ${INFRA_NS}, labels: {multicluster.kubernetes.io/service-name: ${name}, multicluster.kubernetes.io/source-cluster: ${s.cluster}}}\naddressType: IPv4\nports: [{name: http, port: ${s.echo.port}}]\nendpoints: [{addresses: [${s.echo.host}]}]\n`,
    ),
  ].join('---\n');
}

function manifests(echo: ReadonlyMap<string, EchoServer>, options: { moved?: boolean } = {}): string {
  const e = (name: string) => echo.get(name) as EchoServer;
  const ref = (name: string, weight?: number) => `{group: ${MCS}, kind: ServiceImport, name: ${name}, port: 8080${weight === undefined ? '' : `, weight: ${weight}`}}`;
  return [
    gatewayYaml(),
    // Four imports, each served from one "cluster"; imp-d from two clusters once "moved".
    importYaml('imp-a', [{ cluster: 'east', echo: e(V1) }]),
    importYaml('imp-b', [{ cluster: 'west', echo: e(V2) }]),
    importYaml('imp-c', [{ cluster: 'north', echo: e(V3) }]),
    importYaml('imp-d', options.moved ? [{ cluster: 'east', echo: e(V1) }] : [{ cluster: 'south', echo: e(V2) }]),
    // An import named like the local Service infra-backend-v3, served by another cluster's V1.
    importYaml(V3, [{ cluster: 'east', echo: e(V1) }]),
    `apiVersion: ${MCS}/v1alpha1\nkind: ServiceImport\nmetadata: {name: empty, namespace: ${INFRA_NS}}\nspec: {type: ClusterSetIP, ports: [{name: http, port: 8080}]}\n`,
    `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: imports, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /split}}]
    backendRefs: [${ref('imp-a', 25)}, ${ref('imp-b', 25)}, ${ref('imp-c', 25)}, ${ref('imp-d', 25)}]
  - matches: [{path: {type: PathPrefix, value: /same-name}}]
    backendRefs: [${ref(V3)}]
  - matches: [{path: {type: PathPrefix, value: /local}}]
    backendRefs: [{name: ${V3}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /missing}}]
    backendRefs: [${ref('nowhere')}]
  - matches: [{path: {type: PathPrefix, value: /empty}}]
    backendRefs: [${ref('empty')}]
  - matches: [{path: {type: PathPrefix, value: /moving}}]
    backendRefs: [${ref('imp-d')}]
`,
  ].join('---\n');
}

test('ServiceImport backends through HAProxy', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), (echo) => manifests(echo));
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.expect(gw, 80, { path: '/split/x' }, (r) => r.status === 200, 'the split is served');

  await t.test('four imports at 25 each: the traffic splits by weight across clusters', async () => {
    const total = 400;
    const seen = new Map<string, number>();
    for (let i = 0; i < total; i++) {
      const r = await stack.request(gw, 80, { path: `/split/${i}` });
      assert.equal(r.status, 200);
      const pod = r.json?.pod ?? '?';
      seen.set(pod, (seen.get(pod) ?? 0) + 1);
    }
    // imp-b and imp-d are both served by V2: half of the traffic.
    assert.deepEqual(shareProblems(seen, { [V1]: 0.25, [V2]: 0.5, [V3]: 0.25 }, total, 0.07), []);
  });

  await t.test('an import and a local Service of the same name stay apart', async () => {
    assert.equal((await stack.request(gw, 80, { path: '/same-name' })).json?.pod, V1);
    assert.equal((await stack.request(gw, 80, { path: '/local' })).json?.pod, V3);
  });

  await t.test('a missing import answers 500 with BackendNotFound; one without endpoints 503', async () => {
    assert.equal((await stack.request(gw, 80, { path: '/missing' })).status, 500);
    assert.equal((await stack.request(gw, 80, { path: '/empty' })).status, 503);
    await stack.routeCondition(INFRA_NS, 'imports', 'same-namespace', 'ResolvedRefs', 'False', 'BackendNotFound');
  });

  await t.test("an import's endpoints moving to another cluster reach HAProxy", async () => {
    assert.equal((await stack.request(gw, 80, { path: '/moving' })).json?.pod, V2);
    stack.write(manifests(stack.echo, { moved: true }));
    await stack.expect(gw, 80, { path: '/moving' }, (r) => r.json?.pod === V1, 'imp-d served by the east cluster');
  });
});

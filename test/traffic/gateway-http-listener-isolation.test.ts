/**
 * Traffic port of upstream GatewayHTTPListenerIsolation: a request is handled only by the most
 * specific listener its Host matches, even when a less specific listener has a route whose own
 * hostnames would match it. Both variants: hostnames on listeners only, and intersecting
 * hostnames on listeners and routes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, runCases, V1, type Case } from './cases.js';
import { extraGatewayYaml, gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const LISTENERS: [name: string, hostname?: string][] = [
  ['empty-hostname'],
  ['wildcard-example-com', '*.example.com'],
  ['wildcard-foo-example-com', '*.foo.example.com'],
  ['abc-foo-example-com', 'abc.foo.example.com'],
];
const listenersYaml = LISTENERS.map(
  ([name, hostname]) => `  - name: ${name}\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n${hostname ? `    hostname: "${hostname}"\n` : ''}`,
).join('');
const ROUTE_HOSTNAMES = ['bar.com', '*.example.com', '*.foo.example.com', 'abc.foo.example.com'];

function routes(gateway: string, suffix: string, hostnames?: string[]): string[] {
  return LISTENERS.map(
    ([section]) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: attaches-to-${section}${suffix}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${gateway}, namespace: ${INFRA_NS}, sectionName: ${section}}]
${hostnames ? `  hostnames: ${JSON.stringify(hostnames)}\n` : ''}  rules:
  - matches: [{path: {type: PathPrefix, value: /${section}}}]
    backendRefs: [{name: ${V1}, port: 8080}]
`,
  );
}

const GW = 'http-listener-isolation';
/**
 * Upstream names this Gateway "http-listener-isolation-with-hostname-intersection"; the traffic
 * test uses a shorter name, and the test below checks that the long one is programmed too (the
 * HAProxy state directory name is bounded whatever the Gateway's name).
 */
const UPSTREAM_GW_INTERSECT = 'http-listener-isolation-with-hostname-intersection';
const GW_INTERSECT = 'http-listener-isolation-intersection';
const manifests = [
  gatewayYaml(GW, INFRA_NS, listenersYaml),
  extraGatewayYaml(GW_INTERSECT, INFRA_NS, listenersYaml),
  ...routes(GW, ''),
  ...routes(GW_INTERSECT, '-with-hostname-intersection', ROUTE_HOSTNAMES),
].join('---\n');

/** Each host reaches exactly the route of the listener that owns it. */
const owner: Record<string, string> = {
  'bar.com': 'empty-hostname',
  'bar.example.com': 'wildcard-example-com',
  'bar.foo.example.com': 'wildcard-foo-example-com',
  'abc.foo.example.com': 'abc-foo-example-com',
};
const cases: Case[] = Object.entries(owner).flatMap(([host, listener]) =>
  LISTENERS.map(([section]): Case => (section === listener ? { host, path: `/${section}`, backend: V1 } : { host, path: `/${section}`, status: 404 })),
);

test('GatewayHTTPListenerIsolation', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1), manifests);
  await t.test('hostnames are configured only in listeners', async () => {
    await runCases(stack, await stack.gatewayAddress(INFRA_NS, GW), 80, cases);
  });
  await t.test('intersecting hostnames are configured in listeners and HTTPRoutes', async () => {
    await runCases(stack, await stack.gatewayAddress(INFRA_NS, GW_INTERSECT), 80, cases);
  });
});

test(
  'a Gateway with upstream\'s long name is programmed',
  { skip: !haproxyInstalled && 'haproxy is not installed' },
  async (t) => {
    const stack = await startStack(t, [], gatewayYaml(UPSTREAM_GW_INTERSECT, INFRA_NS, listenersYaml));
    // Fails fast: the first decided Programmed condition is the answer.
    const programmed = await stack.eventually(
      'Programmed decided',
      async () => stack.status('Gateway', INFRA_NS, UPSTREAM_GW_INTERSECT)?.conditions?.find((c) => c.type === 'Programmed'),
      (c) => c !== undefined && c.reason !== 'Pending',
    );
    assert.equal(programmed?.status, 'True', programmed?.message);
  },
);

test('a listener without routes keeps its names: less specific listeners do not serve them', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const listener = (name: string, hostname: string) =>
    `  - name: ${name}\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n    hostname: "${hostname}"\n`;
  const gw = 'isolation-without-routes';
  const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: wildcard-only, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${gw}, namespace: ${INFRA_NS}, sectionName: wildcard}]
  rules:
  - backendRefs: [{name: ${V1}, port: 8080}]
`;
  const manifests = [
    gatewayYaml(gw, INFRA_NS, listener('exact', 'a.example.com') + listener('deeper-wildcard', '*.a.example.com') + listener('wildcard', '*.example.com')),
    route,
  ].join('---\n');
  const stack = await startStack(t, backends(V1), manifests);
  const address = await stack.gatewayAddress(INFRA_NS, gw);
  await runCases(stack, address, 80, [
    { host: 'b.example.com', path: '/', backend: V1 },
    { host: 'a.example.com', path: '/', status: 404 },
    { host: 'x.a.example.com', path: '/', status: 404 },
  ]);
});

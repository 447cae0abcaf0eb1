/**
 * Traffic port of upstream HTTPRouteHostnameIntersection: routes are served only on the hostnames
 * they share with the listener they attach to; a route sharing none is not served at all; the
 * port in the Host header is ignored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, runCases, V1, V2, V3, type Case } from './cases.js';
import { extraGatewayYaml, gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const listener = (name: string, hostname?: string) =>
  `  - name: ${name}\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n${hostname ? `    hostname: "${hostname}"\n` : ''}`;

const route = (name: string, parent: string, hostnames: string[], prefix: string | undefined, backend: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${parent}, namespace: ${INFRA_NS}}]
  hostnames: ${JSON.stringify(hostnames)}
  rules:
  - ${prefix ? `matches: [{path: {type: PathPrefix, value: ${prefix}}}]\n    ` : ''}backendRefs: [{name: ${backend}, port: 8080}]
`;

const GW = 'httproute-hostname-intersection';
const GW_ALL = 'httproute-hostname-intersection-all';

const manifests = [
  gatewayYaml(GW, INFRA_NS, listener('listener-1', 'very.specific.com') + listener('listener-2', '*.wildcard.io') + listener('listener-3', '*.anotherwildcard.io')),
  extraGatewayYaml(GW_ALL, INFRA_NS, listener('listener-1')),
  route('specific-host-matches-listener-specific-host', GW, ['non.matching.com', '*.nonmatchingwildcard.io', 'very.specific.com'], '/s1', V1),
  route('specific-host-matches-listener-wildcard-host', GW, ['non.matching.com', 'wildcard.io', 'foo.wildcard.io', 'bar.wildcard.io', 'foo.bar.wildcard.io'], '/s2', V2),
  route('wildcard-host-matches-listener-specific-host', GW, ['non.matching.com', '*.specific.com'], '/s3', V3),
  route('wildcard-host-matches-listener-wildcard-host', GW, ['*.anotherwildcard.io'], '/s4', V1),
  route('no-intersecting-hosts', GW, ['specific.but.wrong.com', 'wildcard.io'], '/s5', V2),
  route(GW_ALL, GW_ALL, ['first.com', 'sub.first.com', 'second.com', 'sub.second.com'], undefined, V2),
].join('---\n');

test('HTTPRouteHostnameIntersection', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, GW);
  const gwAll = await stack.gatewayAddress(INFRA_NS, GW_ALL);
  assert.notEqual(gw, gwAll, 'two Gateways on port 80 need their own addresses');

  const intersecting: Case[] = [
    // specific-host-matches-listener-specific-host
    { host: 'very.specific.com', path: '/s1', backend: V1 },
    { host: 'very.specific.com:1234', path: '/s1', backend: V1 },
    { host: 'non.matching.com', path: '/s1', status: 404 },
    { host: 'foo.nonmatchingwildcard.io', path: '/s1', status: 404 },
    { host: 'foo.wildcard.io', path: '/s1', status: 404 },
    { host: 'very.specific.com', path: '/non-matching-prefix', status: 404 },
    // specific-host-matches-listener-wildcard-host
    { host: 'foo.wildcard.io', path: '/s2', backend: V2 },
    { host: 'bar.wildcard.io', path: '/s2', backend: V2 },
    { host: 'foo.bar.wildcard.io', path: '/s2', backend: V2 },
    { host: 'non.matching.com', path: '/s2', status: 404 },
    { host: 'wildcard.io', path: '/s2', status: 404 },
    { host: 'very.specific.com', path: '/s2', status: 404 },
    { host: 'foo.wildcard.io', path: '/non-matching-prefix', status: 404 },
    // wildcard-host-matches-listener-specific-host
    { host: 'very.specific.com', path: '/s3', backend: V3 },
    { host: 'non.matching.com', path: '/s3', status: 404 },
    { host: 'foo.specific.com', path: '/s3', status: 404 },
    { host: 'foo.wildcard.io', path: '/s3', status: 404 },
    { host: 'very.specific.com', path: '/non-matching-prefix', status: 404 },
    // wildcard-host-matches-listener-wildcard-host
    { host: 'foo.anotherwildcard.io', path: '/s4', backend: V1 },
    { host: 'bar.anotherwildcard.io', path: '/s4', backend: V1 },
    { host: 'foo.bar.anotherwildcard.io', path: '/s4', backend: V1 },
    { host: 'anotherwildcard.io', path: '/s4', status: 404 },
    { host: 'foo.wildcard.io', path: '/s4', status: 404 },
    { host: 'very.specific.com', path: '/s4', status: 404 },
    { host: 'foo.anotherwildcard.io', path: '/non-matching-prefix', status: 404 },
  ];
  await runCases(stack, gw, 80, intersecting);

  // A route that intersects no listener is refused and serves nothing.
  await stack.routeCondition(INFRA_NS, 'no-intersecting-hosts', GW, 'Accepted', 'False', 'NoMatchingListenerHostname');
  await runCases(stack, gw, 80, [
    { host: 'specific.but.wrong.com', path: '/s5', status: 404 },
    { host: 'wildcard.io', path: '/s5', status: 404 },
  ]);
  const listeners = stack.status('Gateway', INFRA_NS, GW)?.listeners ?? [];
  assert.deepEqual(
    listeners.map((l) => [l.name, l.attachedRoutes]),
    [['listener-1', 2], ['listener-2', 1], ['listener-3', 1]],
  );

  // A listener without hostname serves exactly the route's hostnames.
  await runCases(stack, gwAll, 80, [
    { host: 'first.com', path: '/', backend: V2 },
    { host: 'sub.first.com', path: '/', backend: V2 },
    { host: 'second.com', path: '/', backend: V2 },
    { host: 'sub.second.com', path: '/', backend: V2 },
    { host: 'third.com', path: '/', status: 404 },
    { host: 'sub.third.com', path: '/', status: 404 },
  ]);
});

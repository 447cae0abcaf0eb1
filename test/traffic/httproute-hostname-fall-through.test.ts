/**
 * Not an upstream port. Route hostname specificity orders rules; it does not partition them: a
 * request for a.example.com that no rule of the a.example.com route matches is matched against
 * the *.example.com route, then the route for any host, and 404 comes only when none matches.
 */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2, V3 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const route = (name: string, hostnames: string[], rules: [prefix: string, backend: string][]) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
${hostnames.length ? `  hostnames: ${JSON.stringify(hostnames)}\n` : ''}  rules:
${rules.map(([prefix, backend]) => `  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]\n    backendRefs: [{name: ${backend}, port: 8080}]\n`).join('')}`;

test('a host falls through to the rules of less specific route hostnames', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const manifests = [
    gatewayYaml(),
    route('exact', ['a.example.com'], [['/api', V1]]),
    route('wildcard', ['*.example.com'], [['/web', V2], ['/api/v2', V2]]),
    route('any', [], [['/any', V3]]),
  ].join('---\n');
  const stack = await startStack(t, backends(V1, V2, V3), manifests);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { host: 'a.example.com', path: '/api', backend: V1 },
    // The exact-host route comes first even where a wildcard route has the longer prefix.
    { host: 'a.example.com', path: '/api/v2', backend: V1 },
    { host: 'a.example.com', path: '/web', backend: V2 },
    { host: 'a.example.com', path: '/any', backend: V3 },
    { host: 'a.example.com', path: '/none', status: 404 },
    { host: 'b.example.com', path: '/api/v2', backend: V2 },
    { host: 'b.example.com', path: '/api', status: 404 },
    { host: 'b.example.com', path: '/any', backend: V3 },
    { host: 'other.org', path: '/web', status: 404 },
    { host: 'other.org', path: '/any', backend: V3 },
  ]);
});

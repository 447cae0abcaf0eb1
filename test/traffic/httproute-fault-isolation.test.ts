/**
 * One route owner's values never stop the Gateway: what HAProxy would refuse (a regular
 * expression PCRE2 rejects or reads differently, matches too long for a map line) is refused for
 * that rule alone, in its route's status; what HAProxy cannot hold (a timeout beyond its timers,
 * any number of retries) is brought within its limits. The other routes are served throughout,
 * from a fresh start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, runCases, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const LONG = 'v'.repeat(4096);
const longHeaders = Array.from({ length: 16 }, (_, i) => `{name: x-long-${i}, value: "${LONG}"}`).join(', ');

const route = (name: string, host: string, rules: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [${host}]
  rules:
${rules}`;

const routes = [
  route('good', 'good.example', `  - backendRefs: [{name: ${V1}, port: 8080}]\n`),
  route(
    'lookbehind',
    'bad.example',
    `  - matches: [{path: {type: RegularExpression, value: "/(?<=a+)b"}}]\n    backendRefs: [{name: ${V2}, port: 8080}]\n  - backendRefs: [{name: ${V1}, port: 8080}]\n`,
  ),
  route('unicode-escape', 'escape.example', `  - matches: [{headers: [{type: RegularExpression, name: x-a, value: "\\\\u0041"}]}]\n    backendRefs: [{name: ${V2}, port: 8080}]\n`),
  route('long-matches', 'long.example', `  - matches: [{headers: [${longHeaders}]}]\n    backendRefs: [{name: ${V2}, port: 8080}]\n  - backendRefs: [{name: ${V1}, port: 8080}]\n`),
  route('long-timeout', 'timeout.example', `  - timeouts: {request: 99999h}\n    retry: {attempts: 1000000}\n    backendRefs: [{name: ${V2}, port: 8080}]\n`),
];

test('values HAProxy cannot take are refused per rule or brought within its limits; the Gateway keeps serving', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), [gatewayYaml(), ...routes].join('---\n'));
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.routeCondition(INFRA_NS, 'lookbehind', 'same-namespace', 'PartiallyInvalid', 'True', 'UnsupportedValue');
  await stack.routeCondition(INFRA_NS, 'unicode-escape', 'same-namespace', 'Accepted', 'False', 'UnsupportedValue');
  await stack.routeCondition(INFRA_NS, 'long-matches', 'same-namespace', 'PartiallyInvalid', 'True', 'UnsupportedValue');
  await stack.routeCondition(INFRA_NS, 'long-timeout', 'same-namespace', 'Accepted', 'True', 'Accepted');
  await runCases(stack, gw, 80, [
    { host: 'good.example', path: '/', backend: V1 },
    { host: 'bad.example', path: '/aab', backend: V1 },
    { host: 'long.example', path: '/', headers: { 'x-long-0': LONG }, backend: V1 },
    { host: 'timeout.example', path: '/', backend: V2 },
  ]);
  const gwStatus = stack.status('Gateway', INFRA_NS, 'same-namespace');
  assert.equal(gwStatus?.conditions?.find((c) => c.type === 'Programmed')?.status, 'True', JSON.stringify(gwStatus?.conditions));
  const message = (name: string) =>
    JSON.stringify((stack.status('HTTPRoute', INFRA_NS, name) as { parents?: { conditions?: unknown[] }[] } | undefined)?.parents?.[0]?.conditions);
  assert.match(message('lookbehind'), /not valid RE2 syntax/);
  assert.match(message('long-matches'), /too long to route/);
});

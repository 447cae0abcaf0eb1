/**
 * Rules with method, header, query and regular-expression matches are looked up per request by
 * route.lua from groups that the frontend finds by path (src/haproxy/route-groups.ts). These are
 * the values that could confuse that lookup: delimiters and spaces inside values, names in any
 * case, repeated headers, regular expressions, a method HAProxy has no name for, and a group too
 * long for one map line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, runCases, V1, V2, V3 } from './cases.js';
import { gatewayYaml, haproxyInstalled, rawExchange, startStack } from './harness.js';

const LONG_VALUE = 'v'.repeat(600);
/** 30 matches of about 640 bytes each once encoded: more than one map line (12,000 bytes) holds. */
const longMatches = Array.from({ length: 29 }, (_, i) => `    - {path: {type: PathPrefix, value: /long}, headers: [{name: x-long, value: "${LONG_VALUE}${i}"}]}\n`).join('');

const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: conditional, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /delims}, headers: [{name: X-Mixed-Case, value: "a;b,c>d=e%41 f?"}]}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /delims}, queryParams: [{name: q, value: "a=b"}]}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /regex}, headers: [{type: RegularExpression, name: x-version, value: "^v[0-9]+$"}]}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: RegularExpression, value: "/items/[0-9]+"}}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /method}, method: PATCH}]
    backendRefs: [{name: ${V3}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /repeat}, headers: [{name: x-team, value: blue}]}]
    backendRefs: [{name: ${V3}, port: 8080}]
  - matches: [{path: {type: Exact, value: /exact}, headers: [{name: x-exact, value: "yes"}]}]
    backendRefs: [{name: ${V3}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /exact}}]
    backendRefs: [{name: ${V1}, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: conditional-long, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches:
${longMatches}    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /long}, headers: [{name: x-long, value: "${LONG_VALUE}29"}]}]
    backendRefs: [{name: ${V2}, port: 8080}]
`;

test('conditional lookup: delimiters, case, repeats, regexes, methods and long groups', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2, V3), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/delims', headers: { 'x-mixed-case': 'a;b,c>d=e%41 f?' }, backend: V1 },
    { path: '/delims', headers: { 'X-MIXED-CASE': 'a;b,c>d=eA f?' }, status: 404 },
    { path: '/delims?x=1&q=a=b', backend: V2 },
    { path: '/delims?q=a', status: 404 },
    { path: '/regex/x', headers: { 'x-version': 'v12' }, backend: V1 },
    { path: '/regex/x', headers: { 'x-version': 'v12a' }, status: 404 },
    { path: '/items/42', backend: V2 },
    { path: '/items/42/more', status: 404 },
    { path: '/method', method: 'PATCH', backend: V3 },
    { path: '/method', method: 'PUT', status: 404 },
    // An Exact rule with a header that does not hold falls through to the covering prefix.
    { path: '/exact', headers: { 'x-exact': 'yes' }, backend: V3 },
    { path: '/exact', backend: V1 },
    { path: '/exact/more', headers: { 'x-exact': 'yes' }, backend: V1 },
    // The 30th rule sits in the part of the group stored under a continuation key.
    { path: '/long', headers: { 'x-long': `${LONG_VALUE}29` }, backend: V2 },
    { path: '/long', headers: { 'x-long': `${LONG_VALUE}0` }, backend: V1 },
    { path: '/long', headers: { 'x-long': `${LONG_VALUE}30` }, status: 404 },
  ]);

  // Like HAProxy's own header ACLs, any occurrence of a repeated header counts.
  const answer = async (headers: string): Promise<string> =>
    (await rawExchange(gw, 80, `GET /repeat HTTP/1.1\r\nHost: ${gw}\r\n${headers}Connection: close\r\n\r\n`)).toString('latin1');
  assert.match(await answer('x-team: red\r\nX-Team: blue\r\n'), /"pod":\s*"infra-backend-v3/);
  assert.match(await answer('x-team: red\r\nx-team: green\r\n'), /^HTTP\/1\.1 404/);
  // A header line cannot smuggle another one in through its value.
  assert.match(await answer('x-other: a\\r\\nx-team: blue\r\n'), /^HTTP\/1\.1 404/);
});

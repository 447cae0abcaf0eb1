/**
 * Not upstream tests: details the Gateway API spec states for HTTPRoute that the upstream suite
 * does not exercise through traffic — header names repeated in one match with another case (only
 * the first counts), the ReplacePrefixMatch table of the spec, and trailing slashes in
 * PathPrefix values. (Equivalent query parameter names cannot occur: the CRD makes queryParams
 * a map keyed by the case-sensitive name.)
 */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const skip = !haproxyInstalled && 'haproxy is not installed';

test('only the first of equivalent header names in a match counts', { skip }, async (t) => {
  const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: duplicate-names, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [dup.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /headers}, headers: [{name: version, value: one}, {name: Version, value: two}]}]
    backendRefs: [{name: ${V1}, port: 8080}]
`;
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { host: 'dup.example.com', path: '/headers', headers: { version: 'one' }, backend: V1 },
    { host: 'dup.example.com', path: '/headers', headers: { version: 'two' }, status: 404 },
  ]);
});

test('ReplacePrefixMatch follows the table of the spec', { skip }, async (t) => {
  // [rule prefix, replacement, request path, path the backend must see]
  const table: [string, string, string, string][] = [
    ['/foo', '/xyz', '/foo/bar', '/xyz/bar'],
    ['/foo', '/xyz/', '/foo/bar', '/xyz/bar'],
    ['/foo/', '/xyz', '/foo/bar', '/xyz/bar'],
    ['/foo/', '/xyz/', '/foo/bar', '/xyz/bar'],
    ['/foo', '/xyz', '/foo', '/xyz'],
    ['/foo', '/xyz', '/foo/', '/xyz/'],
    ['/foo', '', '/foo/bar', '/bar'],
    ['/foo', '', '/foo/', '/'],
    ['/foo', '', '/foo', '/'],
    ['/foo', '/', '/foo/', '/'],
    ['/foo', '/', '/foo', '/'],
  ];
  // One route per row, told apart by hostname.
  const routes = table
    .map(
      ([prefix, replacement], i) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: prefix-${i}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [row${i}.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: "${prefix}"}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: "${replacement}"}}}]
    backendRefs: [{name: ${V1}, port: 8080}]
`,
    )
    .join('---\n');
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${routes}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(
    stack,
    gw,
    80,
    table.map(([, , path, want], i) => ({ host: `row${i}.example.com`, path, expectedRequest: { path: want }, backend: V1 })),
  );
});

test('a PathPrefix with a trailing slash matches by path segment', { skip }, async (t) => {
  const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: trailing-slash, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /abc/}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /abc/def/}}, {headers: [{name: x-complex, value: "yes"}], path: {type: PathPrefix, value: /ghi/}}]
    backendRefs: [{name: ${V2}, port: 8080}]
`;
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/abc', backend: V1 },
    { path: '/abc/', backend: V1 },
    { path: '/abc/x', backend: V1 },
    { path: '/abcd', status: 404 },
    { path: '/abc/def', backend: V2 },
    { path: '/abc/defg', backend: V1 },
    { path: '/ghi', headers: { 'x-complex': 'yes' }, backend: V2 },
    { path: '/ghi/', headers: { 'x-complex': 'yes' }, backend: V2 },
    { path: '/ghij', headers: { 'x-complex': 'yes' }, status: 404 },
  ]);
});

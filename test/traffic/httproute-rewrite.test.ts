/**
 * Traffic ports of upstream HTTPRouteRewriteHost and HTTPRouteRewritePath: URLRewrite changes
 * the Host header or the path the backend receives, alone and with a RequestHeaderModifier.
 */
import { test } from 'node:test';
import { backends, INFRA_NS, runCases, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const skip = !haproxyInstalled && 'haproxy is not installed';
const headerFilter =
  '{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Header-Set, value: set-overwrites-values}], add: [{name: X-Header-Add, value: header-val-1}, {name: X-Header-Add-Append, value: header-val-2}], remove: [X-Header-Remove]}}';
const modifiedHeaders = { 'X-Header-Add': 'header-val-1', 'X-Header-Add-Append': 'append-val-1,header-val-2', 'X-Header-Set': 'set-overwrites-values' };

test('HTTPRouteRewriteHost', { skip }, async (t) => {
  const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: rewrite-host, namespace: ${INFRA_NS}}
spec:
  hostnames: [rewrite.example]
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /one}}]
    filters: [{type: URLRewrite, urlRewrite: {hostname: one.example.org}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - filters: [{type: URLRewrite, urlRewrite: {hostname: example.org}}]
    backendRefs: [{name: ${V2}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /rewrite-host-and-modify-headers}}]
    filters: [{type: URLRewrite, urlRewrite: {hostname: test.example.org}}, ${headerFilter}]
    backendRefs: [{name: ${V2}, port: 8080}]
`;
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { host: 'rewrite.example', path: '/one', expectedRequest: { host: 'one.example.org' }, backend: V1 },
    { host: 'rewrite.example', path: '/two', expectedRequest: { host: 'example.org' }, backend: V2 },
    {
      host: 'rewrite.example',
      path: '/rewrite-host-and-modify-headers',
      headers: { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1' },
      expectedRequest: { host: 'test.example.org', headers: modifiedHeaders, absentHeaders: ['X-Header-Remove'] },
      backend: V2,
    },
  ]);
});

test('HTTPRouteRewritePath', { skip }, async (t) => {
  const rule = (prefix: string, filters: string) => `  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]\n    filters: [${filters}]\n    backendRefs: [{name: ${V1}, port: 8080}]\n`;
  const rewrite = (type: string, field: string, value: string) => `{type: URLRewrite, urlRewrite: {path: {type: ${type}, ${field}: ${value}}}}`;
  const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: rewrite-path, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
${rule('/prefix/one', rewrite('ReplacePrefixMatch', 'replacePrefixMatch', '/one'))}${rule('/strip-prefix', rewrite('ReplacePrefixMatch', 'replacePrefixMatch', '/'))}${rule(
    '/full/one',
    rewrite('ReplaceFullPath', 'replaceFullPath', '/one'),
  )}${rule('/full/rewrite-path-and-modify-headers', `${rewrite('ReplaceFullPath', 'replaceFullPath', '/test')}, ${headerFilter}`)}${rule(
    '/prefix/rewrite-path-and-modify-headers',
    `${rewrite('ReplacePrefixMatch', 'replacePrefixMatch', '/prefix')}, ${headerFilter}`,
  )}`;
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const headers = { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1', 'X-Header-Set': 'set-val' };
  await runCases(stack, gw, 80, [
    { path: '/prefix/one/two', expectedRequest: { path: '/one/two' }, backend: V1 },
    { path: '/strip-prefix/three', expectedRequest: { path: '/three' }, backend: V1 },
    { path: '/strip-prefix', expectedRequest: { path: '/' }, backend: V1 },
    { path: '/full/one/two', expectedRequest: { path: '/one' }, backend: V1 },
    // Not in upstream: the query string survives a path rewrite.
    { path: '/prefix/one/two?a=b&c', expectedRequest: { path: '/one/two?a=b&c' }, backend: V1 },
    { path: '/full/one/two?a=b', expectedRequest: { path: '/one?a=b' }, backend: V1 },
    {
      path: '/full/rewrite-path-and-modify-headers/test',
      headers,
      expectedRequest: { path: '/test', headers: modifiedHeaders, absentHeaders: ['X-Header-Remove'] },
      backend: V1,
    },
    {
      path: '/prefix/rewrite-path-and-modify-headers/one',
      headers,
      expectedRequest: { path: '/prefix/one', headers: modifiedHeaders, absentHeaders: ['X-Header-Remove'] },
      backend: V1,
    },
  ]);
});

/**
 * Traffic ports of upstream HTTPRouteRedirectHostAndStatus, HTTPRouteRedirectPath,
 * HTTPRouteRedirectPort and HTTPRouteRedirectScheme: the Location header and status code of
 * RequestRedirect filters (302 unless another code is given; unset parts come from the request),
 * and HTTPRoute303Redirect, HTTPRoute307Redirect and HTTPRoute308Redirect.
 */
import { test, type TestContext } from 'node:test';
import { INFRA_NS, runCases, type Case } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const skip = !haproxyInstalled && 'haproxy is not installed';
const redirectRoute = (name: string, rules: [prefix: string, redirect: string][]) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
${rules.map(([prefix, redirect]) => `  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]\n    filters: [{type: RequestRedirect, requestRedirect: ${redirect}}]\n`).join('')}`;

async function run(t: TestContext, route: string, cases: Case[]): Promise<void> {
  const stack = await startStack(t, [], `${gatewayYaml()}---\n${route}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, cases);
}

test('HTTPRouteRedirectHostAndStatus', { skip }, async (t) => {
  const route = redirectRoute('redirect-host-and-status', [
    ['/hostname-redirect', '{hostname: example.org}'],
    ['/host-and-status', '{statusCode: 301, hostname: example.org}'],
  ]);
  await run(t, route, [
    { path: '/hostname-redirect', status: 302, redirect: { host: 'example.org' } },
    { path: '/host-and-status', status: 301, redirect: { host: 'example.org' } },
  ]);
});

test('HTTPRouteRedirectPath', { skip }, async (t) => {
  const route = redirectRoute('redirect-path', [
    ['/original-prefix', '{path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}'],
    ['/full', '{path: {type: ReplaceFullPath, replaceFullPath: /full-path-replacement}}'],
    ['/path-and-host', '{hostname: example.org, path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}'],
    ['/path-and-status', '{path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}, statusCode: 301}'],
    ['/full-path-and-host', '{hostname: example.org, path: {type: ReplaceFullPath, replaceFullPath: /replacement-full}}'],
    ['/full-path-and-status', '{path: {type: ReplaceFullPath, replaceFullPath: /replacement-full}, statusCode: 301}'],
  ]);
  await run(t, route, [
    { path: '/original-prefix/lemon', status: 302, redirect: { path: '/replacement-prefix/lemon' } },
    { path: '/full/path/original', status: 302, redirect: { path: '/full-path-replacement' } },
    { path: '/path-and-host', status: 302, redirect: { host: 'example.org', path: '/replacement-prefix' } },
    { path: '/path-and-status', status: 301, redirect: { path: '/replacement-prefix' } },
    { path: '/full-path-and-host', status: 302, redirect: { host: 'example.org', path: '/replacement-full' } },
    { path: '/full-path-and-status', status: 301, redirect: { path: '/replacement-full' } },
  ]);
});

test('HTTPRouteRedirectPort', { skip }, async (t) => {
  const route = redirectRoute('redirect-port', [
    ['/port', '{port: 8083}'],
    ['/port-and-host', '{hostname: example.org, port: 8083}'],
    ['/port-and-status', '{port: 8083, statusCode: 301}'],
    ['/port-and-host-and-status', '{port: 8083, hostname: example.org, statusCode: 302}'],
  ]);
  await run(t, route, [
    { path: '/port', status: 302, redirect: { port: '8083' } },
    { path: '/port-and-host', status: 302, redirect: { host: 'example.org', port: '8083' } },
    { path: '/port-and-status', status: 301, redirect: { port: '8083' } },
    { path: '/port-and-host-and-status', status: 302, redirect: { port: '8083', host: 'example.org' } },
  ]);
});

test('HTTPRouteRedirectScheme', { skip }, async (t) => {
  const route = redirectRoute('redirect-scheme', [
    ['/scheme', '{scheme: https}'],
    ['/scheme-and-host', '{hostname: example.org, scheme: https}'],
    ['/scheme-and-status', '{scheme: https, statusCode: 301}'],
    ['/scheme-and-host-and-status', '{scheme: https, statusCode: 302, hostname: example.org}'],
  ]);
  await run(t, route, [
    { path: '/scheme', status: 302, redirect: { scheme: 'https' } },
    { path: '/scheme-and-host', status: 302, redirect: { host: 'example.org', scheme: 'https' } },
    { path: '/scheme-and-status', status: 301, redirect: { scheme: 'https' } },
    { path: '/scheme-and-host-and-status', status: 302, redirect: { scheme: 'https', host: 'example.org' } },
  ]);
});

test('HTTPRoute303Redirect, HTTPRoute307Redirect, HTTPRoute308Redirect', { skip }, async (t) => {
  const route = redirectRoute('redirect-codes', [
    ['/see-other', '{statusCode: 303}'],
    ['/temporary', '{statusCode: 307}'],
    ['/permanent', '{statusCode: 308}'],
  ]);
  await run(t, route, [
    { path: '/see-other', status: 303, redirect: { path: '/see-other' } },
    { path: '/temporary', status: 307, redirect: { path: '/temporary' } },
    { path: '/permanent', status: 308, redirect: { path: '/permanent' } },
  ]);
});

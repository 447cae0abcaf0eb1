/**
 * Traffic port of upstream HTTPRouteRedirectPortAndScheme: when a redirect names no port, the
 * port follows the scheme (80 for http, 443 for https) or, without a scheme either, the listener's
 * port; a scheme's default port is left out of the Location header.
 */
import { test } from 'node:test';
import { INFRA_NS, mismatch, runCases, type Case } from './cases.js';
import { extraGatewayYaml, gatewayYaml, haproxyInstalled, startStack } from './harness.js';
import { HTTPS_GW, httpsGatewayYaml } from './https-gateway.js';

const GW_8080 = 'same-namespace-with-http-listener-on-8080';
const route = (name: string, parent: string, rules: [prefix: string, redirect: string][]) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${parent}}]
  rules:
${rules.map(([prefix, redirect]) => `  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]\n    filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org${redirect}}}]\n`).join('')}`;

const manifests = [
  gatewayYaml(),
  extraGatewayYaml(GW_8080, INFRA_NS, '  - name: http\n    port: 8080\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n'),
  httpsGatewayYaml,
  route('http-route-for-listener-on-port-80', 'same-namespace', [
    ['/scheme-nil-and-port-nil', ''],
    ['/scheme-nil-and-port-80', ', port: 80'],
    ['/scheme-nil-and-port-8080', ', port: 8080'],
    ['/scheme-https-and-port-nil', ', scheme: https'],
    ['/scheme-https-and-port-443', ', scheme: https, port: 443'],
    ['/scheme-https-and-port-8443', ', scheme: https, port: 8443'],
  ]),
  route('http-route-for-listener-on-port-8080', GW_8080, [
    ['/scheme-nil-and-port-nil', ''],
    ['/scheme-nil-and-port-80', ', port: 80'],
    ['/scheme-https-and-port-nil', ', scheme: https'],
  ]),
  route('http-route-for-listener-on-port-443', HTTPS_GW, [
    ['/scheme-nil-and-port-nil', ''],
    ['/scheme-nil-and-port-443', ', port: 443'],
    ['/scheme-nil-and-port-8443', ', port: 8443'],
    ['/scheme-http-and-port-nil', ', scheme: http'],
    ['/scheme-http-and-port-80', ', scheme: http, port: 80'],
    ['/scheme-http-and-port-8080', ', scheme: http, port: 8080'],
  ]),
].join('---\n');

const to = (scheme: string, port?: string): Case['redirect'] => ({ scheme, host: 'example.org', ...(port ? { port } : {}) });

test('HTTPRouteRedirectPortAndScheme', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, [], manifests);
  const gw80 = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const gw8080 = await stack.gatewayAddress(INFRA_NS, GW_8080);
  const gw443 = await stack.gatewayAddress(INFRA_NS, HTTPS_GW);

  await runCases(stack, gw80, 80, [
    { path: '/scheme-nil-and-port-nil', status: 302, redirect: to('http') },
    { path: '/scheme-nil-and-port-80', status: 302, redirect: to('http') },
    { path: '/scheme-nil-and-port-8080', status: 302, redirect: to('http', '8080') },
    { path: '/scheme-https-and-port-nil', status: 302, redirect: to('https') },
    { path: '/scheme-https-and-port-443', status: 302, redirect: to('https') },
    { path: '/scheme-https-and-port-8443', status: 302, redirect: to('https', '8443') },
  ]);
  await runCases(stack, gw8080, 8080, [
    { path: '/scheme-nil-and-port-nil', status: 302, redirect: to('http', '8080') },
    { path: '/scheme-nil-and-port-80', status: 302, redirect: to('http') },
    { path: '/scheme-https-and-port-nil', status: 302, redirect: to('https') },
  ]);
  const https: Case[] = [
    { host: 'example.org', path: '/scheme-nil-and-port-nil', status: 302, redirect: to('https') },
    { host: 'example.org', path: '/scheme-nil-and-port-443', status: 302, redirect: to('https') },
    { host: 'example.org', path: '/scheme-nil-and-port-8443', status: 302, redirect: to('https', '8443') },
    { host: 'example.org', path: '/scheme-http-and-port-nil', status: 302, redirect: to('http') },
    { host: 'example.org', path: '/scheme-http-and-port-80', status: 302, redirect: to('http') },
    { host: 'example.org', path: '/scheme-http-and-port-8080', status: 302, redirect: to('http', '8080') },
  ];
  for (const c of https) {
    let why: string | undefined;
    await stack.expectHttps(gw443, 443, { host: c.host, servername: 'example.org', path: c.path }, (r) => (why = mismatch(c, r, 'https')) === undefined, c.path).catch((err: unknown) => {
      throw new Error(`https ${c.path}: ${why ?? ''} ${String(err)}`);
    });
  }
});

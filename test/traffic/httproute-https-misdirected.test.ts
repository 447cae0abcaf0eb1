/**
 * Traffic port of upstream HTTPRouteHTTPSListenerDetectMisdirectedRequests (extended feature
 * GatewayHTTPSListenerDetectMisdirectedRequests): on an HTTPS port, a request whose Host belongs to
 * another listener than the one its SNI selected gets 421; a Host no listener takes gets 404.
 */
import { test } from 'node:test';
import { backends, INFRA_NS, V1, V2, V3 } from './cases.js';
import { classYaml, haproxyInstalled, startStack } from './harness.js';
import { HTTPS_GW, httpsGatewayYaml } from './https-gateway.js';

const route = (n: number, section: string, backend: string, hostnames?: string[]) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: https-listener-detect-misdirected-requests-test-${n}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: ${HTTPS_GW}, sectionName: ${section}}]
${hostnames ? `  hostnames: ${JSON.stringify(hostnames)}\n` : ''}  rules:
  - matches: [{path: {type: PathPrefix, value: /detect-misdirected-requests}}]
    backendRefs: [{name: ${backend}, port: 8080}]
`;

const manifests = [
  classYaml(),
  httpsGatewayYaml,
  route(1, 'https', V1, ['example.org']),
  route(2, 'https-with-hostname', V2),
  route(3, 'https-with-wildcard-hostname', V3),
  route(4, 'https-with-hostname-matching-wildcard', V1),
].join('---\n');

const cases: { sni: string; host: string; status: number; backend?: string }[] = [
  { sni: 'example.org', host: 'example.org', status: 200, backend: V1 },
  { sni: 'example.org', host: 'second-example.org', status: 421 },
  { sni: 'example.org', host: 'unknown-example.org', status: 404 },
  { sni: 'second-example.org', host: 'second-example.org', status: 200, backend: V2 },
  { sni: 'second-example.org', host: 'example.org', status: 421 },
  { sni: 'second-example.org', host: 'unknown-example.org', status: 421 },
  { sni: 'third-example.wildcard.org', host: 'third-example.wildcard.org', status: 200, backend: V3 },
  { sni: 'third-example.wildcard.org', host: 'fith-example.wildcard.org', status: 200, backend: V3 },
  { sni: 'third-example.wildcard.org', host: 'fourth-example.wildcard.org', status: 421 },
  { sni: 'third-example.wildcard.org', host: 'second-example.org', status: 421 },
  { sni: 'third-example.wildcard.org', host: 'unknown-example.org', status: 421 },
  { sni: 'fourth-example.wildcard.org', host: 'fourth-example.wildcard.org', status: 200, backend: V1 },
  { sni: 'fourth-example.wildcard.org', host: 'fith-example.wildcard.org', status: 421 },
  { sni: 'unknown-example.org', host: 'example.org', status: 200, backend: V1 },
  { sni: 'unknown-example.org', host: 'unknown-example.org', status: 404 },
];

test(
  'HTTPRouteHTTPSListenerDetectMisdirectedRequests',
  { skip: !haproxyInstalled && 'haproxy is not installed' },
  async (t) => {
    const stack = await startStack(t, backends(V1, V2, V3), manifests);
    const gw = await stack.gatewayAddress(INFRA_NS, HTTPS_GW);
    // Every case runs, so the report shows which ones differ; the test fails if any does.
    const wrong: string[] = [];
    for (const c of cases) {
      const what = `SNI ${c.sni}, Host ${c.host} → ${c.status}${c.backend ? ` ${c.backend}` : ''}`;
      const opts = { host: c.host, servername: c.sni, path: '/detect-misdirected-requests' };
      // Converged once the first case answers as expected; later cases are judged on one request.
      const r = c === cases[0] ? await stack.expectHttps(gw, 443, opts, (res) => res.status === c.status, what) : await stack.https(gw, 443, opts);
      if (r.status !== c.status || (c.backend && r.json?.pod !== c.backend)) wrong.push(`${what}: got ${r.status} ${r.json?.pod ?? ''}`);
    }
    if (wrong.length) throw new Error(`${wrong.length} of ${cases.length} cases differ:\n${wrong.join('\n')}`);
  },
);

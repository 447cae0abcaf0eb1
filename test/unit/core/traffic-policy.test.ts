import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/object.js';
import type { TrafficPolicyObject } from '../../../src/api/policy-spec.js';
import { policySettings } from '../../../src/graph/traffic-policies.js';
import { EndpointIndex } from '../../../src/graph/backends.js';
import { ReferenceGrantIndex } from '../../../src/graph/reference-grants.js';
import { ResourceSet } from '../../../src/store/resources.js';
import { condOf, endpointSlice, gateway, gatewayClass, httpRoute, run, service, statusOf } from './builders.js';

function policy(name: string, spec: Record<string, unknown>, created = '2026-01-01T00:00:00Z'): TrafficPolicyObject {
  return { apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'TrafficPolicy', metadata: { name, namespace: 'default', generation: 1, creationTimestamp: created }, spec };
}
const toRoute = (name = 'r', sectionName?: string) => ({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name, ...(sectionName ? { sectionName } : {}) });
const headers = (value: string) => ({ headerModifiers: { request: { set: [{ name: 'x-v', value }] } } });

const world = (...extra: KubeObject[]): KubeObject[] => [
  gatewayClass(),
  gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
  service('app'),
  endpointSlice('app', ['127.0.0.1']),
  httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ name: 'a', backendRefs: [{ name: 'app', port: 80 }] }, { name: 'b', matches: [{ path: { type: 'PathPrefix', value: '/b' } }], backendRefs: [{ name: 'app', port: 80 }] }] }),
  ...extra,
];
/** What policySettings reads besides the policy: here, nothing. */
function noObjects() {
  const resources = new ResourceSet();
  const grants = new ReferenceGrantIndex([]);
  return { resources, grants, backends: { resources, grants, endpoints: new EndpointIndex([]) } };
}
const rulePolicies = (t: ReturnType<typeof run>) => t.ir.gateways[0]?.ports[0]?.listeners[0]?.virtualHosts[0]?.rules.map((r) => [r.ruleName, r.policy]);

test('policySettings: a token bucket becomes a window with its rate and burst; fields Portico lacks are refused by path', () => {
  const { settings, problem } = policySettings(policy('p', { rateLimit: { local: { tokenBucket: { maxTokens: 10, tokensPerFill: 5, fillInterval: '1s' } } } }), noObjects());
  assert.equal(problem, undefined);
  assert.deepEqual(settings.rateLimit, { limit: 10, periodMs: 2000, retryAfterSeconds: 1 });
  const refused = policySettings(policy('p', { extProc: {}, rateLimit: { global: {}, local: { percentEnforced: 50, tokenBucket: { maxTokens: 1, fillInterval: '1s' } } } }), noObjects());
  assert.equal(refused.problem, 'spec.extProc is not supported by Portico; spec.rateLimit.global is not supported by Portico; spec.rateLimit.local.percentEnforced is not supported by Portico');
  assert.match(policySettings(policy('p', headers('a\nb')), noObjects()).problem ?? '', /spec\.headerModifiers\.request: the value of header x-v holds a control character/);
});

test('fields merge rule over route over Gateway; the older policy wins at the same place and the newer is Conflicted', () => {
  const t = run(
    world(
      policy('gw-wide', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }], ...headers('gateway'), rateLimit: { local: { tokenBucket: { maxTokens: 5, fillInterval: '1s' } } } }),
      policy('route', { targetRefs: [toRoute()], ...headers('route') }, '2026-01-02T00:00:00Z'),
      policy('rule-b', { targetRefs: [toRoute('r', 'b')], ...headers('rule') }, '2026-01-03T00:00:00Z'),
      policy('route-later', { targetRefs: [toRoute()], ...headers('later') }, '2026-01-04T00:00:00Z'),
    ),
  );
  const rules = new Map(rulePolicies(t) as [string, { headerModifiers?: { request?: { set?: { value: string }[] } } }][]);
  assert.equal(rules.get('a')?.headerModifiers?.request?.set?.[0]?.value, 'route');
  assert.equal(rules.get('b')?.headerModifiers?.request?.set?.[0]?.value, 'rule');
  const listener = t.ir.gateways[0]?.ports[0]?.listeners[0];
  assert.equal(listener?.policy?.headerModifiers?.request?.set?.[0]?.value, 'gateway');
  assert.equal(listener?.policy?.rateLimit?.limit, 5, 'the Gateway-wide rate limit applies to every rule on the listener');
  const later = condOf((statusOf(t, 'TrafficPolicy/default/route-later').ancestors as { conditions: unknown }[])[0]?.conditions, 'Accepted');
  assert.deepEqual([later.status, later.reason], ['False', 'Conflicted']);
  assert.match(String(later.message), /overridden on HTTPRoute default\/r rule 0 by the older TrafficPolicy default\/route/);
  const gw = condOf((statusOf(t, 'TrafficPolicy/default/gw-wide').ancestors as { conditions: unknown }[])[0]?.conditions, 'Accepted');
  assert.equal(gw.status, 'True');
});

test('a refused policy makes the rules it reaches fail closed; an unknown target is TargetNotFound; selectors pick by labels', () => {
  const t = run(
    world(
      policy('bad', { targetRefs: [toRoute('r', 'a')], extAuth: { extensionRef: { name: 'x' } } }),
      policy('lost', { targetRefs: [toRoute('nothing')], ...headers('x') }),
      policy('none-selected', { targetSelectors: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', matchLabels: { team: 'z' } }], ...headers('x') }),
    ),
  );
  const rules = new Map(rulePolicies(t) as [string, { failClosed?: string } | undefined][]);
  assert.match(rules.get('a')?.failClosed ?? '', /TrafficPolicy default\/bad cannot be carried out: spec\.extAuth/);
  assert.equal(rules.get('b'), undefined);
  const lost = condOf((statusOf(t, 'TrafficPolicy/default/lost').ancestors as { ancestorRef: { kind: string }; conditions: unknown }[])[0]?.conditions, 'Accepted');
  assert.deepEqual([lost.status, lost.reason], ['False', 'TargetNotFound']);
  assert.deepEqual((statusOf(t, 'TrafficPolicy/default/lost').ancestors as { ancestorRef: object }[])[0]?.ancestorRef, { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default', name: 'nothing' });
  const noneSelected = (statusOf(t, 'TrafficPolicy/default/none-selected').ancestors as { ancestorRef: object; conditions: unknown }[])[0];
  assert.equal(condOf(noneSelected?.conditions, 'Accepted').reason, 'TargetNotFound');
  assert.deepEqual(noneSelected?.ancestorRef, { group: 'gateway.portico.dev', kind: 'TrafficPolicy', namespace: 'default', name: 'none-selected' }, 'selectors name nothing: the policy stands in');
});

test('policySettings: retries, timeouts, body limit, CORS, compression and per-client buckets as the data plane takes them', () => {
  const { settings, problem } = policySettings(
    policy('p', {
      retry: { attempts: 3, retryOn: ['5xx', 'reset'], statusCodes: [404], perTryTimeout: '1s' },
      timeouts: { request: '5s' },
      buffer: { maxRequestSize: '1Mi' },
      cors: { allowOrigins: ['https://a.example'] },
      compression: { responseCompression: {} },
      rateLimit: { local: { tokenBucket: { maxTokens: 5, fillInterval: '1s' }, key: { type: 'Header', header: 'X-Client' } } },
    }),
    noObjects(),
  );
  assert.equal(problem, undefined);
  assert.deepEqual(settings.retry, { attempts: 3, codes: [404, 500, 501, 502, 503, 504], perTryTimeout: '1s' });
  assert.deepEqual(settings.timeouts, { request: '5s' });
  assert.deepEqual(settings.buffer, { maxRequestBytes: 1048576 });
  assert.deepEqual(settings.cors, { maxAge: 5, allowOrigins: ['https://a.example'] });
  assert.deepEqual(settings.compression, { response: true });
  assert.deepEqual(settings.rateLimit?.key, { type: 'Header', header: 'x-client' });
  assert.equal(policySettings(policy('p', { retry: { attempts: 0, retryOn: ['5xx'] }, buffer: { disable: {} }, cors: { disable: {} } }), noObjects()).settings.retry, false);
  const refused = policySettings(policy('p', { retry: { retryOn: ['envoy-ratelimited'], statusCodes: [429] }, timeouts: { streamIdle: '1s' }, compression: { requestDecompression: {} } }), noObjects());
  assert.match(refused.problem ?? '', /spec\.timeouts\.streamIdle is not supported/);
  assert.match(refused.problem ?? '', /spec\.compression\.requestDecompression is not supported/);
  assert.match(refused.problem ?? '', /spec\.retry\.retryOn\[0\] "envoy-ratelimited" is not supported/);
  assert.match(policySettings(policy('p', { rateLimit: { local: { tokenBucket: { maxTokens: 1, fillInterval: '1s' }, key: { type: 'Header', header: "x'a" } } } }), noObjects()).problem ?? '', /key\.header/);
});

test('policySettings: urlRewrite patterns must be RE2 Portico can write; named groups are refused', () => {
  assert.deepEqual(policySettings(policy('p', { urlRewrite: { pathRegex: { pattern: '^/v([0-9]+)', substitution: '/\\1' } } }), noObjects()).settings.urlRewrite, { pattern: '^/v([0-9]+)', substitution: '/\\1' });
  assert.match(policySettings(policy('p', { urlRewrite: { pathRegex: { pattern: '(?<=a)b', substitution: 'x' } } }), noObjects()).problem ?? '', /not valid RE2 syntax/);
  assert.match(policySettings(policy('p', { urlRewrite: { pathRegex: { pattern: "a'b", substitution: 'x' } } }), noObjects()).problem ?? '', /cannot write a '/);
  assert.match(policySettings(policy('p', { urlRewrite: { pathRegex: { pattern: '(?P<n>a)', substitution: '\\g<n>' } } }), noObjects()).problem ?? '', /named groups/);
});

test('policySettings: csrf takes one matcher per additional origin; shadow mode and a partial percentage are refused', () => {
  assert.deepEqual(policySettings(policy('p', { csrf: { additionalOrigins: [{ suffix: '.a.example', ignoreCase: true }, { safeRegex: '^b[.]example$' }] } }), noObjects()).settings.csrf, {
    additionalOrigins: [
      { type: 'suffix', value: '.a.example', ignoreCase: true },
      { type: 'regex', value: '^b[.]example$', ignoreCase: false },
    ],
  });
  assert.match(policySettings(policy('p', { csrf: { percentageShadowed: 50 } }), noObjects()).problem ?? '', /percentageShadowed is not supported/);
  assert.match(policySettings(policy('p', { csrf: { percentageEnabled: 50 } }), noObjects()).problem ?? '', /only 100/);
  assert.match(policySettings(policy('p', { csrf: { additionalOrigins: [{ exact: 'a', prefix: 'b' }] } }), noObjects()).problem ?? '', /exactly one of/);
});

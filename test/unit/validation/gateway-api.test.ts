import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../src/api/object.js';
import { Validator, type ValidationResult } from '../../../src/validation/index.js';
import * as fx from './fixtures.js';

const experimental = new Validator();
const standard = new Validator({ channel: 'standard' });

function accepted(result: ValidationResult): KubeObject {
  assert.deepEqual(result.problems, [], 'expected no problems');
  assert.equal(result.ok, true);
  assert.ok(result.object);
  return result.object;
}

describe('valid Gateway API objects of every kind', () => {
  const kinds: Array<[string, () => KubeObject]> = [
    ['GatewayClass', fx.gatewayClass],
    ['Gateway', fx.gateway],
    ['HTTPRoute', fx.httpRoute],
    ['GRPCRoute', fx.grpcRoute],
    ['TLSRoute', fx.tlsRoute],
    ['TCPRoute', fx.tcpRoute],
    ['UDPRoute', fx.udpRoute],
    ['ListenerSet', fx.listenerSet],
    ['ReferenceGrant', fx.referenceGrant],
    ['BackendTLSPolicy', fx.backendTLSPolicy],
  ];
  for (const [kind, make] of kinds) {
    for (const validator of [experimental, standard]) {
      test(`${kind} passes in the ${validator.channel} channel`, () => {
        const input = make();
        const before = structuredClone(input);
        const obj = accepted(validator.validate(input));
        assert.equal(obj.kind, kind);
        assert.equal(obj.apiVersion, 'gateway.networking.k8s.io/v1');
        assert.deepEqual(input, before, 'the input object is not modified');
      });
    }
  }
});

describe('defaults are applied as the API server applies them', () => {
  test('HTTPRoute: parentRef group/kind, backendRef group/kind/weight', () => {
    const s = fx.spec(accepted(experimental.validate(fx.httpRoute())));
    assert.deepEqual(s.parentRefs[0], { name: 'gw', namespace: 'infra', group: 'gateway.networking.k8s.io', kind: 'Gateway' });
    assert.deepEqual(s.rules[0].backendRefs[0], { name: 'api', port: 8080, group: '', kind: 'Service', weight: 1 });
    assert.deepEqual(s.rules[0].matches, [{ path: { type: 'PathPrefix', value: '/api' } }]);
  });

  test('HTTPRoute: a rule without matches matches every path; a route without rules gets one rule', () => {
    const route = fx.httpRoute();
    fx.spec(route).rules = [{ backendRefs: [{ name: 'api', port: 8080 }] }];
    const s = fx.spec(accepted(experimental.validate(route)));
    assert.deepEqual(s.rules[0].matches, [{ path: { type: 'PathPrefix', value: '/' } }]);

    const bare = fx.httpRoute();
    delete fx.spec(bare).rules;
    assert.deepEqual(fx.spec(accepted(experimental.validate(bare))).rules, [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }]);
  });

  test('HTTPRoute: nested defaults inside objects that exist (header match type, redirect status)', () => {
    const route = fx.httpRoute();
    const rule = fx.spec(route).rules[0];
    rule.matches = [{ path: { value: '/x' }, headers: [{ name: 'x-env', value: 'prod' }] }];
    const s = fx.spec(accepted(experimental.validate(route)));
    assert.deepEqual(s.rules[0].matches[0], { path: { type: 'PathPrefix', value: '/x' }, headers: [{ name: 'x-env', value: 'prod', type: 'Exact' }] });

    const redirect = fx.httpRoute();
    fx.spec(redirect).rules = [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] }];
    const r = fx.spec(accepted(experimental.validate(redirect)));
    assert.deepEqual(r.rules[0].filters[0].requestRedirect, { scheme: 'https', statusCode: 302 });
  });

  test('Gateway: listener allowedRoutes and TLS defaults', () => {
    const s = fx.spec(accepted(experimental.validate(fx.gateway())));
    assert.deepEqual(s.listeners[0].allowedRoutes, { namespaces: { from: 'Same' } });
    assert.deepEqual(s.listeners[1].tls, { mode: 'Terminate', certificateRefs: [{ name: 'cert', group: '', kind: 'Secret' }] });
  });

  test('GRPCRoute: method match type', () => {
    const s = fx.spec(accepted(experimental.validate(fx.grpcRoute())));
    assert.deepEqual(s.rules[0].matches[0].method, { service: 'helloworld.Greeter', method: 'SayHello', type: 'Exact' });
  });

  test('ListenerSet: parentRef group/kind and listener defaults', () => {
    const s = fx.spec(accepted(experimental.validate(fx.listenerSet())));
    assert.equal(s.parentRef.kind, 'Gateway');
    assert.equal(s.parentRef.group, 'gateway.networking.k8s.io');
    assert.deepEqual(s.listeners[0].allowedRoutes, { namespaces: { from: 'Same' } });
  });

  test('TCPRoute, TLSRoute, UDPRoute: backendRef weight', () => {
    for (const make of [fx.tcpRoute, fx.tlsRoute, fx.udpRoute]) {
      assert.equal(fx.spec(accepted(experimental.validate(make()))).rules[0].backendRefs[0].weight, 1);
    }
  });

  test('an explicit value is never replaced by a default, and null counts as absent', () => {
    const route = fx.httpRoute();
    fx.spec(route).rules[0].backendRefs = [{ name: 'api', port: 8080, weight: 0, kind: null }];
    const s = fx.spec(accepted(experimental.validate(route)));
    assert.equal(s.rules[0].backendRefs[0].weight, 0);
    assert.equal(s.rules[0].backendRefs[0].kind, 'Service');
  });
});

describe('namespace and apiVersion normalization', () => {
  test('namespaced objects without a namespace land in "default"', () => {
    const route = fx.httpRoute();
    delete route.metadata.namespace;
    assert.equal(accepted(experimental.validate(route)).metadata.namespace, 'default');
  });

  test('cluster-scoped objects lose a namespace, with a warning', () => {
    const gc = fx.gatewayClass();
    gc.metadata.namespace = 'oops';
    const result = experimental.validate(gc);
    assert.equal(accepted(result).metadata.namespace, undefined);
    assert.match(result.warnings.join('\n'), /cluster-scoped/);
  });

  test('v1beta1 is accepted and stored as v1 (conversion strategy None)', () => {
    const route = fx.httpRoute();
    route.apiVersion = 'gateway.networking.k8s.io/v1beta1';
    assert.equal(accepted(experimental.validate(route)).apiVersion, 'gateway.networking.k8s.io/v1');
  });

  test('experimental-only versions are served in experimental, refused in standard', () => {
    const tcp = fx.tcpRoute();
    tcp.apiVersion = 'gateway.networking.k8s.io/v1alpha2';
    assert.equal(accepted(experimental.validate(tcp)).apiVersion, 'gateway.networking.k8s.io/v1');

    const result = standard.validate(tcp);
    assert.equal(result.ok, false);
    assert.equal(result.object, undefined);
    assert.deepEqual(result.problems, [
      {
        path: 'apiVersion',
        message:
          'Unsupported value: "gateway.networking.k8s.io/v1alpha2": TCPRoute is not served at this version in the standard channel of the Gateway API CRDs; supported values: "gateway.networking.k8s.io/v1"',
      },
    ]);
  });

  test('an unknown version or a wrong group is refused', () => {
    const route = fx.httpRoute();
    route.apiVersion = 'gateway.networking.k8s.io/v2';
    assert.match(experimental.validate(route).problems[0]?.message ?? '', /HTTPRoute is not served at this version/);
    route.apiVersion = 'v1';
    assert.equal(experimental.validate(route).problems[0]?.path, 'apiVersion');
  });
});

describe('experimental-only fields', () => {
  const withRetryAndPersistence = (): KubeObject => {
    const route = fx.httpRoute();
    Object.assign(fx.spec(route).rules[0], { retry: { attempts: 2 }, sessionPersistence: { sessionName: 'sid' } });
    return route;
  };

  test('are accepted (and defaulted) in the experimental channel', () => {
    const result = experimental.validate(withRetryAndPersistence());
    const rule = fx.spec(accepted(result)).rules[0];
    assert.deepEqual(rule.retry, { attempts: 2 });
    assert.deepEqual(rule.sessionPersistence, { sessionName: 'sid', type: 'Cookie' });
    assert.deepEqual(result.warnings, []);
  });

  test('are pruned with a warning in the standard channel, as unknown fields', () => {
    const result = standard.validate(withRetryAndPersistence());
    const rule = fx.spec(accepted(result)).rules[0];
    assert.equal(rule.retry, undefined);
    assert.equal(rule.sessionPersistence, undefined);
    assert.deepEqual(result.warnings, ['spec.rules[0].retry: unknown field, dropped', 'spec.rules[0].sessionPersistence: unknown field, dropped']);
  });
});

describe("Portico's policy kinds (gateway.portico.dev, kgateway's CRDs)", () => {
  const trafficPolicy = (spec: object): KubeObject => ({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'TrafficPolicy', metadata: { name: 'p', namespace: 'default' }, spec });
  const route = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r' };

  test('a valid TrafficPolicy gets its defaults, in both channels', () => {
    for (const v of [experimental, standard]) {
      const r = v.validate(trafficPolicy({ targetRefs: [route], rateLimit: { local: { tokenBucket: { maxTokens: 5, fillInterval: '1s' } } } }));
      assert.equal(r.ok, true, JSON.stringify(r.problems));
      assert.equal((r.object?.spec as { rateLimit: { local: { tokenBucket: { tokensPerFill: number } } } }).rateLimit.local.tokenBucket.tokensPerFill, 1);
    }
  });

  test("the CRDs' rules refuse bad values with their path: CEL (kinds, quantities, durations) and schema", () => {
    const r = experimental.validate(trafficPolicy({ targetRefs: [{ ...route, kind: 'Service' }], buffer: { maxRequestSize: '0' }, rateLimit: { local: { tokenBucket: { maxTokens: 5, fillInterval: '10ms' } } } }));
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.problems.map((p) => p.path).sort(),
      ['spec.buffer.maxRequestSize', 'spec.rateLimit.local.tokenBucket.fillInterval', 'spec.targetRefs'],
      JSON.stringify(r.problems),
    );
    const direct = experimental.validate({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'DirectResponse', metadata: { name: 'd', namespace: 'default' }, spec: { status: 700 } });
    assert.deepEqual(direct.problems.map((p) => p.path), ['spec.status']);
    const version = experimental.validate({ ...trafficPolicy({ targetRefs: [route] }), apiVersion: 'gateway.portico.dev/v1' });
    assert.match(version.problems[0]?.message ?? '', /not served at this version in Portico's CRDs; supported values: "gateway.portico.dev\/v1alpha1"/);
  });

  test('GatewayExtension, ListenerPolicy and the rate-limit key Portico adds are validated by their CRDs', () => {
    const meta = { name: 'x', namespace: 'default' };
    const ext = (spec: object) => experimental.validate({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'GatewayExtension', metadata: meta, spec });
    const ok = ext({ type: 'ExtAuth', extAuth: { httpService: { backendRef: { name: 'authz', port: 80 } } } });
    assert.equal(ok.ok, true, JSON.stringify(ok.problems));
    assert.equal((ok.object?.spec as { extAuth: { statusOnError: number } }).extAuth.statusOnError, 403, 'defaulted');
    assert.equal(ext({ type: 'JWT', extAuth: { httpService: { backendRef: { name: 'authz', port: 80 } } } }).ok, false, 'type and field disagree');
    const listener = (spec: object) => experimental.validate({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'ListenerPolicy', metadata: meta, spec });
    assert.equal(listener({ targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }], default: { httpSettings: { idleTimeout: '30s' } } }).ok, true);
    assert.deepEqual(listener({ targetRefs: [route], default: {} }).problems.map((p) => p.path), ['spec.targetRefs']);
    const key = (k: object) => experimental.validate(trafficPolicy({ targetRefs: [route], rateLimit: { local: { tokenBucket: { maxTokens: 5, fillInterval: '1s' }, key: k } } }));
    assert.equal(key({ type: 'Header', header: 'x-client' }).ok, true);
    assert.equal(key({ type: 'RemoteAddress' }).ok, true);
    assert.deepEqual(key({ type: 'RemoteAddress', header: 'x' }).problems.map((p) => p.path), ['spec.rateLimit.local.key']);
    const backend = (spec: object) => experimental.validate({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'Backend', metadata: meta, spec });
    assert.equal(backend({ type: 'Static', static: { hosts: [{ host: 'db.example.com', port: 5432 }] } }).ok, true);
    assert.equal(backend({ type: 'Static', static: { hosts: [] } }).ok, false, 'at least one host');
  });
});

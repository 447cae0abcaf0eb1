import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../src/api/object.js';
import { Validator, type FieldProblem } from '../../../src/validation/index.js';
import * as fx from './fixtures.js';

const validator = new Validator();

/** Validate `obj` after `mutate`, expecting it refused with (at least) `expected`. */
function refused(obj: KubeObject, expected: FieldProblem | FieldProblem[]): FieldProblem[] {
  const result = validator.validate(obj);
  assert.equal(result.ok, false, 'expected the object to be refused');
  for (const p of Array.isArray(expected) ? expected : [expected]) {
    assert.ok(
      result.problems.some((q) => q.path === p.path && q.message === p.message),
      `missing problem ${JSON.stringify(p)}; got ${JSON.stringify(result.problems, null, 2)}`,
    );
  }
  return result.problems;
}

function accepted(obj: KubeObject): void {
  const result = validator.validate(obj);
  assert.deepEqual(result.problems, []);
}

const routeWith = (rule: object): KubeObject => {
  const route = fx.httpRoute();
  fx.spec(route).rules = [rule];
  return route;
};

describe('HTTPRoute rules', () => {
  test('a RequestHeaderModifier filter needs its config', () => {
    refused(routeWith({ filters: [{ type: 'RequestHeaderModifier' }] }), {
      path: 'spec.rules[0].filters[0]',
      message: 'filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type',
    });
  });

  test('filter config must match the filter type', () => {
    refused(routeWith({ filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'a', value: 'b' }] }, requestHeaderModifier: { remove: ['x'] } }] }), {
      path: 'spec.rules[0].filters[0]',
      message: 'filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier',
    });
  });

  test('a PathPrefix value must start with "/"', () => {
    const problems = refused(routeWith({ matches: [{ path: { type: 'PathPrefix', value: 'api' } }] }), {
      path: 'spec.rules[0].matches[0].path',
      message: "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
    });
    assert.equal(problems.length, 1);
  });

  test('an Exact path may not contain "//" or end with "/."', () => {
    refused(routeWith({ matches: [{ path: { type: 'Exact', value: '/a//b/.' } }] }), [
      { path: 'spec.rules[0].matches[0].path', message: "must not contain '//' when type one of ['Exact', 'PathPrefix']" },
      { path: 'spec.rules[0].matches[0].path', message: "must not end with '/.' when type one of ['Exact', 'PathPrefix']" },
    ]);
  });

  test('RegularExpression paths skip the prefix rules', () => {
    accepted(routeWith({ matches: [{ path: { type: 'RegularExpression', value: '^/v[0-9]+//' } }] }));
  });

  test('RequestMirror: percent and fraction are exclusive', () => {
    const mirror = { backendRef: { name: 'shadow', port: 80 }, percent: 10, fraction: { numerator: 1, denominator: 10 } };
    refused(routeWith({ filters: [{ type: 'RequestMirror', requestMirror: mirror }] }), {
      path: 'spec.rules[0].filters[0].requestMirror',
      message: 'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter',
    });
  });

  test('RequestMirror: numerator <= denominator compares integers', () => {
    const mirror = (numerator: number, denominator: number): KubeObject =>
      routeWith({ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 }, fraction: { numerator, denominator } } }] });
    refused(mirror(11, 10), { path: 'spec.rules[0].filters[0].requestMirror.fraction', message: 'numerator must be less than or equal to denominator' });
    accepted(mirror(10, 10));
    accepted(mirror(9, 100));
  });

  test('a Service backendRef needs a port', () => {
    refused(routeWith({ backendRefs: [{ name: 'api' }] }), { path: 'spec.rules[0].backendRefs[0]', message: 'Must have port for Service reference' });
    accepted(routeWith({ backendRefs: [{ name: 'bucket', group: 'example.com', kind: 'Bucket' }] }));
  });

  test('a redirect cannot be combined with backendRefs', () => {
    refused(routeWith({ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }], backendRefs: [{ name: 'api', port: 80 }] }), {
      path: 'spec.rules[0]',
      message: 'RequestRedirect filter must not be used together with backendRefs',
    });
  });

  test('ReplacePrefixMatch needs exactly one PathPrefix match', () => {
    const rewrite = { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } };
    refused(routeWith({ matches: [{ path: { type: 'Exact', value: '/v1' } }], filters: [rewrite] }), {
      path: 'spec.rules[0]',
      message: 'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
    });
    accepted(routeWith({ matches: [{ path: { type: 'PathPrefix', value: '/v1' } }], filters: [rewrite] }));
  });

  test('two references to the same parent need distinct sectionNames or ports', () => {
    const route = fx.httpRoute();
    fx.spec(route).parentRefs = [{ name: 'gw', namespace: 'infra' }, { name: 'gw', namespace: 'infra', sectionName: 'https' }];
    refused(route, { path: 'spec.parentRefs', message: 'sectionName or port must be specified when parentRefs includes 2 or more references to the same parent' });
    fx.spec(route).parentRefs = [{ name: 'gw', namespace: 'infra', sectionName: 'http' }, { name: 'gw', namespace: 'infra', sectionName: 'https' }];
    accepted(route);
    // The rules read `namespace` as `__namespace__` (CEL keyword escaping): different namespaces are different parents.
    fx.spec(route).parentRefs = [{ name: 'gw', namespace: 'infra' }, { name: 'gw', namespace: 'edge' }];
    accepted(route);
  });

  test('rule names are unique', () => {
    const route = fx.httpRoute();
    const rule = { name: 'same', backendRefs: [{ name: 'api', port: 80 }] };
    fx.spec(route).rules = [rule, { ...rule, matches: [{ path: { value: '/b' } }] }];
    refused(route, { path: 'spec.rules', message: 'Rule name must be unique within the route' });
  });

  test('at most 128 matches across all rules', () => {
    const route = fx.httpRoute();
    fx.spec(route).rules = Array.from({ length: 16 }, (_, r) => ({
      matches: Array.from({ length: 9 }, (_, m) => ({ path: { value: `/r${r}/m${m}` } })),
    }));
    refused(route, {
      path: 'spec.rules',
      message: 'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
    });
    fx.spec(route).rules = fx.spec(route).rules.slice(0, 14); // 126 matches
    accepted(route);
  });

  test('CORS: "*" cannot be mixed with explicit origins', () => {
    const cors = { type: 'CORS', cors: { allowOrigins: ['*', 'https://a.example.com'] } };
    refused(routeWith({ filters: [cors] }), { path: 'spec.rules[0].filters[0].cors.allowOrigins', message: "AllowOrigins cannot contain '*' alongside other origins" });
    accepted(routeWith({ filters: [{ type: 'CORS', cors: { allowOrigins: ['*'] } }] }));
  });

  test('timeouts: backendRequest may not exceed request (duration())', () => {
    refused(routeWith({ timeouts: { request: '10s', backendRequest: '1m' } }), {
      path: 'spec.rules[0].timeouts',
      message: 'backendRequest timeout cannot be longer than request timeout',
    });
    accepted(routeWith({ timeouts: { request: '1m', backendRequest: '10s' } }));
    accepted(routeWith({ timeouts: { request: '0s', backendRequest: '10s' } }));
  });

  test('sessionPersistence: cookieConfig only with type Cookie', () => {
    refused(routeWith({ sessionPersistence: { type: 'Header', cookieConfig: { lifetimeType: 'Session' } } }), {
      path: 'spec.rules[0].sessionPersistence',
      message: 'cookieConfig can only be set with type Cookie',
    });
  });
});

describe('Gateway rules', () => {
  const gatewayWith = (listeners: object[]): KubeObject => {
    const gw = fx.gateway();
    fx.spec(gw).listeners = listeners;
    return gw;
  };

  test('listener names are unique (list-map key and CEL rule)', () => {
    refused(gatewayWith([{ name: 'web', port: 80, protocol: 'HTTP' }, { name: 'web', port: 8080, protocol: 'HTTP' }]), [
      { path: 'spec.listeners[1]', message: 'Duplicate value: {"name":"web"}' },
      { path: 'spec.listeners', message: 'Listener name must be unique within the Gateway' },
    ]);
  });

  test('port, protocol and hostname combinations are unique', () => {
    refused(gatewayWith([{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'b', port: 80, protocol: 'HTTP' }]), {
      path: 'spec.listeners',
      message: 'Combination of port, protocol and hostname must be unique for each listener',
    });
    accepted(gatewayWith([{ name: 'a', port: 80, protocol: 'HTTP', hostname: 'a.example.com' }, { name: 'b', port: 80, protocol: 'HTTP' }]));
  });

  test('a TCP listener cannot have a hostname', () => {
    refused(gatewayWith([{ name: 'db', port: 5432, protocol: 'TCP', hostname: 'db.example.com' }]), {
      path: 'spec.listeners',
      message: "hostname must not be specified for protocols ['TCP', 'UDP']",
    });
  });

  test('TLS mode Terminate needs certificateRefs or options', () => {
    // Absent fields are errors in CEL: the API server reports "no such key" with the rule's message.
    refused(gatewayWith([{ name: 'tls', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate' } }]), {
      path: 'spec.listeners[0].tls',
      message: 'no such key: certificateRefs evaluating rule: certificateRefs or options must be specified when mode is Terminate',
    });
    refused(gatewayWith([{ name: 'tls', port: 443, protocol: 'TLS', tls: { certificateRefs: [], options: {} } }]), {
      path: 'spec.listeners[0].tls',
      message: 'certificateRefs or options must be specified when mode is Terminate',
    });
    accepted(gatewayWith([{ name: 'tls', port: 443, protocol: 'TLS', tls: { options: { 'example.com/cert-source': 'vault' } } }]));
    accepted(gatewayWith([{ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } }]));
  });

  test('HTTP listeners cannot have tls; TLS listeners need a mode', () => {
    refused(gatewayWith([{ name: 'web', port: 80, protocol: 'HTTP', tls: { certificateRefs: [{ name: 'c' }] } }]), {
      path: 'spec.listeners',
      message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
    });
    refused(gatewayWith([{ name: 'tls', port: 443, protocol: 'TLS' }]), { path: 'spec.listeners', message: 'tls mode must be set for protocol TLS' });
  });

  test('addresses: IP format (oneOf), uniqueness, hostname syntax', () => {
    const gw = fx.gateway();
    fx.spec(gw).addresses = [{ value: '10.0.0.300' }];
    const problems = refused(gw, { path: 'spec.addresses[0].value', message: 'Invalid value: "10.0.0.300": must be of type ipv4' });
    assert.ok(problems.some((p) => p.path === 'spec.addresses[0]' && /oneOf/.test(p.message)));

    fx.spec(gw).addresses = [{ value: '10.0.0.1' }, { type: 'IPAddress', value: '10.0.0.1' }];
    refused(gw, { path: 'spec.addresses', message: 'IPAddress values must be unique' });

    fx.spec(gw).addresses = [{ type: 'Hostname', value: 'Bad_Host' }];
    refused(gw, { path: 'spec.addresses[0]', message: 'Hostname value must be empty or contain only valid characters (matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)' });

    fx.spec(gw).addresses = [{ value: '10.0.0.1' }, { value: '2001:db8::1' }, { type: 'Hostname', value: 'lb.example.com' }];
    accepted(gw);
  });

  test('infrastructure label keys (split() and matches())', () => {
    const gw = fx.gateway();
    fx.spec(gw).infrastructure = { labels: { 'example.com/team': 'a', 'bad key!': 'b' } };
    refused(gw, {
      path: 'spec.infrastructure.labels',
      message: 'Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.',
    });
    fx.spec(gw).infrastructure = { labels: { [`${'a'.repeat(253)}/x`]: 'v' } };
    refused(gw, { path: 'spec.infrastructure.labels', message: "If specified, the label key's prefix must be a DNS subdomain not longer than 253 characters in total." });
  });
});

describe('other kinds', () => {
  test('TLSRoute hostnames cannot be IPs (isIP())', () => {
    const route = fx.tlsRoute();
    fx.spec(route).hostnames = ['10.1.2.3'];
    refused(route, { path: 'spec.hostnames', message: 'Hostnames cannot contain an IP' });
  });

  test('GRPCRoute method names (RE2 with a (?i) flag)', () => {
    const route = fx.grpcRoute();
    fx.spec(route).rules[0].matches = [{ method: { service: 'Helloworld.GREETER' } }];
    accepted(route);
    fx.spec(route).rules[0].matches = [{ method: { service: '9lives' } }];
    refused(route, {
      path: 'spec.rules[0].matches[0].method',
      message: 'service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)',
    });
    fx.spec(route).rules[0].matches = [{ method: { type: 'Exact' } }];
    refused(route, { path: 'spec.rules[0].matches[0].method', message: "One or both of 'service' or 'method' must be specified" });
  });

  test('BackendTLSPolicy: CA refs and well-known CAs are exclusive', () => {
    const policy = fx.backendTLSPolicy();
    fx.spec(policy).validation.wellKnownCACertificates = 'System';
    refused(policy, { path: 'spec.validation', message: 'must not contain both CACertificateRefs and WellKnownCACertificates' });
  });

  test('BackendTLSPolicy: targetRefs to the same target need distinct sectionNames', () => {
    const policy = fx.backendTLSPolicy();
    fx.spec(policy).targetRefs = [{ group: '', kind: 'Service', name: 'api' }, { group: '', kind: 'Service', name: 'api' }];
    refused(policy, { path: 'spec.targetRefs', message: 'sectionName must be unique when targetRefs includes 2 or more references to the same target' });
  });
});

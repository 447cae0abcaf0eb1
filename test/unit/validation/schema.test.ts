import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../src/api/object.js';
import { BLOCKED_RULES_MESSAGE } from '../../../src/validation/crd-version.js';
import { Validator, type FieldProblem } from '../../../src/validation/index.js';
import * as fx from './fixtures.js';

const validator = new Validator();

function problems(obj: KubeObject): FieldProblem[] {
  const result = validator.validate(obj);
  assert.equal(result.ok, result.problems.length === 0);
  return result.problems;
}

const routeWith = (rule: object): KubeObject => {
  const route = fx.httpRoute();
  fx.spec(route).rules = [rule];
  return route;
};

describe('OpenAPI schema', () => {
  test('enum', () => {
    assert.deepEqual(problems(routeWith({ matches: [{ path: { type: 'Foo', value: '/' } }] })), [
      { path: 'spec.rules[0].matches[0].path.type', message: 'Unsupported value: "Foo": supported values: "Exact", "PathPrefix", "RegularExpression"' },
      // As in the API server, an enum violation keeps CEL rules from running.
      { path: '', message: BLOCKED_RULES_MESSAGE },
    ]);
  });

  test('pattern', () => {
    const route = fx.httpRoute();
    fx.spec(route).hostnames = ['Not_A_Host'];
    assert.deepEqual(problems(route), [
      {
        path: 'spec.hostnames[0]',
        message: "Invalid value: \"Not_A_Host\": should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'",
      },
    ]);
  });

  test('maxItems and maxLength', () => {
    const route = fx.httpRoute();
    fx.spec(route).hostnames = Array.from({ length: 17 }, (_, i) => `h${i}.example.com`);
    assert.deepEqual(problems(route), [
      { path: 'spec.hostnames', message: 'Too many: 17: must have at most 16 items' },
      { path: '', message: BLOCKED_RULES_MESSAGE },
    ]);
    fx.spec(route).hostnames = [`${'a'.repeat(250)}.com`];
    assert.deepEqual(problems(route), [
      { path: 'spec.hostnames[0]', message: 'Too long: may not be more than 253 characters' },
      { path: '', message: BLOCKED_RULES_MESSAGE },
    ]);
  });

  test('minimum and maximum (not blocking: CEL rules still run)', () => {
    const gw = fx.gateway();
    fx.spec(gw).listeners[0].port = 70000;
    fx.spec(gw).listeners[0].hostname = 'x.example.com';
    fx.spec(gw).listeners[0].protocol = 'TCP';
    assert.deepEqual(problems(gw), [
      { path: 'spec.listeners[0].port', message: 'Invalid value: 70000: must be less than or equal to 65535' },
      { path: 'spec.listeners', message: "hostname must not be specified for protocols ['TCP', 'UDP']" },
    ]);
  });

  test('required', () => {
    const gw = fx.gateway();
    delete fx.spec(gw).gatewayClassName;
    delete fx.spec(gw).listeners[0].protocol;
    assert.deepEqual(problems(gw), [
      { path: 'spec.gatewayClassName', message: 'Required value' },
      { path: 'spec.listeners[0].protocol', message: 'Required value' },
      { path: '', message: BLOCKED_RULES_MESSAGE },
    ]);
    const noSpec = fx.gateway();
    delete noSpec.spec;
    assert.deepEqual(problems(noSpec), [
      { path: 'spec', message: 'Required value' },
      { path: '', message: BLOCKED_RULES_MESSAGE },
    ]);
  });

  test('a type error is reported and CEL rules are then skipped', () => {
    const route = routeWith({ matches: [{ path: { type: 'PathPrefix', value: 'no-slash' } }], backendRefs: [{ name: 'api', port: '80' }] });
    assert.deepEqual(problems(route), [
      { path: 'spec.rules[0].backendRefs[0].port', message: 'Invalid value: "string": must be of type integer' },
      { path: '', message: BLOCKED_RULES_MESSAGE },
    ]);
  });

  test('set lists refuse duplicates; map lists refuse duplicate keys', () => {
    const cors = { type: 'CORS', cors: { allowMethods: ['GET', 'PUT', 'GET'] } };
    assert.deepEqual(problems(routeWith({ filters: [cors] })), [{ path: 'spec.rules[0].filters[0].cors.allowMethods[2]', message: 'Duplicate value: "GET"' }]);
    const headers = [{ name: 'x-a', value: '1' }, { name: 'x-a', value: '2' }];
    assert.deepEqual(problems(routeWith({ matches: [{ headers }] })), [{ path: 'spec.rules[0].matches[0].headers[1]', message: 'Duplicate value: {"name":"x-a"}' }]);
  });
});

describe('pruning', () => {
  test('unknown fields are dropped with a warning, at any depth', () => {
    const route = fx.httpRoute();
    Object.assign(fx.spec(route), { foo: 1 });
    Object.assign(fx.spec(route).rules[0].backendRefs[0], { bar: { baz: true } });
    Object.assign(route, { extra: 'root' });
    const result = validator.validate(route);
    assert.equal(result.ok, true);
    // In document order.
    assert.deepEqual(result.warnings, ['spec.rules[0].backendRefs[0].bar: unknown field, dropped', 'spec.foo: unknown field, dropped', 'extra: unknown field, dropped']);
    assert.equal(fx.spec(result.object).foo, undefined);
    assert.equal('extra' in (result.object ?? {}), false);
  });

  test('unknown metadata fields are dropped; labels, annotations and status are kept as given', () => {
    const route = fx.httpRoute();
    Object.assign(route.metadata, { labels: { app: 'web' }, annotations: { note: 'x' }, bogus: 1 });
    route.status = { parents: [{ anything: 'goes' }] };
    const result = validator.validate(route);
    assert.deepEqual(result.warnings, ['metadata.bogus: unknown field, dropped']);
    assert.deepEqual(result.object?.metadata, { name: 'web', namespace: 'apps', labels: { app: 'web' }, annotations: { note: 'x' } });
    assert.deepEqual(result.object?.status, { parents: [{ anything: 'goes' }] });
  });

  test('unknown fields do not hide problems in known ones', () => {
    const route = routeWith({ matches: [{ path: { type: 'PathPrefix', value: 'x' }, extra: 1 }] });
    const result = validator.validate(route);
    assert.equal(result.ok, false);
    assert.deepEqual(result.warnings, ['spec.rules[0].matches[0].extra: unknown field, dropped']);
  });
});

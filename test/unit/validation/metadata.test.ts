import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Validator } from '../../../src/validation/index.js';
import * as fx from './fixtures.js';

const validator = new Validator();

describe('metadata', () => {
  test('name is required for every kind', () => {
    for (const make of [fx.httpRoute, fx.gatewayClass, fx.service, fx.secret, fx.namespace]) {
      const obj = make();
      obj.metadata = {} as typeof obj.metadata;
      const result = validator.validate(obj);
      assert.equal(result.ok, false);
      assert.deepEqual(result.problems[0], { path: 'metadata.name', message: 'Required value: name or generateName is required' }, obj.kind);
    }
    const missing = fx.configMap() as unknown as Record<string, unknown>;
    delete missing.metadata;
    assert.equal(validator.validate(missing as never).problems[0]?.path, 'metadata.name');
  });

  test('Gateway API object names are DNS subdomains, as for every custom resource', () => {
    const route = fx.httpRoute();
    route.metadata.name = 'My_Route';
    const problems = validator.validate(route).problems;
    assert.equal(problems[0]?.path, 'metadata.name');
    assert.match(problems[0]?.message ?? '', /^Invalid value: "My_Route": a lowercase RFC 1123 subdomain must consist of/);
    route.metadata.name = 'a'.repeat(254);
    assert.ok(validator.validate(route).problems.some((p) => p.message.endsWith('must be no more than 253 characters')));
    route.metadata.name = 'v1.route-a';
    assert.equal(validator.validate(route).ok, true);
  });

  test('namespace must be a DNS label', () => {
    const route = fx.httpRoute();
    route.metadata.namespace = 'Team.A';
    assert.equal(validator.validate(route).problems[0]?.path, 'metadata.namespace');
  });

  test('labels and annotations', () => {
    const route = fx.httpRoute();
    route.metadata.labels = { 'example.com/app': 'web', 'bad/key/x': 'v', ok: 'bad value!' };
    route.metadata.annotations = { 'Example.COM/Note': 'anything goes here' };
    const problems = validator.validate(route).problems;
    assert.deepEqual(problems.map((p) => p.path), ['metadata.labels', 'metadata.labels']);
    assert.match(problems[0]?.message ?? '', /^Invalid value: "bad\/key\/x": a qualified name must consist of/);
    assert.match(problems[1]?.message ?? '', /^Invalid value: "bad value!": a valid label must be an empty string or consist of/);

    const typed = fx.httpRoute();
    typed.metadata.labels = { tier: 1 } as unknown as Record<string, string>;
    assert.deepEqual(validator.validate(typed).problems.slice(0, 1), [{ path: 'metadata.labels[tier]', message: 'Invalid value: "integer": must be of type string' }]);
  });

  test('an unsupported kind or a non-object is refused, never thrown', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
    assert.deepEqual(validator.validate(pod).problems, [{ path: 'kind', message: 'Unsupported value: "Pod"' }]);
    assert.equal(validator.validate(null as never).ok, false);
  });
});

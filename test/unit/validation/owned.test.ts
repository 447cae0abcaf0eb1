import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Validator } from '../../../src/validation/index.js';
import { gateway, httpRoute, service } from './fixtures.js';

test('Validator: the input is left as given unless the caller gives it away (owned)', () => {
  const validator = new Validator();
  for (const make of [httpRoute, gateway, service]) {
    const input = make();
    const before = structuredClone(input);
    const copied = validator.validate(input);
    assert.ok(copied.ok, JSON.stringify(copied.problems));
    assert.deepEqual(input, before, `${input.kind}: input changed`);
    assert.notEqual(copied.object, input);

    const owned = make();
    const inPlace = validator.validate(owned, { owned: true });
    assert.ok(inPlace.ok);
    assert.equal(inPlace.object, owned, `${input.kind}: validated in place`);
    assert.deepEqual(inPlace.object, copied.object, `${input.kind}: same result either way`);
    assert.deepEqual(inPlace.warnings, copied.warnings);
  }
});

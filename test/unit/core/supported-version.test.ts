import { test } from 'node:test';
import assert from 'node:assert/strict';
import { supportedVersionCondition } from '../../../src/graph/gateway-classes.js';
import { condOf, gatewayClass, run, statusOf } from './builders.js';

test('supportedVersionCondition: any v1.6 patch release is supported; others are named with ours', () => {
  for (const v of ['v1.6.0', 'v1.6.1', 'v1.6.12']) {
    const c = supportedVersionCondition(v);
    assert.deepEqual([c.status, c.reason], ['True', 'SupportedVersion'], v);
    assert.match(c.message, new RegExp(v.replace(/\./g, '\\.')));
  }
  for (const v of ['v1.5.1', 'v1.7.0', 'v2.6.1', 'v1.6.0-rc.1', '1.6.1', '']) {
    const c = supportedVersionCondition(v);
    assert.deepEqual([c.status, c.reason], ['False', 'UnsupportedVersion'], v);
    assert.ok(c.message.includes(`are ${v};`) && c.message.includes('v1.6.x'), c.message);
  }
  const unannotated = supportedVersionCondition(null);
  assert.deepEqual([unannotated.status, unannotated.reason], ['False', 'UnsupportedVersion']);
  assert.match(unannotated.message, /bundle-version annotation/);
  // Standalone: the CRDs are Portico's own.
  assert.deepEqual([supportedVersionCondition(undefined).status, supportedVersionCondition(undefined).reason], ['True', 'SupportedVersion']);
});

test('translate: installedBundleVersion decides GatewayClass SupportedVersion, and only that', () => {
  const standalone = statusOf(run([gatewayClass()]), 'GatewayClass//portico');
  assert.equal(condOf(standalone.conditions, 'SupportedVersion').status, 'True');

  const old = statusOf(run([gatewayClass()], { installedBundleVersion: 'v1.5.0' }), 'GatewayClass//portico');
  assert.deepEqual([condOf(old.conditions, 'SupportedVersion').status, condOf(old.conditions, 'SupportedVersion').reason], ['False', 'UnsupportedVersion']);
  assert.equal(condOf(old.conditions, 'Accepted').status, 'True', 'the class is still accepted');

  const current = statusOf(run([gatewayClass()], { installedBundleVersion: 'v1.6.1' }), 'GatewayClass//portico');
  assert.deepEqual([condOf(current.conditions, 'SupportedVersion').status, condOf(current.conditions, 'SupportedVersion').reason], ['True', 'SupportedVersion']);
});

/**
 * Gateway addresses.
 * Upstream: GatewayStaticAddresses, GatewayOptionalAddressValue; plus the address contract of
 * Portico's design (one address per Gateway, drawn from the pool unless spec.addresses names one).
 */
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';

import type { KubeObject } from '../../src/api/object.js';
import { GATEWAY_OK, INFRA, LISTENER_OK, cond, find, load, rerun, run, type Outcome } from './helpers.js';

interface AddressSpec {
  type?: string;
  value?: string;
}

/** The base world without its Gateways, so the pool sees only the Gateways under test. */
function world(...files: string[]): KubeObject[] {
  return [...load('base.yaml').filter((o) => o.kind !== 'Gateway'), ...load(...files)];
}

function inPool(ip: string): boolean {
  const parts = ip.split('.').map(Number);
  return isIP(ip) === 4 && parts[0] === 127 && parts[1] === 0 && parts[2] === 10;
}

function expectSingleAddress(out: Outcome, name: string, check: (ip: string) => boolean, what: string): string {
  const gw = out.gateway(INFRA, name);
  const addresses = gw.addresses();
  assert.equal(addresses.length, 1, `${gw.key}: exactly one status.addresses entry\n${gw.whole()}`);
  const [a] = addresses;
  assert.ok(a);
  assert.equal(a.type, 'IPAddress', `${gw.key}: status.addresses[0].type\n${gw.whole()}`);
  const ip = String(a.value);
  assert.ok(check(ip), `${gw.key}: status address ${ip} must be ${what}\n${gw.whole()}`);
  assert.equal(out.address(INFRA, name), ip, `${gw.key}: Translation.addresses must agree with status.addresses`);
  return ip;
}

describe('GatewayStaticAddresses', () => {
  it('unsupported type → unusable IP → usable IP, one generation per step', async () => {
    const objects = world('gateway-addresses.yaml');
    const gwObj = find(objects, 'Gateway', INFRA, 'gateway-static-addresses');
    const spec = gwObj.spec as { addresses: AddressSpec[] };

    // 1. An address type Portico does not support: not accepted at all.
    const step1 = await run(objects);
    step1.gateway(INFRA, 'gateway-static-addresses').condition('Accepted', 'False', 'UnsupportedAddress');

    // 2. Drop it: accepted, but 192.0.2.10 cannot be used, so not programmed.
    spec.addresses = spec.addresses.filter((a) => a.type === 'IPAddress');
    gwObj.metadata.generation = 2;
    const step2 = await rerun(step1, objects);
    const gw2 = step2.gateway(INFRA, 'gateway-static-addresses');
    gw2.conditionsAre(cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'False', 'AddressNotUsable'));
    for (const a of gw2.addresses()) {
      assert.notEqual(a.value, '192.0.2.10', `an unusable address must not be reported as bound\n${gw2.whole()}`);
    }

    // 3. Drop the unusable one: accepted, programmed, bound to the requested address only.
    spec.addresses = spec.addresses.filter((a) => a.value !== '192.0.2.10');
    gwObj.metadata.generation = 3;
    const step3 = await rerun(step2, objects);
    const gw3 = step3.gateway(INFRA, 'gateway-static-addresses');
    gw3.conditionsAre(...GATEWAY_OK);
    gw3.listenersAre('http');
    gw3.expectListener('http', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 0 });
    expectSingleAddress(step3, 'gateway-static-addresses', (ip) => ip === '127.0.10.200', 'the requested 127.0.10.200');
  });

  it('a Hostname address is a type Portico cannot bind: Accepted=False/UnsupportedAddress', async () => {
    const out = await run(world('gateway-addresses.yaml'));
    out.gateway(INFRA, 'gateway-hostname-address').condition('Accepted', 'False', 'UnsupportedAddress');
  });
});

describe('GatewayOptionalAddressValue', () => {
  it('an IPAddress without value gets one assigned from the pool', async () => {
    const out = await run(world('gateway-addresses.yaml'));
    const gw = out.gateway(INFRA, 'gateway-without-address-value');
    gw.conditionsAre(...GATEWAY_OK);
    expectSingleAddress(out, 'gateway-without-address-value', inPool, `in the pool ${out.options.addressPool as string}`);
  });
});

describe('address pool', () => {
  const SMALL_POOL = { addressPool: '127.0.10.7-127.0.10.8' };

  it('every Gateway without spec.addresses gets its own pool address', async () => {
    const out = await run(load('base.yaml'));
    const seen = new Map<string, string>();
    for (const name of ['same-namespace', 'all-namespaces', 'backend-namespaces']) {
      const ip = expectSingleAddress(out, name, inPool, 'in the pool 127.0.10.0/24');
      assert.ok(!seen.has(ip), `${name} and ${seen.get(ip) ?? ''} share ${ip}`);
      seen.set(ip, name);
    }
  });

  it('a requested address already held by an older Gateway is AddressNotUsable; dynamic Gateways skip held addresses', async () => {
    const out = await run(world('gateway-address-pool.yaml'), { options: SMALL_POOL });
    out.gateway(INFRA, 'static-first').conditionsAre(...GATEWAY_OK);
    expectSingleAddress(out, 'static-first', (ip) => ip === '127.0.10.7', '127.0.10.7');

    const second = out.gateway(INFRA, 'static-second');
    second.conditionsAre(cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'False', 'AddressNotUsable'));
    assert.ok(
      !second.addresses().some((a) => a.value === '127.0.10.7'),
      `the loser must not report the winner's address\n${second.whole()}`,
    );

    out.gateway(INFRA, 'dynamic').conditionsAre(...GATEWAY_OK);
    expectSingleAddress(out, 'dynamic', (ip) => ip === '127.0.10.8', 'the one free pool address 127.0.10.8');
  });

  it('an exhausted pool: the Gateway left without address is Programmed=False/AddressNotAssigned', async () => {
    const objects = world();
    for (const name of ['pool-a', 'pool-b', 'pool-c']) {
      objects.push({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name, namespace: INFRA },
        spec: { gatewayClassName: 'portico', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
      });
    }
    const out = await run(objects, { options: SMALL_POOL });
    const without = ['pool-a', 'pool-b', 'pool-c'].filter((n) => out.address(INFRA, n) === undefined);
    assert.equal(without.length, 1, `exactly one Gateway cannot get an address; without: ${without.join(', ')}`);
    const starved = out.gateway(INFRA, without[0] ?? '');
    starved.conditionsAre(cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'False', 'AddressNotAssigned'));
    assert.equal(starved.addresses().length, 0, `no address to report\n${starved.whole()}`);
    const given = ['pool-a', 'pool-b', 'pool-c']
      .filter((n) => n !== without[0])
      .map((n) => expectSingleAddress(out, n, (ip) => ip === '127.0.10.7' || ip === '127.0.10.8', 'from the pool'));
    assert.notEqual(given[0], given[1], 'two Gateways share an address');
  });

  it('addresses handed out before are kept when new Gateways appear', async () => {
    const objects = load('base.yaml');
    const first = await run(objects);
    const before = new Map(first.translation.addresses);
    objects.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'aaa-newcomer', namespace: INFRA },
      spec: { gatewayClassName: 'portico', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
    });
    const second = await rerun(first, objects);
    for (const [key, ip] of before) {
      assert.equal(second.translation.addresses.get(key), ip, `${key} moved from ${ip}`);
    }
    const fresh = expectSingleAddress(second, 'aaa-newcomer', inPool, 'in the pool');
    assert.ok(![...before.values()].includes(fresh), `aaa-newcomer got an address already in use: ${fresh}`);
  });
});

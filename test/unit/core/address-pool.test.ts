import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocateAddresses, canonicalIp, parseAddressPool, poolContains } from '../../../src/graph/address-pool.js';
import { formatIP, ipFromBigInt, ipToBigInt, parseIP } from '../../../src/net/ip.js';

const bigIntToIp = (n: bigint, family: 4 | 6): string => formatIP(ipFromBigInt(n, family));
const numberOf = (text: string): bigint => {
  const ip = parseIP(text);
  if (!ip) throw new Error(`not an IP address: ${text}`);
  return ipToBigInt(ip);
};

function pool(text: string) {
  const p = parseAddressPool(text);
  if (!p.ok) throw new Error(p.message);
  return p.value;
}

test('parseAddressPool: CIDR skips network and broadcast, ranges are inclusive', () => {
  const p = pool('127.0.10.0/24');
  assert.equal(bigIntToIp(p.first, 4), '127.0.10.1');
  assert.equal(bigIntToIp(p.last, 4), '127.0.10.254');
  const r = pool('127.0.10.5-127.0.10.6');
  assert.equal(r.last - r.first, 1n);
  const v6 = pool('fd00::/126');
  assert.equal(bigIntToIp(v6.first, 6), 'fd00::');
  assert.equal(bigIntToIp(v6.last, 6), 'fd00::3');
});

test('parseAddressPool: bad input is refused with a message', () => {
  for (const bad of ['', 'foo', '127.0.0.1/33', '127.0.0.9-127.0.0.1', '127.0.0.1-::1', '1.2.3/8']) {
    const p = parseAddressPool(bad);
    assert.equal(p.ok, false, bad);
    if (!p.ok) assert.match(p.message, /invalid address pool/);
  }
});

test('IP text round-trips through bigint', () => {
  fc.assert(
    fc.property(fc.ipV4(), (ip) => bigIntToIp(numberOf(ip), 4) === ip),
  );
  fc.assert(
    fc.property(fc.ipV6(), (ip) => {
      const n = numberOf(ip);
      return numberOf(bigIntToIp(n, 6)) === n;
    }),
  );
  assert.equal(canonicalIp('::0001'), '::1');
  assert.equal(canonicalIp('fd00:0:0::1'), 'fd00::1');
  assert.equal(canonicalIp('nope'), undefined);
  // One parser, the API server's rules: no leading zeros in IPv4, no zones.
  assert.equal(canonicalIp('127.0.10.01'), undefined);
  assert.equal(canonicalIp('fe80::1%eth0'), undefined);
});

test('allocateAddresses: deterministic, distinct, honours previous and taken', () => {
  const p = pool('127.0.10.0/29'); // 6 usable
  const keys = ['a/gw', 'b/gw', 'c/gw'];
  const first = allocateAddresses(p, keys, new Set());
  const again = allocateAddresses(p, [...keys].reverse(), new Set());
  for (const k of keys) assert.equal(first.get(k), again.get(k), 'same key, same address');
  assert.equal(new Set(first.values()).size, 3);
  for (const ip of first.values()) assert.ok(poolContains(p, ip));
  const taken = new Set([first.get('a/gw') as string]);
  const next = allocateAddresses(p, ['a/gw'], taken);
  assert.notEqual(next.get('a/gw'), first.get('a/gw'));
  const kept = allocateAddresses(p, ['z/gw'], new Set(), new Map([['z/gw', '127.0.10.3']]));
  assert.equal(kept.get('z/gw'), '127.0.10.3');
});

test('allocateAddresses: an exhausted pool leaves the rest without an address', () => {
  const p = pool('127.0.10.1-127.0.10.2');
  const got = allocateAddresses(p, ['a', 'b', 'c'], new Set());
  assert.equal(got.size, 2);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddressPool, type AddressPool } from '../../../src/graph/address-pool.js';
import { addressRefusal, parseBindAddresses, parseBindPorts, portRefusal, type BindPolicy } from '../../../src/graph/bind-policy.js';
import { condOf, gateway, gatewayClass, listenerStatus, run, statusOf } from './builders.js';

const pool = (parseAddressPool('127.0.10.0/24') as { ok: true; value: AddressPool }).value;

function policy(addresses?: string, ports?: string): BindPolicy {
  const a = addresses === undefined ? undefined : parseBindAddresses(addresses);
  const p = ports === undefined ? undefined : parseBindPorts(ports);
  assert.ok(a === undefined || a.ok);
  assert.ok(p === undefined || p.ok);
  return { ...(a?.ok ? { addresses: a.value, addressesText: addresses } : {}), ...(p?.ok ? { ports: p.value, portsText: ports } : {}) };
}

test('parseBindAddresses and parseBindPorts: lists of ranges and keywords; clear errors', () => {
  assert.deepEqual(parseBindPorts('80,443,1024-65535'), { ok: true, value: [[80, 80], [443, 443], [1024, 65535]] });
  assert.match((parseBindPorts('0') as { message: string }).message, /invalid port range "0"/);
  assert.match((parseBindPorts('90-80') as { message: string }).message, /invalid port range/);
  const a = parseBindAddresses('local,10.0.0.0/8');
  assert.ok(a.ok);
  assert.deepEqual([a.value.local, a.value.loopback, a.value.ranges.length], [true, false, 1]);
  assert.match((parseBindAddresses('here') as { message: string }).message, /"loopback", or "local"/);
});

test('addressRefusal and portRefusal: the host first, then the policy; the pool is always allowed', () => {
  const local = new Set(['192.0.2.7', '10.1.2.3']);
  assert.equal(addressRefusal(undefined, '127.0.0.1', local, pool), undefined, 'no policy: anything of this host');
  assert.match(addressRefusal(undefined, '198.51.100.1', local, pool) ?? '', /not an address of this host/);
  const p = policy('local', '80,443,1024-65535');
  assert.match(addressRefusal(p, '127.0.0.1', local, pool) ?? '', /not one Gateways may use here \(allowed: local\)/);
  assert.equal(addressRefusal(p, '192.0.2.7', local, pool), undefined);
  assert.equal(addressRefusal(p, '127.0.10.5', local, pool), undefined, 'the pool');
  assert.equal(addressRefusal(policy('10.0.0.0/8'), '192.0.2.7', local, pool)?.includes('allowed: 10.0.0.0/8'), true);
  assert.equal(addressRefusal(policy('10.0.0.0/8'), '10.1.2.3', local, pool), undefined);
  assert.equal(portRefusal(p, 443), undefined);
  assert.equal(portRefusal(p, 8080), undefined);
  assert.match(portRefusal(p, 22) ?? '', /port 22 is not one Gateways may use here \(allowed: 80,443,1024-65535\)/);
  assert.equal(portRefusal(undefined, 22), undefined);
});

test('a Gateway asking for what the bind policy refuses: the address AddressNotUsable, the listener PortUnavailable', () => {
  const t = run(
    [gatewayClass(), gateway('gw', [{ name: 'ssh', port: 22, protocol: 'TCP' }, { name: 'http', port: 80, protocol: 'HTTP' }], { addresses: [{ type: 'IPAddress', value: '127.0.0.1' }] })],
    { bindPolicy: policy('local', '80,443,1024-65535') },
  );
  const ssh = condOf(listenerStatus(t, 'Gateway/default/gw', 'ssh').conditions, 'Accepted');
  assert.deepEqual([ssh.status, ssh.reason], ['False', 'PortUnavailable']);
  assert.equal(condOf(listenerStatus(t, 'Gateway/default/gw', 'http').conditions, 'Accepted').status, 'True');
  const programmed = condOf(statusOf(t, 'Gateway/default/gw').conditions, 'Programmed');
  assert.deepEqual([programmed.status, programmed.reason], ['False', 'AddressNotUsable']);
});

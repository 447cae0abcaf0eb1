// The UDP forwarder with real sockets on loopback: datagrams reach an endpoint drawn by weight and
// the answers come back; endpoint changes, idle flows and a port already taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { drawEndpoint, UdpForwarder } from '../../../src/haproxy/udp-forwarder.js';
import type { IRGateway } from '../../../src/ir/model.js';
import { silentLogger } from '../../../src/log.js';
import { waitFor } from '../../support/fs-wait.js';

/** A UDP echo server answering "<name>:<datagram>". */
async function udpEcho(name: string): Promise<{ port: number; close: () => Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, from) => socket.send(`${name}:${msg.toString()}`, from.port, from.address));
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, resolve));
  return { port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind({ address: '127.0.0.1', port: 0 }, resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Sends one datagram from a fresh client socket and waits for one answer. */
async function ask(port: number, text: string, timeoutMs = 2000): Promise<string> {
  const client = dgram.createSocket('udp4');
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${text} within ${timeoutMs} ms`)), timeoutMs);
      client.on('message', (msg) => {
        clearTimeout(timer);
        resolve(msg.toString());
      });
      client.send(text, port, '127.0.0.1');
    });
  } finally {
    client.close();
  }
}

function gateway(port: number, backends: { id: string; port: number; weight: number }[], invalidWeight = 0): IRGateway {
  return {
    name: 'default/udp',
    className: 'portico',
    addresses: ['127.0.0.1'],
    ports: [
      {
        port,
        mode: 'UDP',
        listeners: [
          {
            id: 'Gateway/default/udp/dns',
            name: 'dns',
            protocol: 'UDP',
            virtualHosts: [],
            streams: [{ route: { kind: 'UDPRoute', namespace: 'default', name: 'dns' }, hostnames: [], backends: backends.map((b) => ({ backend: b.id, weight: b.weight, filters: [] })), invalidWeight }],
          },
        ],
      },
    ],
    backends: Object.fromEntries(backends.map((b) => [b.id, { id: b.id, namespace: 'default', service: b.id, port: 53, protocol: 'udp', endpoints: [{ address: '127.0.0.1', port: b.port }] }])),
  };
}

test('drawEndpoint: by weight, with the invalid share drawing nothing', () => {
  const targets = { endpoints: [{ address: 'a', port: 1, weight: 3 }, { address: 'b', port: 1, weight: 1 }], invalidWeight: 4 };
  assert.equal(drawEndpoint(targets, 0)?.address, 'a');
  assert.equal(drawEndpoint(targets, 0.37)?.address, 'a');
  assert.equal(drawEndpoint(targets, 0.4)?.address, 'b');
  assert.equal(drawEndpoint(targets, 0.5), undefined, 'the invalid half');
  assert.equal(drawEndpoint({ endpoints: [], invalidWeight: 0 }, 0.1), undefined);
});

test('UDP forwarder: answers come back through the flow; weights, endpoint changes and idle flows', async (t) => {
  const a = await udpEcho('a');
  const b = await udpEcho('b');
  const forwarder = new UdpForwarder({ logger: silentLogger(), idleMs: 200 });
  t.after(async () => {
    await forwarder.close();
    await a.close();
    await b.close();
  });
  const port = await freeUdpPort();
  assert.deepEqual(await forwarder.apply(gateway(port, [{ id: 'a', port: a.port, weight: 1 }, { id: 'b', port: b.port, weight: 1 }])), {});
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const answer = await ask(port, `q${i}`);
    assert.match(answer, new RegExp(`^[ab]:q${i}$`));
    seen.add(answer.split(':')[0] as string);
  }
  // Both halves of a 1:1 draw over 40 flows unless the draw is broken (p ≈ 2⁻³⁹).
  assert.deepEqual([...seen].sort(), ['a', 'b']);

  // Endpoints change without rebinding: new flows go to b only, flows to a end at once.
  assert.deepEqual(await forwarder.apply(gateway(port, [{ id: 'b', port: b.port, weight: 1 }])), {});
  for (let i = 0; i < 5; i++) assert.equal(await ask(port, `r${i}`), `b:r${i}`);

  // Flows end after idleMs without traffic.
  await waitFor('idle flows to end', () => forwarder.flows('default/udp', port) === 0, 5000);
});

test('UDP forwarder: a port it cannot bind is reported for its listeners; a Gateway gone is unbound', async (t) => {
  const taken = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => taken.bind({ address: '127.0.0.1', port: 0, exclusive: true }, resolve));
  const port = taken.address().port;
  const forwarder = new UdpForwarder({ logger: silentLogger() });
  t.after(async () => {
    await forwarder.close();
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  });
  const unserved = await forwarder.apply(gateway(port, [{ id: 'a', port: 9, weight: 1 }]));
  assert.match(unserved['Gateway/default/udp/dns'] ?? '', new RegExp(`UDP port ${port} cannot be bound: .*EADDRINUSE`));

  const free = await freeUdpPort();
  assert.deepEqual(await forwarder.apply(gateway(free, [{ id: 'a', port: 9, weight: 1 }])), {});
  await forwarder.retain(new Set());
  // Unbound: the port can be bound again.
  const again = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    again.once('error', reject);
    again.bind({ address: '127.0.0.1', port: free, exclusive: true }, resolve);
  });
  again.close();
});

/**
 * The data plane's UDP part: HAProxy 2.6 proxies no UDP, so UDP listeners are served here, with
 * Node's dgram. One socket per Gateway address and port receives the clients' datagrams; each
 * client address is a flow with a socket of its own, connected to one endpoint drawn by the
 * backends' weights, so the answers find their way back. A flow ends after `idleMs` without
 * traffic. Endpoint changes update the draw without touching the listening sockets; flows to an
 * endpoint that is gone end at once.
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { IRBackend, IRGateway, IRPort } from '../ir/model.js';
import type { Logger } from '../log.js';

export interface UdpForwarderOptions {
  logger: Logger;
  /** How long a flow lives without traffic; default 60 s. */
  idleMs?: number;
}

interface Endpoint {
  address: string;
  port: number;
  /** Share of the port's datagram flows, before normalisation. */
  weight: number;
}

interface Flow {
  socket: dgram.Socket;
  endpoint: Endpoint;
  lastSeen: number;
  /** Datagrams that arrived before the flow's socket was connected; undefined once it is. */
  pending?: Buffer[];
}

/** A flow holds at most this many datagrams while its socket connects; more are dropped, as UDP may. */
const MAX_PENDING = 64;
/**
 * Open flows per port: each holds a socket, and source ports cost a client nothing, so without a
 * bound one sender could use up the process's file descriptors. New clients beyond it are dropped
 * until flows end.
 */
export const MAX_FLOWS = 4096;

/** What one UDP port sends to: endpoints by weight, and the share of flows that must be dropped. */
export interface UdpTargets {
  endpoints: Endpoint[];
  /** Weight of backendRefs that could not be resolved: that share of flows is dropped. */
  invalidWeight: number;
}

/** The targets of a UDP port: its oldest route's backends (as the TCP renderer does), split evenly over endpoints. */
export function udpTargets(port: IRPort, backends: Readonly<Record<string, IRBackend>>): UdpTargets {
  const stream = port.listeners.flatMap((l) => l.streams)[0];
  if (!stream) return { endpoints: [], invalidWeight: 0 };
  const endpoints: Endpoint[] = [];
  for (const ref of stream.backends) {
    const b = backends[ref.backend];
    if (!b || ref.weight <= 0 || b.endpoints.length === 0) continue;
    for (const e of b.endpoints) endpoints.push({ address: e.address, port: e.port, weight: ref.weight / b.endpoints.length });
  }
  return { endpoints, invalidWeight: stream.invalidWeight };
}

/** Draws an endpoint by weight, or undefined for the invalid share (or when there is none). */
export function drawEndpoint(targets: UdpTargets, random: number): Endpoint | undefined {
  const total = targets.endpoints.reduce((s, e) => s + e.weight, 0) + targets.invalidWeight;
  let x = random * total;
  for (const e of targets.endpoints) {
    if (x < e.weight) return e;
    x -= e.weight;
  }
  return undefined;
}

class PortForwarder {
  private readonly sockets: dgram.Socket[] = [];
  private readonly flows = new Map<string, Flow>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private targets: UdpTargets,
    private readonly idleMs: number,
    private readonly logger: Logger,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.min(idleMs, 5_000))).unref();
  }

  /** Binds the port on every address; rejects (and closes what it opened) when one cannot be bound. */
  async bind(addresses: readonly string[], port: number): Promise<void> {
    for (const address of addresses) {
      const socket = dgram.createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4' });
      socket.on('message', (msg, from) => this.fromClient(socket, msg, from));
      socket.on('error', (err) => this.logger.warn({ err: err.message, address, port }, 'UDP listener socket error'));
      this.sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind({ address, port, exclusive: true }, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    }
  }

  update(targets: UdpTargets): void {
    this.targets = targets;
    const live = new Set(targets.endpoints.map((e) => `${e.address}|${e.port}`));
    for (const [key, flow] of this.flows) {
      if (!live.has(`${flow.endpoint.address}|${flow.endpoint.port}`)) this.end(key, flow);
    }
  }

  private fromClient(listening: dgram.Socket, msg: Buffer, from: dgram.RemoteInfo): void {
    const key = `${from.address}|${from.port}`;
    let flow = this.flows.get(key);
    if (!flow) {
      if (this.flows.size >= MAX_FLOWS) return;
      const endpoint = drawEndpoint(this.targets, Math.random());
      if (!endpoint) return; // no backend, or the invalid backends' share: dropped
      const socket = dgram.createSocket({ type: isIPv6(endpoint.address) ? 'udp6' : 'udp4' });
      const created: Flow = { socket, endpoint, lastSeen: Date.now(), pending: [] };
      socket.on('message', (answer) => {
        created.lastSeen = Date.now();
        listening.send(answer, from.port, from.address);
      });
      socket.on('error', () => this.end(key, created));
      socket.connect(endpoint.port, endpoint.address, () => {
        const queued = created.pending ?? [];
        created.pending = undefined;
        for (const m of queued) this.send(key, created, m);
      });
      this.flows.set(key, created);
      flow = created;
    }
    flow.lastSeen = Date.now();
    if (flow.pending) {
      if (flow.pending.length < MAX_PENDING) flow.pending.push(msg);
    } else {
      this.send(key, flow, msg);
    }
  }

  private send(key: string, flow: Flow, msg: Buffer): void {
    flow.socket.send(msg, (err) => {
      if (err) this.end(key, flow);
    });
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, flow] of this.flows) if (now - flow.lastSeen >= this.idleMs) this.end(key, flow);
  }

  private end(key: string, flow: Flow): void {
    if (this.flows.get(key) !== flow) return;
    this.flows.delete(key);
    try {
      flow.socket.close();
    } catch {
      // Already closed after an error: nothing left to release.
    }
  }

  get flowCount(): number {
    return this.flows.size;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const [key, flow] of this.flows) this.end(key, flow);
    await Promise.all(this.sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** UDP listeners of every Gateway, by Gateway name and port. */
export class UdpForwarder {
  private readonly gateways = new Map<string, Map<number, { forwarder: PortForwarder; addresses: string }>>();

  constructor(private readonly options: UdpForwarderOptions) {}

  /** Serves the UDP ports of `gw`; resolves with the listeners (by IR id) that could not be served, and why. */
  async apply(gw: IRGateway): Promise<Record<string, string>> {
    const ports = new Map(gw.ports.filter((p) => p.mode === 'UDP').map((p) => [p.port, p]));
    let running = this.gateways.get(gw.name);
    if (!running) {
      running = new Map();
      this.gateways.set(gw.name, running);
    }
    const addresses = gw.addresses.join(',');
    for (const [port, entry] of running) {
      // Gone, or the Gateway's addresses changed: the sockets are bound to the old ones.
      if (!ports.has(port) || entry.addresses !== addresses) {
        running.delete(port);
        await entry.forwarder.close();
      }
    }
    const unserved: Record<string, string> = {};
    for (const [port, p] of ports) {
      const targets = udpTargets(p, gw.backends);
      const existing = running.get(port);
      if (existing) {
        existing.forwarder.update(targets);
        continue;
      }
      const forwarder = new PortForwarder(targets, this.options.idleMs ?? 60_000, this.options.logger);
      try {
        await forwarder.bind(gw.addresses, port);
        running.set(port, { forwarder, addresses });
      } catch (err) {
        await forwarder.close();
        const why = `UDP port ${port} cannot be bound: ${(err as Error).message}`;
        for (const l of p.listeners) unserved[l.id] = why;
      }
    }
    if (running.size === 0) this.gateways.delete(gw.name);
    return unserved;
  }

  /** Stops the UDP listeners of every Gateway not in `wanted`. */
  async retain(wanted: ReadonlySet<string>): Promise<void> {
    await Promise.all([...this.gateways.keys()].filter((name) => !wanted.has(name)).map((name) => this.remove(name)));
  }

  /** Stops the UDP listeners of a Gateway no longer in the IR. */
  async remove(name: string): Promise<void> {
    const running = this.gateways.get(name);
    this.gateways.delete(name);
    await Promise.all([...(running?.values() ?? [])].map((e) => e.forwarder.close()));
  }

  /** Open flows of a Gateway's UDP port, for tests and metrics. */
  flows(name: string, port: number): number {
    return this.gateways.get(name)?.get(port)?.forwarder.flowCount ?? 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.gateways.keys()].map((name) => this.remove(name)));
  }
}

/**
 * Helpers for TLSRoute and TCPRoute traffic tests: stream echo backends (test/support/stream-echo.ts)
 * as harness backends, and polling checks of which backend a connection reaches, or that the
 * gateway closes it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { startStreamEcho, streamExchange, streamRejected, type StreamEchoServer, type StreamExchange, type StreamExchangeOptions } from '../support/stream-echo.js';
import { INFRA_NS } from './cases.js';
import { fixtureDir, fixtureFingerprint, type BackendSpec, type Stack } from './harness.js';

/** The certificate passthrough backends present: the client must see it, never the gateway's own. */
export const BACKEND_CERT = 'other';
/** The certificate Gateways terminating TLS present. */
export const GATEWAY_CERT = 'example';

/**
 * A Service `name` on `port` whose one endpoint is a stream echo server, serving TLS with the
 * BACKEND_CERT fixture when `tls` is set.
 */
export function streamBackend(name: string, port: number, options: { tls?: boolean; namespace?: string } = {}): BackendSpec {
  const namespace = options.namespace ?? INFRA_NS;
  const tls = options.tls ? backendTls() : undefined;
  return { name, namespace, ports: [{ port, name: 'tcp' }], start: () => startStreamEcho({ name, namespace, ...(tls ? { tls } : {}) }) };
}

function backendTls(): { cert: Buffer; key: Buffer } {
  const dir = path.join(fixtureDir(), 'tls');
  return { cert: readFileSync(path.join(dir, `${BACKEND_CERT}.crt`)), key: readFileSync(path.join(dir, `${BACKEND_CERT}.key`)) };
}

/**
 * A Service whose ports each lead to a stream echo server of their own, all named `name` (as one
 * upstream backend serving TLS on one port and plain TCP on another): the servers are started
 * here and stopped when the test ends. Returns the Service and EndpointSlice as YAML.
 */
export async function multiPortStreamService(
  t: { after(fn: () => Promise<void>): void },
  name: string,
  ports: readonly { port: number; name: string; tls?: boolean }[],
  namespace = INFRA_NS,
): Promise<string> {
  const servers: StreamEchoServer[] = [];
  for (const p of ports) {
    const server = await startStreamEcho({ name, namespace, ...(p.tls ? { tls: backendTls() } : {}) });
    t.after(() => server.close());
    servers.push(server);
  }
  return [
    stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: ports.map((p) => ({ name: p.name, port: p.port })) } }),
    stringify({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-1`, namespace, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: ports.map((p, i) => ({ name: p.name, port: servers[i]?.port })),
      endpoints: [{ addresses: [servers[0]?.host] }],
    }),
  ].join('---\n');
}

/** Which fixture presented a certificate, for messages. */
export function certName(fingerprint: string | undefined): string {
  if (fingerprint === fixtureFingerprint(BACKEND_CERT)) return `the backend's (${BACKEND_CERT})`;
  if (fingerprint === fixtureFingerprint(GATEWAY_CERT)) return `the gateway's (${GATEWAY_CERT})`;
  return fingerprint ?? 'none';
}

export interface StreamExpectation {
  /** The backend (echo "pod") that must greet. */
  backend: string;
  namespace?: string;
  /** Whether TLS must reach the backend (passthrough) or not (plain TCP, or terminated at the gateway). */
  backendTls: boolean;
  /** TLS clients: the SNI the backend must have received (passthrough). */
  serverName?: string;
  /** TLS clients: the fixture whose certificate the client must be shown. */
  cert?: string;
}

/** Why an exchange does not meet the expectation, or undefined. */
export function streamMismatch(r: StreamExchange, want: StreamExpectation): string | undefined {
  const g = r.greeting;
  if (g.pod !== want.backend) return `backend ${g.pod}, want ${want.backend}`;
  if (g.namespace !== (want.namespace ?? INFRA_NS)) return `backend namespace ${g.namespace}`;
  if (g.tls !== want.backendTls) return `TLS ${g.tls ? 'reached' : 'did not reach'} the backend`;
  if (want.serverName !== undefined && g.serverName !== want.serverName) return `backend saw SNI ${JSON.stringify(g.serverName)}, want ${JSON.stringify(want.serverName)}`;
  if (want.cert !== undefined && r.certFingerprint !== fixtureFingerprint(want.cert)) return `client was shown ${certName(r.certFingerprint)} certificate, want ${want.cert}`;
  if (!r.echoed) return 'the bytes sent did not come back';
  return undefined;
}

/** Connects until the expected backend answers as expected (the data plane converges asynchronously). */
export async function expectStream(stack: Stack, address: string, port: number, options: StreamExchangeOptions, want: StreamExpectation): Promise<StreamExchange> {
  let why: string | undefined;
  const sni = options.tls ? ` (TLS, SNI ${options.tls.servername ?? 'none'})` : '';
  return stack
    .eventually(`${address}:${port}${sni} → ${want.backend}`, () => streamExchange(address, port, options), (r) => (why = streamMismatch(r, want)) === undefined)
    .catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}${why ? `: ${why}` : ''}`);
    });
}

/** Connects until the gateway closes the connection before any backend answers. */
export async function expectRejected(stack: Stack, address: string, port: number, options: StreamExchangeOptions): Promise<void> {
  const sni = options.tls ? ` (TLS, SNI ${options.tls.servername ?? 'none'})` : '';
  await stack.eventually(`${address}:${port}${sni} closed by the gateway`, () => streamRejected(address, port, options), (r) => r === 'rejected');
}

/** A route's parent condition for `gateway`, polled from Portico's status. */
export async function expectRouteCondition(stack: Stack, kind: string, name: string, gateway: string, type: string, status: 'True' | 'False', reason: string): Promise<void> {
  await stack.eventually(
    `${kind} ${name} ${type}=${status} ${reason}`,
    async () => stack.status(kind, INFRA_NS, name)?.parents?.find((p) => p.parentRef.name === gateway)?.conditions.find((c) => c.type === type),
    (c) => c?.status === status && c.reason === reason,
  );
}

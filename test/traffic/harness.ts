/**
 * Runs the whole thing for traffic tests: echo backends on loopback, manifests in a temporary
 * directory, Portico in-process with the real HAProxy data plane, and a client that sends
 * requests to a Gateway's address with any Host header.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { startPortico, type RunningPortico } from '../../src/runtime/app.js';
import { Validator } from '../../src/validation/index.js';
import { requestJson, startEcho, type EchoBody, type EchoServer, type JsonResponse, type RequestOptions } from '../support/echo-server.js';
import { waitFor } from '../support/fs-wait.js';
import { claimLoopbackPool } from '../support/loopback-pool.js';

export const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;

export interface BackendPort {
  /** Service port (the port backendRefs name); every port targets the same echo server. */
  port: number;
  /** Service and EndpointSlice port name; default "p<port>". */
  name?: string;
  appProtocol?: string;
}

export interface BackendSpec {
  name: string;
  namespace: string;
  protocol?: 'http1' | 'h2c' | 'both';
  /** appProtocol of the default port 8080 (ignored when `ports` is given). */
  appProtocol?: string;
  /** Service ports; default one port 8080 named "http". */
  ports?: BackendPort[];
  /** False: the EndpointSlice lists the echo server with condition ready=false. Default true. */
  ready?: boolean;
  /** A backend of the test's own instead of an echo server (then absent from Stack.echo). */
  start?: () => Promise<BackendServer>;
}

/** What the harness needs of a backend server. */
export interface BackendServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** A response with what the TLS handshake chose (HTTPS requests only). */
export interface TlsResponse extends JsonResponse {
  /** SHA-256 fingerprint of the certificate the gateway presented. */
  certFingerprint: string;
  alpn: string | false | null;
}

/** `cert` and `key`: a client certificate to present (PEM). */
export type HttpsOptions = RequestOptions & { path?: string; servername?: string; cert?: string; key?: string };

export interface Stack {
  portico: RunningPortico;
  echo: Map<string, EchoServer>;
  dir: string;
  /** Replaces the manifests file; Portico picks the change up by watching. */
  write(manifests: string): void;
  /** Waits until the Gateway is Programmed and returns its address. */
  gatewayAddress(namespace: string, name: string): Promise<string>;
  request(address: string, port: number, options?: RequestOptions & { path?: string }): Promise<JsonResponse>;
  /** Polls until `check` accepts a response (the data plane converges asynchronously). */
  expect(address: string, port: number, options: RequestOptions & { path?: string }, check: (r: JsonResponse) => boolean, what: string): Promise<JsonResponse>;
  /** One HTTPS request (HTTP/1.1) with the given SNI; the certificate is not verified. */
  https(address: string, port: number, options?: HttpsOptions): Promise<TlsResponse>;
  expectHttps(address: string, port: number, options: HttpsOptions, check: (r: TlsResponse) => boolean, what: string): Promise<TlsResponse>;
  /** Polls `send` until `check` accepts its answer; errors count as "not yet". */
  eventually<T>(what: string, send: () => Promise<T>, check: (r: T) => boolean, timeoutMs?: number): Promise<T>;
  /** The status Portico computed for an object ("HTTPRoute", namespace, name). */
  status(kind: string, namespace: string, name: string): ObjectStatus | undefined;
  /** Waits until the route's condition `type` for `parent` (a Gateway name) has the given status and reason. */
  routeCondition(namespace: string, name: string, parent: string, type: string, status: 'True' | 'False', reason: string): Promise<void>;
}

export interface StatusCondition {
  type: string;
  status: string;
  reason: string;
  message?: string;
}

export interface ObjectStatus {
  addresses?: { value: string }[];
  conditions?: StatusCondition[];
  listeners?: { name: string; attachedRoutes: number; conditions: StatusCondition[] }[];
  parents?: { parentRef: { name: string; namespace?: string; sectionName?: string }; conditions: StatusCondition[] }[];
  /** Policies' status: one entry per ancestor. */
  ancestors?: { ancestorRef: { name: string; kind?: string }; conditions: StatusCondition[] }[];
}

function backendObjects(b: BackendSpec, echo: BackendServer): string {
  const ports = b.ports ?? [{ name: 'http', port: 8080, appProtocol: b.appProtocol }];
  const named = ports.map((p) => ({ ...p, name: p.name ?? `p${p.port}` }));
  return (
    stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: b.name, namespace: b.namespace },
      spec: { ports: named.map((p) => ({ name: p.name, port: p.port, targetPort: echo.port, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })) },
    }) +
    '---\n' +
    stringify({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${b.name}-1`, namespace: b.namespace, labels: { 'kubernetes.io/service-name': b.name } },
      addressType: 'IPv4',
      ports: named.map((p) => ({ name: p.name, port: echo.port })),
      endpoints: [{ addresses: [echo.host], ...(b.ready === false ? { conditions: { ready: false } } : {}) }],
    })
  );
}

/** One HTTPS request on a fresh connection; JSON body parsed when it is JSON. */
export function httpsRequest(address: string, port: number, options: HttpsOptions = {}): Promise<TlsResponse> {
  return new Promise<TlsResponse>((resolve, reject) => {
    const headers: Record<string, string | string[]> = { ...options.headers };
    if (options.host !== undefined) headers.host = options.host;
    const req = https.request({
      host: address,
      port,
      method: options.method ?? 'GET',
      path: options.path ?? '/',
      headers,
      agent: false,
      servername: options.servername ?? (net.isIP(address) ? undefined : address),
      rejectUnauthorized: false,
      ...(options.cert ? { cert: options.cert, key: options.key } : {}),
      timeout: options.timeoutMs ?? 5000,
    });
    req.on('timeout', () => req.destroy(new Error(`HTTPS request to ${address}:${port} timed out`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const socket = res.socket as TLSSocket;
      const certFingerprint = socket.getPeerCertificate().fingerprint256;
      const alpn = socket.alpnProtocol;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: EchoBody | undefined;
        try {
          json = text === '' ? undefined : (JSON.parse(text) as EchoBody);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: { ...res.headers }, text, json, certFingerprint, alpn });
      });
    });
    req.end(options.body);
  });
}

/**
 * Sends raw bytes on a fresh TCP connection and returns everything the server sent until it
 * closed the connection (send `Connection: close`). For byte-exact checks of response headers.
 */
export function rawExchange(address: string, port: number, request: string | Buffer, timeoutMs = 5000): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`raw exchange with ${address}:${port} timed out`)), timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** The raw response's header lines named `name` (case-insensitive), values byte for byte. */
export function rawHeaderValues(response: Buffer, name: string): string[] {
  const head = response.toString('latin1').split('\r\n\r\n')[0] ?? '';
  return head
    .split('\r\n')
    .slice(1)
    .filter((line) => line.slice(0, line.indexOf(':')).toLowerCase() === name.toLowerCase())
    .map((line) => line.slice(line.indexOf(':') + 1).replace(/^[ \t]+|[ \t]+$/g, ''));
}

/**
 * A response header as the upstream suite compares it: all values joined with ",". Node joins
 * repeated headers with ", ", so the items are re-joined without the space.
 */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).join(',');
}

/** A request header as the echo backend received it, values joined with "," (as upstream). */
export function echoedHeader(body: EchoBody | undefined, name: string): string | undefined {
  if (!body) return undefined;
  const entry = Object.entries(body.headers).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return entry?.[1].join(',');
}

export async function startStack(
  t: { after(fn: () => void | Promise<void>): void; name: string },
  backends: readonly BackendSpec[],
  manifests: string | ((echo: ReadonlyMap<string, EchoServer>) => string),
  options: { debug?: boolean; accessLogDir?: string; routeMetrics?: boolean; routeLatencyBucketsMs?: readonly number[] } = {},
): Promise<Stack> {
  // One cleanup, in order: Portico (and its HAProxy) first, then the backends, then the files.
  const cleanups: (() => void | Promise<void>)[] = [];
  t.after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  const { pool, release } = claimLoopbackPool(t.name);
  cleanups.push(release);
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-traffic-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  // HAProxy's socket paths (state dir + "<namespace>_<gateway>/master.sock") must stay under 96
  // bytes, and upstream's Gateway names are long: the state lives in a short directory of its own.
  const stateDir = mkdtempSync(path.join(tmpdir(), 'p'));
  cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
  const echo = new Map<string, EchoServer>();
  const servers = new Map<BackendSpec, BackendServer>();
  for (const b of backends) {
    const server = b.start ? await b.start() : await startEcho({ name: b.name, namespace: b.namespace, protocol: b.protocol ?? 'both' });
    if (!b.start) echo.set(b.name, server as EchoServer);
    servers.set(b, server);
    cleanups.push(() => server.close());
  }
  writeFileSync(path.join(dir, 'backends.yaml'), backends.map((b) => backendObjects(b, servers.get(b) as BackendServer)).join('---\n'));
  const write = (text: string) => writeFileSync(path.join(dir, 'manifests.yaml'), text);
  write(typeof manifests === 'string' ? manifests : manifests(echo));
  const logger = options.debug ? createLogger({ level: 'debug' }) : silentLogger();
  const portico = await startPortico({
    paths: [dir],
    admin: { host: '127.0.0.1', port: 0 },
    addressPool: pool,
    validator: new Validator(),
    logger,
    dataPlane: new HaproxyDataPlane({
      stateDir,
      logger,
      ...(options.routeMetrics ? { routeMetrics: true } : {}),
      ...(options.routeLatencyBucketsMs ? { routeLatencyBucketsMs: options.routeLatencyBucketsMs } : {}),
    }),
    debounceMs: 20,
    ...(options.accessLogDir ? { accessLogDir: options.accessLogDir } : {}),
  });
  cleanups.push(() => portico.close());
  await portico.ready;

  const gatewayAddress = (namespace: string, name: string) =>
    waitFor(
      `Gateway ${namespace}/${name} Programmed`,
      () => {
        const status = portico.runtime.statusOf(`Gateway/${namespace}/${name}`) as
          | { addresses?: { value: string }[]; conditions?: { type: string; status: string }[] }
          | undefined;
        const programmed = status?.conditions?.some((c) => c.type === 'Programmed' && c.status === 'True');
        return programmed ? status?.addresses?.[0]?.value : undefined;
      },
      10_000,
    ).catch((err: unknown) => {
      const status = portico.runtime.statusOf(`Gateway/${namespace}/${name}`) as ObjectStatus | undefined;
      throw new Error(`${err instanceof Error ? err.message : String(err)} (conditions: ${JSON.stringify(status?.conditions)})`);
    });
  const request = (address: string, port: number, opts: RequestOptions & { path?: string } = {}) =>
    requestJson(`http://${address}:${port}${opts.path ?? '/'}`, { timeoutMs: 5000, ...opts });
  const expect = (address: string, port: number, opts: RequestOptions & { path?: string }, check: (r: JsonResponse) => boolean, what: string) => {
    let last: JsonResponse | undefined;
    let lastError: unknown;
    return waitFor(
      `${what} (last: ${last ? `${last.status} ${last.text.slice(0, 200)}` : String(lastError)})`,
      async () => {
        try {
          last = await request(address, port, opts);
          return check(last) ? last : undefined;
        } catch (err) {
          lastError = err;
          return undefined;
        }
      },
      10_000,
    );
  };
  const eventually = <T>(what: string, send: () => Promise<T>, check: (r: T) => boolean, timeoutMs = 10_000): Promise<T> => {
    let last: T | undefined;
    let lastError: unknown;
    const describe = () => (last !== undefined ? describeResult(last) : String(lastError));
    return waitFor(
      what,
      async () => {
        try {
          last = await send();
          return check(last) ? last : undefined;
        } catch (err) {
          lastError = err;
          return undefined;
        }
      },
      timeoutMs,
    ).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)} (last: ${describe()})`);
    });
  };
  const https = (address: string, port: number, opts: HttpsOptions = {}) => httpsRequest(address, port, opts);
  const expectHttps = (address: string, port: number, opts: HttpsOptions, check: (r: TlsResponse) => boolean, what: string) =>
    eventually(what, () => https(address, port, opts), check);
  const status = (kind: string, namespace: string, name: string) => portico.runtime.statusOf(`${kind}/${namespace}/${name}`) as ObjectStatus | undefined;
  const routeCondition = async (namespace: string, name: string, parent: string, type: string, want: 'True' | 'False', reason: string) => {
    const find = () =>
      status('HTTPRoute', namespace, name)
        ?.parents?.find((p) => p.parentRef.name === parent)
        ?.conditions.find((c) => c.type === type);
    await waitFor(`HTTPRoute ${namespace}/${name} ${type}=${want} ${reason}`, () => {
      const c = find();
      return c?.status === want && c.reason === reason;
    }, 10_000).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)} (now: ${JSON.stringify(find())})`);
    });
  };
  return { portico, echo, dir, write, gatewayAddress, request, expect, https, expectHttps, eventually, status, routeCondition };
}

function describeResult(r: unknown): string {
  if (r && typeof r === 'object' && 'status' in r && 'text' in r) {
    const { status, text } = r as { status: unknown; text: unknown };
    return `${String(status)} ${String(text).slice(0, 200)}`;
  }
  return JSON.stringify(r)?.slice(0, 200) ?? String(r);
}

/** The GatewayClass and a Gateway most traffic tests start from, as YAML. */
export function gatewayYaml(name = 'same-namespace', namespace = 'gateway-conformance-infra', listeners = '  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n'): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: portico}
spec: {controllerName: portico.dev/gateway-controller}
---
apiVersion: v1
kind: Namespace
metadata: {name: ${namespace}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  gatewayClassName: portico
  listeners:
${listeners}`;
}

/** The listener of upstream's "same-namespace" Gateway: HTTP on port 80, routes from its own namespace. */
export const HTTP_LISTENER = '  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n';

/** One more Gateway of class "portico" (after a gatewayYaml, which declares the class and namespace). */
export function extraGatewayYaml(name: string, namespace = 'gateway-conformance-infra', listeners = HTTP_LISTENER): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  gatewayClassName: portico
  listeners:
${listeners}`;
}

/** A Namespace with labels (e.g. upstream's gateway-conformance: backend). */
export function namespaceYaml(name: string, labels: Record<string, string> = {}): string {
  return stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

/** An HTTPRoute sending everything to `backend` port 8080, attached to one listener of Gateway `gateway`. */
export function sectionRouteYaml(name: string, gateway: string, section: string, backend: string, namespace = 'gateway-conformance-infra'): string {
  return stringify({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace },
    spec: { parentRefs: [{ name: gateway, sectionName: section }], rules: [{ backendRefs: [{ name: backend, port: 8080 }] }] },
  });
}

/**
 * An HTTPS-only echo backend with the test certificate for *.example.com. Its JSON answer names
 * it (`pod`), the server name the client sent (`sni`) and the client certificate's common name
 * (`client`). With `clientCA` it takes only clients that CA vouches for.
 */
export async function startTlsEcho(pod: string, namespace: string, options: { clientCA?: string; host?: string } = {}): Promise<BackendServer> {
  const pem = (name: string) => readFileSync(path.join(fixtureDir(), 'tls', name), 'utf8');
  const tls = { cert: pem('example.crt'), key: pem('example.key'), ...(options.clientCA ? { ca: options.clientCA, requestCert: true, rejectUnauthorized: true } : {}) };
  const server = https.createServer(tls, (req, res) => {
    const socket = req.socket as TLSSocket;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ pod, namespace, path: req.url, host: req.headers.host, method: req.method, proto: `HTTP/${req.httpVersion}`, headers: {}, sni: socket.servername, client: socket.getPeerCertificate().subject?.CN }));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('TLS echo: no TCP address');
  return {
    host,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A kubernetes.io/tls Secret holding a certificate and key from test/fixtures/tls (e.g. "example"). */
export function tlsSecretYaml(name: string, namespace: string, fixture = 'example'): string {
  const dir = path.join(fixtureDir(), 'tls');
  const crt = readFileSync(path.join(dir, `${fixture}.crt`));
  const key = readFileSync(path.join(dir, `${fixture}.key`));
  return stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': crt.toString('base64'), 'tls.key': key.toString('base64') },
  });
}

/** SHA-256 fingerprint (as TLSSocket reports it) of a fixture certificate. */
export function fixtureFingerprint(fixture = 'example'): string {
  return new X509Certificate(readFileSync(path.join(fixtureDir(), 'tls', `${fixture}.crt`))).fingerprint256;
}

/** test/fixtures, from either the sources or the compiled dist/test tree. */
export function fixtureDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.join(here, '..', 'fixtures'), path.join(here, '..', '..', '..', 'test', 'fixtures')]) {
    if (existsSync(path.join(candidate, 'tls'))) return candidate;
  }
  throw new Error('test/fixtures not found');
}

/** The GatewayClass "portico" and the namespace gateway-conformance-infra, without any Gateway. */
export function classYaml(namespace = 'gateway-conformance-infra'): string {
  return gatewayYaml('unused', namespace).split('---\n').slice(0, 2).join('---\n');
}

/** A backend at a loopback port nothing listens on: connections to it are refused. */
export async function startDead(): Promise<BackendServer> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return { host: '127.0.0.1', port, close: async () => {} };
}

/** Asserts that a policy's first ancestor reports Accepted=True (its message otherwise says why not). */
export function policyAccepted(stack: Stack, kind: string, namespace: string, name: string): void {
  const accepted = stack.status(kind, namespace, name)?.ancestors?.[0]?.conditions.find((c) => c.type === 'Accepted');
  assert.equal(accepted?.status, 'True', `${kind} ${namespace}/${name}: ${accepted?.message ?? 'no status'}`);
}

/**
 * An "echo" backend for traffic tests, modelled on the upstream Gateway API conformance suite's
 * echo-basic: every request is answered with a JSON description of the request as it arrived, so
 * tests behind the gateway can assert what the gateway forwarded. Loopback only.
 *
 * One port serves HTTP/1.1 and HTTP/2 cleartext with prior knowledge (the connection's first bytes
 * decide), HTTP/1.1 WebSocket upgrades (frames are echoed back) and a few request-header-driven
 * behaviours: `x-echo-delay`, `x-echo-status`, `x-echo-set-header`, `x-echo-fail-first` with
 * `x-echo-key`. Also here: `requestJson`, a small HTTP/1 and h2c client that can set Host freely, and
 * `connectWebSocket`, a small WebSocket client, both for tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import http2, { type Http2ServerRequest } from 'node:http2';
import net from 'node:net';
import { Duplex } from 'node:stream';

export interface EchoOptions {
  /** Default 127.0.0.1; must be a loopback address. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Backend identity, reported as "pod", e.g. "infra-backend-v1". */
  name: string;
  /** Default "gateway-conformance-infra". */
  namespace?: string;
  /** Default 'both': HTTP/1.1 and h2c (prior knowledge) on one port. 'h2c' answers HTTP/1 with 400. */
  protocol?: 'http1' | 'h2c' | 'both';
}

export interface EchoServer {
  host: string;
  port: number;
  /** http://host:port, without a trailing slash. */
  url: string;
  /** Requests seen so far (HTTP/1, HTTP/2 and WebSocket handshakes, including rejected ones). */
  readonly requests: number;
  /**
   * Every request whose body was read, as it arrived (the body of its echo answer), in arrival
   * order: lets a test see requests whose answers nobody reads, such as mirrored copies.
   */
  readonly log: readonly EchoBody[];
  /** Stops listening and ends every open connection; idempotent. */
  close(): Promise<void>;
}

/** The JSON body of an echo response (the shape of upstream echo-basic's RequestAssertions). */
export interface EchoBody {
  /** The request target exactly as received, query included. */
  path: string;
  host: string;
  method: string;
  /** "HTTP/1.1", "HTTP/1.0" or "HTTP/2.0". */
  proto: string;
  /** Canonical (Go) header names, values in arrival order; Host is reported as `host`, not here. */
  headers: Record<string, string[]>;
  namespace: string;
  ingress: string;
  service: string;
  pod: string;
  sni: string;
  httpPort: string;
  /** Bytes in the request body. */
  bodyLength: number;
}

const DEFAULT_NAMESPACE = 'gateway-conformance-infra';
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const MAX_DELAY_MS = 30_000;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Response headers `x-echo-set-header` may not set: they would break HTTP/1 framing or HTTP/2. */
const RESERVED_RESPONSE_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'proxy-connection', 'upgrade']);

/** Go's textproto.CanonicalMIMEHeaderKey: "x-foo-BAR" → "X-Foo-Bar"; names with non-token bytes are left alone. */
export function canonicalHeaderName(name: string): string {
  if (!TOKEN.test(name)) return name;
  let out = '';
  let upper = true;
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

/**
 * Go's time.ParseDuration, in milliseconds ("1s", "250ms", "1m30s", "1.5h", "0"); undefined when
 * the text is not a duration. Used for upstream's `?delay=` query parameter.
 */
export function parseGoDuration(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const match = /^([-+]?)(0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const part of (match[2] ?? '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (units[part[2] ?? ''] ?? 0);
  }
  return match[1] === '-' ? -total : total;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}

/** What the echo handler needs from a request, whichever protocol carried it. */
interface RequestInfo {
  method: string;
  target: string;
  host: string;
  proto: string;
  /** name, value, name, value… in arrival order, pseudo-headers excluded. */
  rawHeaders: readonly string[];
  body: AsyncIterable<Buffer>;
}

/** The part of http.ServerResponse and http2.Http2ServerResponse the handler uses. */
interface Reply {
  statusCode: number;
  readonly headersSent: boolean;
  setHeader(name: string, value: string | string[]): unknown;
  end(): unknown;
  end(body: string): unknown;
  once(event: 'close', listener: () => void): unknown;
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startEcho(options: EchoOptions): Promise<EchoServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new Error(`echo server: ${host} is not a loopback address`);
  const protocol = options.protocol ?? 'both';
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const timers = new Set<NodeJS.Timeout>();
  /** x-echo-key → requests seen with that key. */
  const seenByKey = new Map<string, number>();
  let requests = 0;
  const log: EchoBody[] = [];
  let port = 0;

  function describe(info: RequestInfo, bodyLength: number, headers: Record<string, string[]>): EchoBody {
    return {
      path: info.target,
      host: info.host,
      method: info.method,
      proto: info.proto,
      headers,
      namespace,
      ingress: '',
      service: '',
      pod: options.name,
      sni: '',
      httpPort: String(port),
      bodyLength,
    };
  }

  async function answer(info: RequestInfo, res: Reply): Promise<void> {
    let bodyLength = 0;
    try {
      for await (const chunk of info.body) bodyLength += chunk.length;
    } catch {
      return; // the client went away
    }
    const headers = canonicalHeaders(info.rawHeaders);
    log.push(describe(info, bodyLength, headers));
    let plan: Plan;
    try {
      plan = planResponse(info.target, headers);
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      send(res, info.method, err.status, [], { message: err.message });
      return;
    }
    let status = plan.status;
    if (plan.failFirst !== undefined) {
      const seen = (seenByKey.get(plan.failFirst.key) ?? 0) + 1;
      seenByKey.set(plan.failFirst.key, seen);
      if (seen <= plan.failFirst.count) status = 503;
    }
    const reply = () => send(res, info.method, status, plan.setHeaders, describe(info, bodyLength, headers));
    if (plan.delayMs <= 0) return reply();
    const timer = setTimeout(() => {
      timers.delete(timer);
      reply();
    }, plan.delayMs);
    timers.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  }

  function serve(info: RequestInfo, res: Reply): void {
    requests++;
    answer(info, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, info.method, 500, [], { message: String(err) });
    });
  }

  const h1 = http.createServer((req, res) => {
    if (protocol === 'h2c') {
      requests++;
      req.resume();
      send(res, req.method ?? 'GET', 400, [], { message: 'Expected h2c request (HTTP/2 with prior knowledge)' });
      return;
    }
    serve(http1Info(req), res);
  });
  h1.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    requests++;
    acceptWebSocket(req, socket, head);
  });

  const h2 = http2.createServer((req, res) => serve(http2Info(req), res));
  h2.on('session', (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  h2.on('sessionError', () => {}); // the session is torn down anyway; nothing to report

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // resets from clients are expected; the socket closes
    if (protocol === 'http1') {
      h1.emit('connection', socket);
      return;
    }
    routeByPreface(socket, (isH2, head) => (isH2 ? handToHttp2(h2, socket, head) : handToHttp1(h1, socket, head)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('echo server: no TCP address');
  port = address.port;

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url: `http://${net.isIPv6(host) ? `[${host}]` : host}:${port}`,
    log,
    get requests() {
      return requests;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/**
 * Reads a fresh connection's first bytes and calls `route` once they show whether the connection
 * starts with the HTTP/2 client preface, with the bytes read so far. The socket is left paused.
 */
function routeByPreface(socket: net.Socket, route: (isH2: boolean, head: Buffer) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, H2_PREFACE.length);
    const isPrefix = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
    if (isPrefix && seen.length < H2_PREFACE.length) return; // not decided yet
    socket.off('data', onData);
    socket.pause();
    route(isPrefix, seen);
  };
  socket.on('data', onData);
}

/** Hands an HTTP/1 connection, its first bytes put back, to the HTTP/1 server. */
function handToHttp1(server: http.Server, socket: net.Socket, head: Buffer): void {
  socket.unshift(head);
  server.emit('connection', socket);
  // The server reads the put-back bytes through 'data' before anything read later.
  socket.resume();
}

/**
 * Hands an HTTP/2 connection to the HTTP/2 server. Node 20's HTTP/2 session reads the socket's
 * handle directly and would miss bytes already read, so it gets a stream that replays them first.
 */
function handToHttp2(server: http2.Http2Server, socket: net.Socket, head: Buffer): void {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(err, callback) {
      socket.destroy();
      callback(err);
    },
  });
  stream.push(head);
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  server.emit('connection', stream);
}

function http1Info(req: IncomingMessage): RequestInfo {
  const rawHeaders: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    if (name.toLowerCase() === 'host') continue; // reported as `host`, as Go does
    rawHeaders.push(name, req.rawHeaders[i + 1] ?? '');
  }
  return {
    method: req.method ?? 'GET',
    target: req.url ?? '',
    host: req.headers.host ?? '',
    proto: `HTTP/${req.httpVersion}`,
    rawHeaders,
    body: req,
  };
}

function http2Info(req: Http2ServerRequest): RequestInfo {
  const rawHeaders: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    if (name.startsWith(':') || name === 'host') continue;
    rawHeaders.push(name, req.rawHeaders[i + 1] ?? '');
  }
  return {
    method: req.method,
    target: req.url,
    host: req.authority ?? req.headers.host ?? '',
    proto: 'HTTP/2.0',
    rawHeaders,
    body: req,
  };
}

function canonicalHeaders(rawHeaders: readonly string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = canonicalHeaderName(rawHeaders[i] ?? '');
    (headers[name] ??= []).push(rawHeaders[i + 1] ?? '');
  }
  return headers;
}

interface Plan {
  status: number;
  delayMs: number;
  setHeaders: [string, string][];
  failFirst?: { count: number; key: string };
}

/** Reads the x-echo-* request headers (and upstream's `?delay=`); throws BadRequest on nonsense. */
function planResponse(target: string, headers: Record<string, string[]>): Plan {
  const first = (name: string) => headers[name]?.[0]?.trim();
  const plan: Plan = { status: 200, delayMs: 0, setHeaders: [] };

  const delay = first('X-Echo-Delay');
  if (delay !== undefined) {
    if (!/^\d+$/.test(delay)) throw new BadRequest(`x-echo-delay: ${JSON.stringify(delay)} is not a number of milliseconds`);
    plan.delayMs = Math.min(Number(delay), MAX_DELAY_MS);
  } else {
    const query = target.indexOf('?');
    const goDelay = query < 0 ? null : new URLSearchParams(target.slice(query + 1)).get('delay');
    if (goDelay !== null && goDelay !== '') {
      const ms = parseGoDuration(goDelay);
      // upstream answers 500 to a delay it cannot parse
      if (ms === undefined) throw new BadRequest(`time: invalid duration ${JSON.stringify(goDelay)}`, 500);
      plan.delayMs = Math.min(Math.max(ms, 0), MAX_DELAY_MS);
    }
  }

  const status = first('X-Echo-Status');
  if (status !== undefined) {
    const code = Number(status);
    if (!/^\d{3}$/.test(status) || code < 200 || code > 599) throw new BadRequest(`x-echo-status: ${JSON.stringify(status)} is not a status code from 200 to 599`);
    plan.status = code;
  }

  const failFirst = first('X-Echo-Fail-First');
  if (failFirst !== undefined) {
    if (!/^\d+$/.test(failFirst)) throw new BadRequest(`x-echo-fail-first: ${JSON.stringify(failFirst)} is not a count`);
    const key = first('X-Echo-Key');
    if (key === undefined || key === '') throw new BadRequest('x-echo-fail-first needs an x-echo-key to count requests by');
    plan.failFirst = { count: Number(failFirst), key };
  }

  // As upstream: each value is a comma-separated list of "Name: value"; a name set twice is joined with ",".
  const set = new Map<string, [string, string]>();
  for (const list of headers['X-Echo-Set-Header'] ?? []) {
    for (const item of list.split(',')) {
      if (item.trim() === '') continue;
      const colon = item.indexOf(':');
      const name = (colon < 0 ? item : item.slice(0, colon)).trim();
      const value = colon < 0 ? '' : item.slice(colon + 1).trim();
      if (!TOKEN.test(name) || !FIELD_VALUE.test(value)) throw new BadRequest(`x-echo-set-header: ${JSON.stringify(item.trim())} is not "Name: value"`);
      if (RESERVED_RESPONSE_HEADERS.has(name.toLowerCase())) throw new BadRequest(`x-echo-set-header: ${name} cannot be set`);
      const existing = set.get(name.toLowerCase());
      if (existing) existing[1] += `,${value}`;
      else set.set(name.toLowerCase(), [name, value]);
    }
  }
  plan.setHeaders = [...set.values()];
  return plan;
}

function send(res: Reply, method: string, status: number, extraHeaders: [string, string][], body: unknown): void {
  const text = JSON.stringify(body, null, 1);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of extraHeaders) res.setHeader(name, value);
  const bodyAllowed = method !== 'HEAD' && status !== 204 && status !== 205 && status !== 304;
  if (!bodyAllowed) {
    res.end();
    return;
  }
  res.setHeader('Content-Length', String(Buffer.byteLength(text)));
  res.end(text);
}

// ---------------------------------------------------------------------------------------------
// WebSocket (RFC 6455): handshake, framing, and the echo loop.

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Largest message (and frame payload) the echo server and client accept: 64 KiB. */
export const WS_MAX_PAYLOAD = 64 * 1024;

export const WsOpcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key. */
export function websocketAccept(key: string): string {
  return createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');
}

/** A violation of RFC 6455; `closeCode` is the status to close the connection with. */
export class WebSocketProtocolError extends Error {
  constructor(
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
  }
}

export interface WebSocketFrame {
  fin: boolean;
  opcode: number;
  /** Unmasked payload. */
  payload: Buffer;
  masked: boolean;
}

/**
 * Encodes one frame. `mask`: true for a random masking key (clients must mask), a 4-byte Buffer
 * for a fixed one, false/absent for none (servers must not mask).
 */
export function encodeWebSocketFrame(opcode: number, payload: Uint8Array = Buffer.alloc(0), options: { fin?: boolean; mask?: boolean | Uint8Array } = {}): Buffer {
  const length = payload.length;
  const mask = options.mask === true ? randomBytes(4) : options.mask || undefined;
  if (mask !== undefined && mask.length !== 4) throw new Error('a WebSocket masking key is 4 bytes');
  const lengthBytes = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  const headerLength = 2 + lengthBytes + (mask ? 4 : 0);
  const frame = Buffer.alloc(headerLength + length);
  frame[0] = (options.fin === false ? 0 : 0x80) | (opcode & 0x0f);
  frame[1] = (mask ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) frame.writeUInt16BE(length, 2);
  if (lengthBytes === 8) {
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  if (mask) {
    frame.set(mask, 2 + lengthBytes);
    for (let i = 0; i < length; i++) frame[headerLength + i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
  } else {
    frame.set(payload, headerLength);
  }
  return frame;
}

/**
 * Incremental frame decoder: push bytes as they arrive, get back the complete frames. Checks what
 * RFC 6455 makes a protocol error: reserved bits, unknown opcodes, oversized or fragmented control
 * frames, non-minimal lengths, and masking (clients must mask, servers must not).
 */
export class WebSocketFrameParser {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly maxPayload: number;
  private readonly expectMasked: boolean;

  constructor(options: { expectMasked: boolean; maxPayload?: number }) {
    this.expectMasked = options.expectMasked;
    this.maxPayload = options.maxPayload ?? WS_MAX_PAYLOAD;
  }

  push(chunk: Uint8Array): WebSocketFrame[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const frames: WebSocketFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  private next(): WebSocketFrame | undefined {
    const buf = this.buffer;
    if (buf.length < 2) return undefined;
    const b0 = buf[0] ?? 0;
    const b1 = buf[1] ?? 0;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if ((b0 & 0x70) !== 0) throw new WebSocketProtocolError('reserved bits set without an extension', 1002);
    if (![0x0, 0x1, 0x2, 0x8, 0x9, 0xa].includes(opcode)) throw new WebSocketProtocolError(`unknown opcode 0x${opcode.toString(16)}`, 1002);
    const masked = (b1 & 0x80) !== 0;
    if (masked !== this.expectMasked) throw new WebSocketProtocolError(this.expectMasked ? 'client frames must be masked' : 'server frames must not be masked', 1002);
    let length = b1 & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buf.length < 4) return undefined;
      length = buf.readUInt16BE(2);
      offset = 4;
      if (length < 126) throw new WebSocketProtocolError('payload length not minimally encoded', 1002);
    } else if (length === 127) {
      if (buf.length < 10) return undefined;
      const high = buf.readUInt32BE(2);
      if (high & 0x80000000) throw new WebSocketProtocolError('payload length has its most significant bit set', 1002);
      if (high !== 0) throw new WebSocketProtocolError('frame too large', 1009);
      length = buf.readUInt32BE(6);
      offset = 10;
      if (length <= 0xffff) throw new WebSocketProtocolError('payload length not minimally encoded', 1002);
    }
    if (opcode >= 0x8) {
      if (!fin) throw new WebSocketProtocolError('control frames cannot be fragmented', 1002);
      if (length > 125) throw new WebSocketProtocolError('control frame payload over 125 bytes', 1002);
    }
    if (length > this.maxPayload) throw new WebSocketProtocolError(`frame payload of ${length} bytes is over the ${this.maxPayload}-byte limit`, 1009);
    const maskOffset = offset;
    if (masked) offset += 4;
    if (buf.length < offset + length) return undefined;
    const payload = Buffer.from(buf.subarray(offset, offset + length));
    if (masked) {
      for (let i = 0; i < length; i++) payload[i] = (payload[i] ?? 0) ^ (buf[maskOffset + (i & 3)] ?? 0);
    }
    this.buffer = buf.subarray(offset + length);
    return { fin, opcode, payload, masked };
  }
}

export type WebSocketEvent = { kind: 'message'; opcode: number; data: Buffer } | { kind: 'control'; opcode: number; payload: Buffer };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(data: Uint8Array): boolean {
  try {
    utf8.decode(data);
    return true;
  } catch {
    return false;
  }
}

/** Turns frames into whole messages (joining fragments) and control frames; checks the sequence and text encoding. */
export class WebSocketMessageAssembler {
  private fragments: Buffer[] | undefined;
  private fragmentOpcode = 0;
  private fragmentLength = 0;

  constructor(private readonly maxMessage = WS_MAX_PAYLOAD) {}

  push(frame: WebSocketFrame): WebSocketEvent | undefined {
    if (frame.opcode >= 0x8) return { kind: 'control', opcode: frame.opcode, payload: frame.payload };
    if (frame.opcode === WsOpcode.continuation) {
      if (this.fragments === undefined) throw new WebSocketProtocolError('continuation frame without a message to continue', 1002);
      this.fragmentLength += frame.payload.length;
      if (this.fragmentLength > this.maxMessage) throw new WebSocketProtocolError(`message over the ${this.maxMessage}-byte limit`, 1009);
      this.fragments.push(frame.payload);
      if (!frame.fin) return undefined;
      const data = Buffer.concat(this.fragments);
      this.fragments = undefined;
      return this.message(this.fragmentOpcode, data);
    }
    if (this.fragments !== undefined) throw new WebSocketProtocolError('new message before the fragmented one finished', 1002);
    if (frame.fin) return this.message(frame.opcode, frame.payload);
    this.fragments = [frame.payload];
    this.fragmentOpcode = frame.opcode;
    this.fragmentLength = frame.payload.length;
    return undefined;
  }

  private message(opcode: number, data: Buffer): WebSocketEvent {
    if (opcode === WsOpcode.text && !isUtf8(data)) throw new WebSocketProtocolError('text message is not valid UTF-8', 1007);
    return { kind: 'message', opcode, data };
  }
}

/** Reads a close frame's payload: no status, or a valid status code and a UTF-8 reason. */
export function parseClosePayload(payload: Buffer): { code?: number; reason: string } {
  if (payload.length === 0) return { reason: '' };
  if (payload.length === 1) throw new WebSocketProtocolError('close payload of one byte', 1002);
  const code = payload.readUInt16BE(0);
  const valid = (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
  if (!valid) throw new WebSocketProtocolError(`invalid close code ${code}`, 1002);
  const reason = payload.subarray(2);
  if (!isUtf8(reason)) throw new WebSocketProtocolError('close reason is not valid UTF-8', 1007);
  return { code, reason: reason.toString('utf8') };
}

export function closePayload(code?: number, reason = ''): Buffer {
  if (code === undefined) return Buffer.alloc(0);
  const text = Buffer.from(reason, 'utf8').subarray(0, 123);
  const out = Buffer.alloc(2 + text.length);
  out.writeUInt16BE(code, 0);
  out.set(text, 2);
  return out;
}

function rejectUpgrade(socket: Duplex, status: string, message: string, extra = ''): void {
  const body = JSON.stringify({ message });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`);
}

function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => {});
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (!upgrade.split(',').some((p) => p.trim() === 'websocket')) return rejectUpgrade(socket, '400 Bad Request', `unsupported upgrade to ${JSON.stringify(req.headers.upgrade)}`);
  if (req.method !== 'GET') return rejectUpgrade(socket, '400 Bad Request', 'a WebSocket handshake is a GET');
  if (req.headers['sec-websocket-version'] !== '13') return rejectUpgrade(socket, '426 Upgrade Required', 'Sec-WebSocket-Version must be 13', 'Sec-WebSocket-Version: 13\r\n');
  const key = req.headers['sec-websocket-key'] ?? '';
  if (!/^[A-Za-z0-9+/]{22}==$/.test(key)) return rejectUpgrade(socket, '400 Bad Request', 'Sec-WebSocket-Key must be 16 bytes in base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${websocketAccept(key)}\r\n\r\n`);
  echoWebSocket(socket, head);
}

/** The server side: echoes text and binary messages, answers pings, completes the close handshake. */
function echoWebSocket(socket: Duplex, head: Buffer): void {
  const parser = new WebSocketFrameParser({ expectMasked: true });
  const assembler = new WebSocketMessageAssembler();
  let closed = false;
  const close = (code?: number, reason?: string) => {
    closed = true;
    socket.end(encodeWebSocketFrame(WsOpcode.close, closePayload(code, reason)));
  };
  const onData = (chunk: Buffer) => {
    if (closed) return;
    try {
      for (const frame of parser.push(chunk)) {
        const event = assembler.push(frame);
        if (event === undefined) continue;
        if (event.kind === 'message') {
          socket.write(encodeWebSocketFrame(event.opcode, event.data));
        } else if (event.opcode === WsOpcode.ping) {
          socket.write(encodeWebSocketFrame(WsOpcode.pong, event.payload));
        } else if (event.opcode === WsOpcode.close) {
          close(parseClosePayload(event.payload).code);
          return;
        }
      }
    } catch (err) {
      if (err instanceof WebSocketProtocolError) close(err.closeCode, err.message);
      else close(1011, 'internal error');
    }
  };
  socket.on('data', onData);
  if (head.length > 0) onData(head);
}

// ---------------------------------------------------------------------------------------------
// Clients for tests.

export interface RequestOptions {
  method?: string;
  /** Sent as given (names keep their case over HTTP/1); an array sends the header once per value. */
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
  /** Host header (HTTP/1) or :authority (HTTP/2); default the URL's host:port. */
  host?: string;
  /** Raw request target, sent as is (no URL normalisation); default the URL's path and query. */
  path?: string;
  /** HTTP/2 cleartext with prior knowledge instead of HTTP/1.1. */
  http2?: boolean;
  /** Whole-request deadline; default 10 s. */
  timeoutMs?: number;
}

export interface JsonResponse<T = EchoBody> {
  status: number;
  /** Lower-case names; repeated headers as arrays where Node keeps them apart (set-cookie). */
  headers: Record<string, string | string[] | undefined>;
  /** The body as text. */
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON (an error page from a proxy, say). */
  json: T | undefined;
}

/** One HTTP request on a fresh connection (HTTP/1.1, or h2c with `http2`), its body read and parsed as JSON. */
export function requestJson<T = EchoBody>(url: string, options: RequestOptions = {}): Promise<JsonResponse<T>> {
  const target = new URL(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const what = `${options.method ?? 'GET'} ${url}${options.http2 ? ' (h2c)' : ''}`;
  const request = options.http2 ? requestHttp2(target, options) : requestHttp1(target, options);
  return new Promise<JsonResponse<T>>((resolve, reject) => {
    const timer = setTimeout(() => {
      request.abort();
      reject(new Error(`timed out after ${timeoutMs} ms: ${what}`));
    }, timeoutMs);
    request.done.then(
      ({ status, headers, body }) => {
        clearTimeout(timer);
        const text = body.toString('utf8');
        let json: T | undefined;
        try {
          json = text === '' ? undefined : (JSON.parse(text) as T);
        } catch {
          json = undefined;
        }
        resolve({ status, headers, text, json });
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? new Error(`${what}: ${err.message}`, { cause: err }) : err);
      },
    );
  });
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

interface PendingRequest {
  done: Promise<RawResponse>;
  abort(): void;
}

function requestHttp1(url: URL, options: RequestOptions): PendingRequest {
  const headers: OutgoingHttpHeaders = { ...options.headers };
  if (options.host !== undefined) headers.host = options.host;
  const req = http.request({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || 80,
    method: options.method ?? 'GET',
    path: options.path ?? `${url.pathname}${url.search}`,
    headers,
    agent: false,
  });
  const done = new Promise<RawResponse>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: { ...res.headers }, body: Buffer.concat(chunks) }));
    });
  });
  req.end(options.body);
  return { done, abort: () => req.destroy() };
}

function requestHttp2(url: URL, options: RequestOptions): PendingRequest {
  const session = http2.connect(url.origin);
  const done = new Promise<RawResponse>((resolve, reject) => {
    const fail = (err: Error) => {
      session.destroy();
      reject(err);
    };
    session.on('error', fail);
    const headers: OutgoingHttpHeaders = {
      ':method': options.method ?? 'GET',
      ':path': options.path ?? `${url.pathname}${url.search}`,
      ':authority': options.host ?? url.host,
    };
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    const stream = session.request(headers, { endStream: options.body === undefined });
    let status = 0;
    let responseHeaders: Record<string, string | string[] | undefined> = {};
    stream.on('response', (h: IncomingHttpHeaders & { ':status'?: number }) => {
      status = h[':status'] ?? 0;
      responseHeaders = Object.fromEntries(Object.entries(h).filter(([name]) => !name.startsWith(':'))) as Record<string, string | string[] | undefined>;
    });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    let complete = false;
    stream.on('error', fail);
    stream.on('end', () => {
      if (status === 0) return; // ended without a response: reported on 'close'
      complete = true;
      session.close();
      resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks) });
    });
    stream.on('close', () => {
      if (!complete) fail(new Error(`HTTP/2 stream closed before a complete response (code ${stream.rstCode ?? 'none'})`));
    });
    if (options.body !== undefined) stream.end(options.body);
  });
  return { done, abort: () => session.destroy() };
}

export interface WebSocketMessage {
  type: 'text' | 'binary' | 'pong' | 'close';
  data: Buffer;
  /** data as UTF-8 (for close: the reason). */
  text: string;
  /** close only: the status code, if one was sent. */
  code?: number;
}

export interface WebSocketClient {
  /** The handshake response's headers. */
  readonly headers: IncomingHttpHeaders;
  /** A text (string) or binary message, as one masked frame. */
  send(data: string | Uint8Array): void;
  /** One raw frame (fragments, pings, protocol violations); masked with a random key unless `mask: false`. */
  sendFrame(opcode: number, payload?: Uint8Array, options?: { fin?: boolean; mask?: boolean }): void;
  /** The next message, pong or close from the server. Server pings are answered automatically. */
  next(timeoutMs?: number): Promise<WebSocketMessage>;
  /** Starts the close handshake and waits for the server's close frame and the end of the connection. */
  close(code?: number, reason?: string): Promise<WebSocketMessage | undefined>;
  /** Settles when the TCP connection has closed. */
  readonly ended: Promise<void>;
}

/** Opens a WebSocket (ws:// or http:// URL) and returns a minimal client for tests. */
export function connectWebSocket(url: string, options: { host?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<WebSocketClient> {
  const target = new URL(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const key = randomBytes(16).toString('base64');
  const headers: OutgoingHttpHeaders = {
    ...options.headers,
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Key': key,
    'Sec-WebSocket-Version': '13',
  };
  if (options.host !== undefined) headers.host = options.host;
  return new Promise<WebSocketClient>((resolve, reject) => {
    const req = http.request({
      host: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || 80,
      path: `${target.pathname}${target.search}`,
      headers,
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(new Error(`WebSocket handshake timed out after ${timeoutMs} ms: ${url}`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      reject(new Error(`WebSocket handshake refused with status ${res.statusCode}: ${url}`));
    });
    req.on('upgrade', (res: IncomingMessage, socket: Duplex, head: Buffer) => {
      clearTimeout(timer);
      if (res.headers['sec-websocket-accept'] !== websocketAccept(key)) {
        socket.destroy();
        reject(new Error('WebSocket handshake: wrong Sec-WebSocket-Accept'));
        return;
      }
      resolve(webSocketClient(socket, head, res.headers));
    });
    req.end();
  });
}

function webSocketClient(socket: Duplex, head: Buffer, headers: IncomingHttpHeaders): WebSocketClient {
  const parser = new WebSocketFrameParser({ expectMasked: false });
  const assembler = new WebSocketMessageAssembler();
  const queue: WebSocketMessage[] = [];
  const waiters: { resolve: (m: WebSocketMessage) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | undefined;
  let closeSent = false;
  let closeReceived: WebSocketMessage | undefined;
  let onCloseFrame: ((m: WebSocketMessage) => void) | undefined;

  const deliver = (message: WebSocketMessage) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(message);
    else queue.push(message);
  };
  const failAll = (err: Error) => {
    failure ??= err;
    for (const waiter of waiters.splice(0)) waiter.reject(failure);
  };
  const ended = new Promise<void>((resolve) => {
    socket.once('close', () => {
      failAll(new Error('WebSocket connection closed'));
      resolve();
    });
  });
  socket.on('error', (err: Error) => failAll(err));
  const write = (opcode: number, payload: Uint8Array, options: { fin?: boolean; mask?: boolean } = {}) => {
    socket.write(encodeWebSocketFrame(opcode, payload, { fin: options.fin ?? true, mask: options.mask ?? true }));
  };

  const onData = (chunk: Buffer) => {
    try {
      for (const frame of parser.push(chunk)) {
        const event = assembler.push(frame);
        if (event === undefined) continue;
        if (event.kind === 'message') {
          const text = event.opcode === WsOpcode.text ? event.data.toString('utf8') : '';
          deliver({ type: event.opcode === WsOpcode.text ? 'text' : 'binary', data: event.data, text });
        } else if (event.opcode === WsOpcode.ping) {
          write(WsOpcode.pong, event.payload);
        } else if (event.opcode === WsOpcode.pong) {
          deliver({ type: 'pong', data: event.payload, text: event.payload.toString('utf8') });
        } else if (event.opcode === WsOpcode.close) {
          const { code, reason } = parseClosePayload(event.payload);
          closeReceived = { type: 'close', data: event.payload, text: reason, ...(code === undefined ? {} : { code }) };
          if (!closeSent) {
            closeSent = true;
            socket.end(encodeWebSocketFrame(WsOpcode.close, closePayload(code), { mask: true }));
          }
          onCloseFrame?.(closeReceived);
          deliver(closeReceived);
        }
      }
    } catch (err) {
      failAll(err instanceof Error ? err : new Error(String(err)));
      socket.destroy();
    }
  };
  socket.on('data', onData);
  if (head.length > 0) onData(head);

  return {
    headers,
    ended,
    send(data) {
      if (typeof data === 'string') write(WsOpcode.text, Buffer.from(data, 'utf8'));
      else write(WsOpcode.binary, data);
    },
    sendFrame(opcode, payload = Buffer.alloc(0), options = {}) {
      write(opcode, payload, options);
    },
    next(timeoutMs = 5000) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      if (failure) return Promise.reject(failure);
      return new Promise<WebSocketMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`no WebSocket message within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          resolve: (m: WebSocketMessage) => {
            clearTimeout(timer);
            resolve(m);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        waiters.push(waiter);
      });
    },
    async close(code = 1000, reason = '') {
      const reply = closeReceived
        ? Promise.resolve<WebSocketMessage | undefined>(closeReceived)
        : new Promise<WebSocketMessage | undefined>((resolve) => {
            onCloseFrame = resolve;
            void ended.then(() => resolve(closeReceived));
          });
      if (!closeSent) {
        closeSent = true;
        write(WsOpcode.close, closePayload(code, reason));
      }
      const message = await reply;
      await ended;
      return message;
    },
  };
}

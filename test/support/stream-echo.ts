/**
 * A stream backend for TLSRoute and TCPRoute traffic tests, loopback only. On every connection
 * (after the TLS handshake, when it serves TLS) it first sends one JSON line saying who it is and
 * what it saw of the connection (a `StreamGreeting`), then sends back every byte it receives. So
 * the server speaks first, as many TCP protocols do, and a test learns from the greeting which
 * backend took the connection and whether TLS reached it (passthrough) or not (terminated at the
 * gateway), and from the echo that bytes flow both ways.
 *
 * Also here: `streamExchange`, the matching client (plain TCP or TLS with any SNI), and
 * `streamRejected`, which tells a connection the gateway closes apart from one it serves.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';

export interface StreamEchoOptions {
  /** Backend identity, reported as "pod". */
  name: string;
  /** Default "gateway-conformance-infra". */
  namespace?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve TLS with this certificate and key (PEM) instead of plain TCP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface StreamEchoServer {
  host: string;
  port: number;
  /** Connections accepted so far (TLS: handshakes completed). */
  readonly connections: number;
  close(): Promise<void>;
}

/** The first line a stream echo server sends on a connection. */
export interface StreamGreeting {
  pod: string;
  namespace: string;
  /** Whether the connection reached the backend as TLS. */
  tls: boolean;
  /** The TLS server name the backend received; null without TLS or without SNI. */
  serverName: string | null;
}

export async function startStreamEcho(options: StreamEchoOptions): Promise<StreamEchoServer> {
  const host = options.host ?? '127.0.0.1';
  if (!host.startsWith('127.') && host !== '::1') throw new Error(`stream echo: ${host} is not a loopback address`);
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const serve = (socket: net.Socket, serverName: string | null, isTls: boolean) => {
    connections++;
    const greeting: StreamGreeting = { pod: options.name, namespace: options.namespace ?? 'gateway-conformance-infra', tls: isTls, serverName };
    socket.write(`${JSON.stringify(greeting)}\n`);
    socket.on('data', (chunk: Buffer) => socket.write(chunk));
    socket.on('end', () => socket.end());
  };
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // clients and the gateway reset connections; the socket closes
  };
  const server = options.tls
    ? tls.createServer({ cert: options.tls.cert, key: options.tls.key }, (socket) => serve(socket, socket.servername || null, true))
    : net.createServer((socket) => serve(socket, null, false));
  server.on('connection', track);
  // A failed handshake (e.g. a client that gives up) is the client's business.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('stream echo: no TCP address');
  let closing: Promise<void> | undefined;
  return {
    host,
    port: address.port,
    get connections() {
      return connections;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

export interface StreamExchangeOptions {
  /** Speak TLS to the gateway; `servername` is the SNI sent (none when omitted). */
  tls?: { servername?: string; alpn?: string[] };
  /** Bytes sent as soon as the connection is up, before any greeting: for connections meant to be closed (a backend would echo them first). */
  preamble?: string;
  timeoutMs?: number;
}

export interface StreamExchange {
  greeting: StreamGreeting;
  /** Whether the random line sent after the greeting came back unchanged. */
  echoed: boolean;
  /** TLS only: SHA-256 fingerprint of the certificate the client was shown. */
  certFingerprint?: string;
}

/** Thrown when the connection ends (closed or reset) before the backend's greeting arrived. */
export class StreamClosedError extends Error {}

/**
 * Opens a connection, reads the backend's greeting, sends one random line and checks that it
 * comes back. Fails with StreamClosedError when the connection ends before the greeting, with
 * other errors when it cannot be made (e.g. refused: nothing listens yet).
 */
export function streamExchange(address: string, port: number, options: StreamExchangeOptions = {}): Promise<StreamExchange> {
  return new Promise<StreamExchange>((resolve, reject) => {
    const probe = `probe ${randomBytes(8).toString('hex')}\n`;
    const socket: net.Socket = options.tls
      ? tls.connect({ host: address, port, servername: options.tls.servername, ALPNProtocols: options.tls.alpn, rejectUnauthorized: false })
      : net.connect({ host: address, port });
    let established = false;
    let received = '';
    let greeting: StreamGreeting | undefined;
    let settled = false;
    const finish = (err: Error | undefined, value?: StreamExchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value as StreamExchange);
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${address}:${port} within ${options.timeoutMs ?? 5000} ms`)), options.timeoutMs ?? 5000);
    socket.once(options.tls ? 'secureConnect' : 'connect', () => {
      established = true;
      if (options.preamble !== undefined) socket.write(options.preamble);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (!greeting) {
        const nl = received.indexOf('\n');
        if (nl < 0) return;
        try {
          greeting = JSON.parse(received.slice(0, nl)) as StreamGreeting;
        } catch {
          finish(new Error(`not a stream echo greeting: ${JSON.stringify(received.slice(0, 200))}`));
          return;
        }
        received = received.slice(nl + 1);
        socket.write(probe);
      }
      if (received.length >= probe.length) {
        const fingerprint = options.tls ? (socket as tls.TLSSocket).getPeerCertificate().fingerprint256 : undefined;
        finish(undefined, { greeting, echoed: received.slice(0, probe.length) === probe, ...(fingerprint ? { certFingerprint: fingerprint } : {}) });
      }
    });
    // Refused: nothing listens (yet). Closed or reset before any greeting: the gateway closed it.
    // After the greeting a backend was reached, whatever happens next.
    const ended = (how: string) => {
      const what = `connection to ${address}:${port} ${how} ${greeting ? 'before the echo' : `before the greeting${established ? '' : ', during setup'}`}`;
      finish(greeting ? new Error(what) : new StreamClosedError(what));
    };
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? finish(err) : ended(`failed (${err.code ?? err.message})`)));
    socket.on('close', () => ended('closed'));
  });
}

/**
 * One connection attempt: "rejected" when the gateway closes or resets it before any backend
 * greets, "served" with the greeting's pod when a backend answers. Other errors (refused, timed
 * out) are thrown, so polling treats them as "not yet".
 */
export async function streamRejected(address: string, port: number, options: StreamExchangeOptions = {}): Promise<'rejected' | `served by ${string}`> {
  try {
    const r = await streamExchange(address, port, options);
    return `served by ${r.greeting.pod}`;
  } catch (err) {
    if (err instanceof StreamClosedError) return 'rejected';
    throw err;
  }
}

export interface OpenStream {
  greeting: StreamGreeting;
  /** Sends a line and resolves with the line that comes back. */
  echo(line: string, timeoutMs?: number): Promise<string>;
  close(): void;
}

/** A connection kept open after the greeting, e.g. to check that it survives a reload. */
export function openStream(address: string, port: number, options: StreamExchangeOptions = {}): Promise<OpenStream> {
  return new Promise<OpenStream>((resolve, reject) => {
    const socket: net.Socket = options.tls
      ? tls.connect({ host: address, port, servername: options.tls.servername, ALPNProtocols: options.tls.alpn, rejectUnauthorized: false })
      : net.connect({ host: address, port });
    let buffered = '';
    let waiter: ((line: string) => void) | undefined;
    let failure: Error | undefined;
    const fail = (err: Error) => {
      failure ??= err;
      reject(failure);
    };
    const timer = setTimeout(() => {
      fail(new Error(`no greeting from ${address}:${port}`));
      socket.destroy();
    }, options.timeoutMs ?? 5000);
    socket.on('error', fail);
    socket.on('close', () => fail(new StreamClosedError(`connection to ${address}:${port} closed`)));
    const nextLine = () => {
      const nl = buffered.indexOf('\n');
      if (nl < 0 || !waiter) return;
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const w = waiter;
      waiter = undefined;
      w(line);
    };
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      nextLine();
    });
    waiter = (line) => {
      clearTimeout(timer);
      let greeting: StreamGreeting;
      try {
        greeting = JSON.parse(line) as StreamGreeting;
      } catch {
        fail(new Error(`not a stream echo greeting: ${JSON.stringify(line.slice(0, 200))}`));
        socket.destroy();
        return;
      }
      resolve({
        greeting,
        echo: (text, timeoutMs = 5000) =>
          new Promise<string>((res, rej) => {
            if (failure) return rej(failure);
            const t = setTimeout(() => rej(new Error(`no echo from ${address}:${port} within ${timeoutMs} ms`)), timeoutMs);
            waiter = (l) => {
              clearTimeout(t);
              res(l);
            };
            socket.write(`${text}\n`);
            nextLine();
          }),
        close: () => socket.destroy(),
      });
    };
  });
}

/**
 * A backend that fails on purpose, like upstream echo-basic's retry simulation: a request with
 * `?responseCode=C&succeedAfter=N&uuid=U` is answered with status C for the first N requests
 * carrying that uuid and with 200 after that; with `&delayRetry=D` (e.g. "300ms") those first N
 * answers come D late; without `responseCode` they are connection resets instead. Every answer is
 * an echo-style JSON body.
 */
import http from 'node:http';
import type { BackendServer } from './harness.js';

export interface RetryBackend extends BackendServer {
  /** Requests seen per uuid. */
  readonly attempts: Map<string, number>;
}

export async function startRetryBackend(name: string, namespace: string): Promise<RetryBackend> {
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://backend');
    const uuid = url.searchParams.get('uuid') ?? '';
    const codeParam = url.searchParams.get('responseCode');
    const code = Number(codeParam ?? '200');
    const succeedAfter = Number(url.searchParams.get('succeedAfter') ?? '0');
    const seen = (attempts.get(uuid) ?? 0) + 1;
    attempts.set(uuid, seen);
    const failing = seen <= succeedAfter;
    const delay = failing ? Number(/^(\d+)ms$/.exec(url.searchParams.get('delayRetry') ?? '')?.[1] ?? 0) : 0;
    const answer = () => {
      if (res.destroyed) return; // the gateway gave up on this attempt
      // No status to fail with: fail the connection instead, as a crashing backend would.
      if (failing && codeParam === null) {
        req.socket.resetAndDestroy();
        return;
      }
      res.statusCode = failing ? code : 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, host: req.headers.host ?? '', method: req.method, proto: `HTTP/${req.httpVersion}`, headers: {}, namespace, pod: name, attempt: seen }));
    };
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('retry backend: no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

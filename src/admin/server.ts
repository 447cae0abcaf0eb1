import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { getApi } from './api.js';
import { failure } from './kube-status.js';
import type { AdminView } from './view.js';
import { handleWebView } from './web-view.js';

export interface AdminServerOptions {
  host: string;
  /** 0 picks a free port; the bound one is in AdminServer.port. */
  port: number;
  view: AdminView;
  metrics: Metrics;
  logger?: Logger;
  /**
   * A second address serving /healthz and /readyz only, for probes that must reach the process
   * from outside while the admin API itself stays on a private address.
   */
  health?: { host: string; port: number };
}

export interface AdminServer {
  host: string;
  port: number;
  /** Base URL, e.g. "http://127.0.0.1:9901" or "http://[::1]:9901". */
  url: string;
  /** Base URL of the health-only listener, when there is one. */
  healthUrl?: string;
  close(): Promise<void>;
}

interface Listening {
  port: number;
  close(): Promise<void>;
}

async function listen(host: string, port: number, what: string, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'address already in use' : err.message;
      reject(new Error(`${what} cannot listen on ${formatHostPort(host, port)}: ${why}`));
    });
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The admin API: GET only.
 *   /healthz  200 "ok" while the process runs
 *   /readyz   200 once the first translation is applied, 503 before
 *   /metrics  Prometheus text
 *   /api/v1/..., /apis/{group}/{version}/...  objects with Portico's status (see api.ts)
 *   /, /view/...  the web view of the resource tree (see web-view.ts)
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const handler = (healthOnly: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, options, healthOnly).catch((err: unknown) => {
      options.logger?.error({ err }, 'admin API request failed');
      if (!res.headersSent) sendJson(res, 500, failure(500, 'InternalError', 'internal error'));
      else res.destroy();
    });
  };
  const admin = await listen(options.host, options.port, 'admin API', handler(false));
  let health: Listening | undefined;
  if (options.health) {
    try {
      health = await listen(options.health.host, options.health.port, 'health endpoint', handler(true));
    } catch (err) {
      await admin.close();
      throw err;
    }
  }
  return {
    host: options.host,
    port: admin.port,
    url: `http://${formatHostPort(options.host, admin.port)}`,
    ...(health && options.health ? { healthUrl: `http://${formatHostPort(options.health.host, health.port)}` } : {}),
    close: async () => {
      await Promise.all([admin.close(), health?.close()]);
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: AdminServerOptions, healthOnly: boolean): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET');
    sendJson(res, 405, failure(405, 'MethodNotAllowed', `${req.method ?? 'this method'} is not supported: the admin API is read-only (GET)`));
    return;
  }
  const url = new URL(req.url ?? '/', 'http://admin');
  const { pathname } = url;
  switch (pathname) {
    case '/healthz':
      sendText(res, 200, 'ok\n');
      return;
    case '/readyz':
      if (options.view.isReady()) sendText(res, 200, 'ok\n');
      else sendText(res, 503, 'not ready: the first translation has not been applied yet\n');
      return;
    case '/metrics': {
      if (healthOnly) break;
      const text = await options.metrics.text();
      res.writeHead(200, { 'Content-Type': options.metrics.contentType });
      res.end(text);
      return;
    }
  }
  if (healthOnly) {
    sendJson(res, 404, failure(404, 'NotFound', 'this address serves /healthz and /readyz only; the admin API is elsewhere'));
    return;
  }
  if (handleWebView(req, res, url, options.view)) return;
  const { status, body } = getApi(pathname, options.view);
  sendJson(res, status, body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The web view of the admin API: a page at / drawing the resource tree, and what it reads.
 *   /                        the page (web/page.ts), /view/app.js and /view/app.css
 *   /view/api/tree           the tree (api/view-tree.ts) as JSON; ?namespace= filters it; ETag
 *   /view/api/dataplane      ?gateway=namespace/name: its data plane configuration, secrets hidden
 *   /view/api/events         Server-Sent Events: "applied" after each new state
 * Objects themselves come from the Kubernetes-shaped API (api.ts), with what it leaves out.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { filterTree } from '../api/view-tree.js';
import { failure } from './kube-status.js';
import type { AdminView } from './view.js';
import { CLIENT_JS } from './web/client.js';
import { PAGE_CSS, PAGE_HTML } from './web/page.js';

/** Nothing but this server's own files: no inline script or style, no other origin, no framing. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Tells this process's tree versions from another's after a restart, so an old ETag never matches. */
const BOOT = randomBytes(4).toString('hex');

/** How often an idle event stream gets a comment, so proxies and browsers keep it open. */
const KEEPALIVE_MS = 25_000;

const ASSETS: Record<string, { type: string; body: string }> = {
  '/': { type: 'text/html; charset=utf-8', body: PAGE_HTML },
  '/view/app.js': { type: 'text/javascript; charset=utf-8', body: CLIENT_JS },
  '/view/app.css': { type: 'text/css; charset=utf-8', body: PAGE_CSS },
};

/** Serves the request when it is one of the web view's; false when the path is not. */
export function handleWebView(req: IncomingMessage, res: ServerResponse, url: URL, view: AdminView): boolean {
  const asset = ASSETS[url.pathname];
  if (asset) {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
    res.end(asset.body);
    return true;
  }
  switch (url.pathname) {
    case '/view/api/tree':
      serveTree(req, res, url, view);
      return true;
    case '/view/api/dataplane':
      serveDataPlane(res, url, view);
      return true;
    case '/view/api/events':
      serveEvents(req, res, view);
      return true;
  }
  return false;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', ...headers });
  res.end(`${JSON.stringify(body)}\n`);
}

function serveTree(req: IncomingMessage, res: ServerResponse, url: URL, view: AdminView): void {
  const namespace = url.searchParams.get('namespace') ?? '';
  const tree = view.viewTree();
  const etag = `"${BOOT}-${tree.version}-${Buffer.from(namespace).toString('base64url')}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ...SECURITY_HEADERS, ETag: etag, 'Cache-Control': 'no-cache' });
    res.end();
    return;
  }
  sendJson(res, 200, namespace ? filterTree(tree, namespace) : tree, { ETag: etag });
}

function serveDataPlane(res: ServerResponse, url: URL, view: AdminView): void {
  const gateway = url.searchParams.get('gateway');
  if (!gateway || !/^[^/]+\/[^/]+$/.test(gateway)) {
    sendJson(res, 400, failure(400, 'BadRequest', 'gateway=namespace/name is required'));
    return;
  }
  const config = view.dataPlaneConfig(gateway);
  if (!config) {
    sendJson(
      res,
      404,
      failure(404, 'NotFound', `no data plane configuration to show for Gateway ${gateway}: none is running for it, or this data plane does not show its configuration (with --data-plane none, or in per-gateway deployment mode)`),
    );
    return;
  }
  sendJson(res, 200, config);
}

function serveEvents(req: IncomingMessage, res: ServerResponse, view: AdminView): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  // A browser that lost the stream comes back after this long.
  res.write('retry: 2000\n\n');
  const unsubscribe = view.onApplied((version) => res.write(`event: applied\ndata: ${JSON.stringify({ version })}\n\n`));
  const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
  keepalive.unref();
  const stop = (): void => {
    clearInterval(keepalive);
    unsubscribe();
  };
  req.on('close', stop);
  res.on('close', stop);
}

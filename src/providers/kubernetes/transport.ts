/**
 * HTTP to the API server: plain requests and watch streams. The interface is what reflectors and
 * the status writer use, so unit tests can drive them with a fake; `HttpTransport` is the real
 * one, with credentials from a kubeconfig (ApiCredentials).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { ApiCredentials } from './kubeconfig.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface KubeRequest {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /** Default application/json when there is a body. */
  contentType?: string;
  /** Whole-request deadline; default 30 s. */
  timeoutMs?: number;
}

export interface KubeResponse {
  status: number;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: unknown;
}

/** How a watch stream ended. Never an exception: the caller decides what each case means. */
export type WatchEnd =
  | { type: 'closed' }
  | { type: 'aborted' }
  /** The server answered the watch request with something other than 200. */
  | { type: 'status'; status: number; body: unknown }
  | { type: 'error'; error: Error };

export interface WatchHandle {
  done: Promise<WatchEnd>;
  abort(): void;
}

export interface KubeTransport {
  /** Rejects only when no HTTP answer came (connection refused, reset, timeout). */
  request(request: KubeRequest): Promise<KubeResponse>;
  /** Streams the events of `GET path?watch=true&...`, one parsed JSON line each. */
  watch(path: string, query: Query, onEvent: (event: unknown) => void, options?: { idleTimeoutMs?: number }): WatchHandle;
  close(): void;
}

export function withQuery(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

interface Connection {
  url: URL;
  options: https.RequestOptions;
}

/** How long applied credentials are reused: the token file is re-read at most this often. */
const CREDENTIALS_TTL_MS = 10_000;

export class HttpTransport implements KubeTransport {
  private readonly server: URL;
  private cached: { at: number; connection: Connection } | undefined;
  private agent: { key: string; agent: http.Agent } | undefined;
  private readonly open = new Set<http.ClientRequest>();

  constructor(private readonly kubeConfig: ApiCredentials) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
  }

  /**
   * Credentials and TLS settings from the kubeconfig (token, client certificate, CA), with an
   * agent of our own that keeps connections alive: client-node makes a new agent per call.
   */
  private async connection(): Promise<Connection> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CREDENTIALS_TTL_MS) return this.cached.connection;
    const options: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(options);
    const proxied = this.kubeConfig.getCurrentCluster()?.proxyUrl !== undefined;
    if (!proxied) {
      const key = createHash('sha256')
        .update(JSON.stringify([String(options.ca ?? ''), String(options.cert ?? ''), String(options.key ?? ''), options.rejectUnauthorized, options.servername]))
        .digest('hex');
      if (this.agent?.key !== key) {
        this.agent?.agent.destroy();
        const tls = { ca: options.ca, cert: options.cert, key: options.key, rejectUnauthorized: options.rejectUnauthorized, servername: options.servername };
        const agent = this.server.protocol === 'http:' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true, ...tls });
        this.agent = { key, agent };
      }
      options.agent = this.agent.agent;
    }
    const connection = { url: this.server, options };
    this.cached = { at: now, connection };
    return connection;
  }

  private async start(method: string, path: string, headers: Record<string, string>): Promise<http.ClientRequest> {
    const { url, options } = await this.connection();
    const base = url.pathname.replace(/\/$/, '');
    const request = (url.protocol === 'http:' ? http : https).request({
      ...options,
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (url.protocol === 'http:' ? 80 : 443),
      method,
      path: `${base}${path}`,
      headers: { ...(options.headers as Record<string, string> | undefined), accept: 'application/json', ...headers },
    });
    this.open.add(request);
    request.on('close', () => this.open.delete(request));
    return request;
  }

  async request(req: KubeRequest): Promise<KubeResponse> {
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string> = body ? { 'content-type': req.contentType ?? 'application/json', 'content-length': String(body.length) } : {};
    const request = await this.start(req.method, withQuery(req.path, req.query), headers);
    return new Promise<KubeResponse>((resolve, reject) => {
      request.setTimeout(req.timeoutMs ?? 30_000, () => request.destroy(new Error(`${req.method} ${req.path}: no answer in time`)));
      request.on('error', reject);
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseBody(Buffer.concat(chunks), res.headers['content-type']) }));
      });
      request.end(body);
    });
  }

  watch(path: string, query: Query, onEvent: (event: unknown) => void, options: { idleTimeoutMs?: number } = {}): WatchHandle {
    let request: http.ClientRequest | undefined;
    let aborted = false;
    let settle: (end: WatchEnd) => void = () => undefined;
    const done = new Promise<WatchEnd>((resolve) => {
      let settled = false;
      settle = (end) => {
        if (settled) return;
        settled = true;
        // A stream the server ended leaves a healthy connection for the agent to reuse.
        if (end.type !== 'closed') request?.destroy();
        resolve(aborted ? { type: 'aborted' } : end);
      };
    });
    const idleTimeoutMs = options.idleTimeoutMs ?? 600_000;
    this.start('GET', withQuery(path, { ...query, watch: true }), {}).then(
      (req) => {
        request = req;
        req.on('error', (error) => settle({ type: 'error', error }));
        if (aborted) {
          // Aborted while credentials were being applied: the request was never sent.
          req.destroy();
          return;
        }
        // A connection that goes quiet for longer than the server's own timeout plus bookmarks
        // would allow is dead (a vanished peer sends no reset); give up on it.
        req.setTimeout(idleTimeoutMs, () => settle({ type: 'error', error: new Error(`watch ${path}: nothing received for ${idleTimeoutMs} ms`) }));
        req.on('response', (res) => {
          if (res.statusCode !== 200) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => settle({ type: 'status', status: res.statusCode ?? 0, body: parseBody(Buffer.concat(chunks), res.headers['content-type']) }));
            res.on('error', (error) => settle({ type: 'error', error }));
            return;
          }
          req.socket?.setKeepAlive(true, 30_000);
          let buffered = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffered += chunk;
            let newline: number;
            while ((newline = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, newline).trim();
              buffered = buffered.slice(newline + 1);
              if (line === '') continue;
              let event: unknown;
              try {
                event = JSON.parse(line);
              } catch {
                settle({ type: 'error', error: new Error(`watch ${path}: not JSON: ${line.slice(0, 100)}`) });
                return;
              }
              onEvent(event);
            }
          });
          res.on('end', () => settle({ type: 'closed' }));
          res.on('aborted', () => settle({ type: 'error', error: new Error(`watch ${path}: connection lost`) }));
          res.on('error', (error) => settle({ type: 'error', error }));
          res.on('close', () => settle({ type: 'error', error: new Error(`watch ${path}: connection closed`) }));
        });
        req.end();
      },
      (error: unknown) => settle({ type: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return {
      done,
      abort() {
        aborted = true;
        settle({ type: 'aborted' });
      },
    };
  }

  close(): void {
    for (const request of this.open) request.destroy();
    this.agent?.agent.destroy();
    this.agent = undefined;
  }
}

function parseBody(buffer: Buffer, contentType: string | undefined): unknown {
  const text = buffer.toString('utf8');
  if (contentType?.includes('json') || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** The message of a Kubernetes Status body, or the text of any other answer. */
export function describeAnswer(response: { status: number; body: unknown }): string {
  const body = response.body;
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return `${response.status}: ${body.message}`;
  return `${response.status}: ${String(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 200)}`;
}

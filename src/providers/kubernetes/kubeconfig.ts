/**
 * Credentials for the API server, read without @kubernetes/client-node: its KubeConfig pulls in
 * every generated API model, about 80 MiB of resident memory the controller does not otherwise
 * need. Supported: a kubeconfig file (server, certificate authority, client certificate and key,
 * bearer token or token file, insecure-skip-tls-verify, tls-server-name) and the Pod's own
 * ServiceAccount (in-cluster). Exec and auth-provider plugins are refused with a clear message.
 */
import { readFileSync } from 'node:fs';
import type https from 'node:https';
import path from 'node:path';
import { parse } from 'yaml';

/** What the HTTP transport needs of a kubeconfig; @kubernetes/client-node's KubeConfig has it too. */
export interface ApiCredentials {
  getCurrentCluster(): { server: string; proxyUrl?: string } | null | undefined;
  /** Sets TLS material and the Authorization header; files (e.g. a rotated token) are read anew. */
  applyToHTTPSOptions(options: https.RequestOptions): Promise<void>;
}

interface Source {
  server: string;
  tlsServerName?: string;
  insecure?: boolean;
  ca?: () => Buffer;
  cert?: () => Buffer;
  key?: () => Buffer;
  token?: () => string;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

class Credentials implements ApiCredentials {
  constructor(private readonly source: Source) {}

  getCurrentCluster(): { server: string } {
    return { server: this.source.server };
  }

  async applyToHTTPSOptions(options: https.RequestOptions): Promise<void> {
    const s = this.source;
    if (s.ca) options.ca = s.ca();
    if (s.cert) options.cert = s.cert();
    if (s.key) options.key = s.key();
    if (s.insecure) options.rejectUnauthorized = false;
    if (s.tlsServerName) options.servername = s.tlsServerName;
    if (s.token) options.headers = { ...(options.headers as Record<string, string> | undefined), authorization: `Bearer ${s.token()}` };
  }
}

type Named<T> = { name: string } & T;
interface KubeconfigFile {
  'current-context'?: string;
  contexts?: Named<{ context?: { cluster?: string; user?: string } }>[];
  clusters?: Named<{ cluster?: Record<string, unknown> }>[];
  users?: Named<{ user?: Record<string, unknown> }>[];
}

/** Inline base64 data, or a file relative to the kubeconfig's directory. */
function material(entry: Record<string, unknown>, field: string, dir: string): (() => Buffer) | undefined {
  const data = entry[`${field}-data`];
  if (typeof data === 'string') {
    const bytes = Buffer.from(data, 'base64');
    return () => bytes;
  }
  const file = entry[field];
  if (typeof file === 'string') {
    const full = path.resolve(dir, file);
    return () => readFileSync(full);
  }
  return undefined;
}

/** Parses kubeconfig text; `file` names it in errors and anchors relative paths. */
/**
 * Credentials for a server that takes a bearer token (read anew from its file on each use) and
 * whose certificate a CA file vouches for: the data plane's channel to the controller.
 */
export function tokenCredentials(server: string, tokenFile: string, caFile?: string): ApiCredentials {
  return new Credentials({ server, token: () => readFileSync(tokenFile, 'utf8').trim(), ...(caFile ? { ca: () => readFileSync(caFile) } : {}) });
}

export function credentialsFromKubeconfig(text: string, file: string): ApiCredentials {
  const doc = (parse(text) ?? {}) as KubeconfigFile;
  const where = `kubeconfig ${file}`;
  const contextName = doc['current-context'];
  if (!contextName) throw new Error(`${where}: no current-context`);
  const context = doc.contexts?.find((c) => c.name === contextName)?.context;
  if (!context) throw new Error(`${where}: context "${contextName}" is not defined`);
  const cluster = doc.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string') throw new Error(`${where}: cluster "${context.cluster ?? ''}" of context "${contextName}" has no server`);
  if (cluster['proxy-url'] !== undefined) throw new Error(`${where}: cluster "${context.cluster ?? ''}": proxy-url is not supported`);
  const user = (context.user ? doc.users?.find((u) => u.name === context.user)?.user : undefined) ?? {};
  for (const plugin of ['exec', 'auth-provider']) {
    if (user[plugin] !== undefined) throw new Error(`${where}: user "${context.user ?? ''}" uses ${plugin}, which Portico does not run; use a token or a client certificate`);
  }
  const dir = path.dirname(path.resolve(file));
  const token = typeof user.token === 'string' ? user.token : undefined;
  const tokenFile = typeof user.tokenFile === 'string' ? path.resolve(dir, user.tokenFile) : undefined;
  return new Credentials({
    server: cluster.server,
    ...(typeof cluster['tls-server-name'] === 'string' ? { tlsServerName: cluster['tls-server-name'] } : {}),
    ...(cluster['insecure-skip-tls-verify'] === true ? { insecure: true } : {}),
    ca: material(cluster, 'certificate-authority', dir),
    cert: material(user, 'client-certificate', dir),
    key: material(user, 'client-key', dir),
    token: token !== undefined ? () => token : tokenFile !== undefined ? () => readFileSync(tokenFile, 'utf8').trim() : undefined,
  });
}

/**
 * Credentials for the API server: the kubeconfig file when one is named, otherwise the Pod's
 * own ServiceAccount (in-cluster: KUBERNETES_SERVICE_HOST and the mounted token and CA; the token
 * is read again on use, since bound tokens rotate).
 */
export function loadKubeConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env, serviceAccountDir = SERVICE_ACCOUNT): ApiCredentials {
  if (file !== undefined) return credentialsFromKubeconfig(readFileSync(file, 'utf8'), file);
  const host = env.KUBERNETES_SERVICE_HOST;
  if (!host) throw new Error('no --kubeconfig given, and not running in a cluster (KUBERNETES_SERVICE_HOST is not set)');
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const ca = readFileSync(path.join(serviceAccountDir, 'ca.crt'));
  return new Credentials({ server, ca: () => ca, token: () => readFileSync(path.join(serviceAccountDir, 'token'), 'utf8').trim() });
}

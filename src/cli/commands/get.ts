import { stringify } from 'yaml';
import type { KindInfo } from '../../api/kinds.js';
import type { KubeObject } from '../../api/object.js';
import { renderTable } from '../get-table.js';
import type { CliIO } from '../io.js';
import { resolveKind } from '../kind-names.js';

export type GetOutput = 'wide' | 'yaml' | 'json';

export interface GetOptions {
  namespace: string;
  allNamespaces?: boolean;
  output?: GetOutput;
  /** The admin API's base URL, e.g. http://127.0.0.1:9901. */
  server: string;
}

/** Long enough for a busy instance, short enough that a server that accepts and never answers is reported. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * `portico get KIND [NAME]`: reads the admin API of a running instance and prints a table, or the
 * objects as YAML or JSON. Exit 0 on success (an empty list included), 1 when the server cannot be
 * reached or refuses (NotFound), 2 for bad usage.
 */
export async function getCommand(kind: string, name: string | undefined, options: GetOptions, io: CliIO, now: () => Date = () => new Date()): Promise<number> {
  const info = resolveKind(kind);
  if (!info) {
    io.stderr(`error: Portico serves no resource type "${kind}" (portico get --help lists them)\n`);
    return 2;
  }
  if (name !== undefined && options.allNamespaces && info.namespaced) {
    io.stderr('error: a resource cannot be retrieved by name across all namespaces; use -n NAMESPACE\n');
    return 2;
  }
  let base: URL;
  try {
    base = new URL(options.server);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http');
  } catch {
    io.stderr(`error: --server "${options.server}" is not an http:// or https:// URL, such as http://127.0.0.1:9901\n`);
    return 2;
  }
  const namespace = info.namespaced && !options.allNamespaces ? options.namespace : undefined;
  const url = new URL(apiPath(info, namespace, name), base.href.endsWith('/') ? base.href : `${base.href}/`);

  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    io.stderr(`error: cannot reach the Portico admin API at ${base.origin}: ${reason(err)} (is portico running there? --server names its admin address)\n`);
    return 1;
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    io.stderr(`error: ${url.href} answered ${response.status} without JSON: is --server a Portico admin API?\n`);
    return 1;
  }
  if (!response.ok) {
    io.stderr(`${serverError(response.status, body)}\n`);
    return 1;
  }

  const objects = name !== undefined ? [body as KubeObject] : items(body);
  if (objects === undefined) {
    io.stderr(`error: ${url.href} answered with something other than a list\n`);
    return 1;
  }
  if (options.output === 'yaml') io.stdout(stringify(body));
  else if (options.output === 'json') io.stdout(`${JSON.stringify(body, null, 4)}\n`);
  else if (objects.length === 0) io.stderr(namespace !== undefined ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
  else io.stdout(renderTable(info, objects, { wide: options.output === 'wide', allNamespaces: options.allNamespaces === true, now: now() }));
  return 0;
}

/** The admin API path of one object or of a list, as docs/admin-api.md gives them. */
export function apiPath(info: KindInfo, namespace: string | undefined, name: string | undefined): string {
  const version = info.versions[0] ?? 'v1';
  const root = info.group ? `apis/${info.group}/${version}` : `api/${version}`;
  const scope = namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const one = name !== undefined ? `/${encodeURIComponent(name)}` : '';
  return `${root}${scope}/${info.plural}${one}`;
}

/** A Kubernetes Status as kubectl shows it: "Error from server (NotFound): ...". */
function serverError(status: number, body: unknown): string {
  const s = (typeof body === 'object' && body !== null ? body : {}) as { kind?: unknown; reason?: unknown; message?: unknown };
  if (s.kind === 'Status' && typeof s.message === 'string') {
    return `Error from server${typeof s.reason === 'string' && s.reason ? ` (${s.reason})` : ''}: ${s.message}`;
  }
  return `Error from server: HTTP ${status}`;
}

function items(body: unknown): KubeObject[] | undefined {
  const list = typeof body === 'object' && body !== null ? (body as { items?: unknown }).items : undefined;
  return Array.isArray(list) ? (list as KubeObject[]) : undefined;
}

/** Why fetch failed, in the words of the cause (fetch's own message is only "fetch failed"). */
function reason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof AggregateError && cause.errors.length) return cause.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('; ');
  if (cause instanceof Error) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

import { KINDS } from '../../api/kinds.js';
import type { KubeObject } from '../../api/object.js';
import { haproxyRuleProblem } from '../../haproxy/capabilities.js';
import { explainRoute, parseSampleRequest, type SampleRequest } from '../../pipeline/explain.js';
import { translate } from '../../pipeline/translate.js';
import { FileLoader, formatProblem } from '../../providers/file/index.js';
import { localAddresses } from '../../runtime/local-addresses.js';
import { rfc3339 } from '../../runtime/runtime.js';
import { ResourceSet } from '../../store/resources.js';
import { ObjectStore } from '../../store/store.js';
import type { CliIO } from '../io.js';
import { resolveKind } from '../kind-names.js';
import { missingPaths } from '../paths.js';
import { createValidator } from '../validator.js';
import { apiPath } from './get.js';

export interface ExplainOptions {
  namespace: string;
  filename?: string[];
  server?: string;
  request?: string;
  header?: string[];
  addressPool: string;
}

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);

/** Every object a running instance's admin API serves (Secrets without their data). */
async function serverObjects(server: string): Promise<KubeObject[]> {
  const base = server.endsWith('/') ? server : `${server}/`;
  const out: KubeObject[] = [];
  for (const info of KINDS) {
    const response = await fetch(new URL(apiPath(info, undefined, undefined), base), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) continue;
    const body = (await response.json()) as { items?: KubeObject[] };
    for (const item of body.items ?? []) out.push({ ...item, apiVersion: item.apiVersion ?? `${info.group ? `${info.group}/` : ''}${info.versions[0]}`, kind: info.kind });
  }
  return out;
}

/**
 * `portico explain KIND NAME`: the route's parents, rules and backends, the rules that come before
 * it, and where a sample request goes; from files, or from a running instance (--server). Exit 0,
 * 1 when the route is not there or the input cannot be read, 2 for bad usage.
 */
export async function explainCommand(kind: string, name: string, options: ExplainOptions, io: CliIO): Promise<number> {
  const info = resolveKind(kind);
  if (!info || !ROUTE_KINDS.has(info.kind)) {
    io.stderr(`error: "${kind}" is not a route kind (httproute, grpcroute, tlsroute, tcproute, udproute)\n`);
    return 2;
  }
  if ((options.filename === undefined) === (options.server === undefined)) {
    io.stderr('error: give the objects with -f PATH, or a running instance with --server URL (one of the two)\n');
    return 2;
  }
  let request: SampleRequest | undefined;
  if (options.request !== undefined) {
    const parsed = parseSampleRequest(options.request, options.header ?? []);
    if (typeof parsed === 'string') {
      io.stderr(`error: --request: ${parsed}\n`);
      return 2;
    }
    request = parsed;
  } else if (options.header?.length) {
    io.stderr('error: -H goes with --request\n');
    return 2;
  }
  let resources: ResourceSet;
  if (options.filename) {
    const missing = await missingPaths(options.filename);
    if (missing.length) {
      for (const m of missing) io.stderr(`error: ${m}\n`);
      return 2;
    }
    const loaded = await new FileLoader({ paths: options.filename, validator: createValidator('experimental') }).load();
    for (const p of loaded.problems) io.stderr(`${formatProblem(p)}\n`);
    const store = new ObjectStore();
    resources = store.update(loaded.objects, loaded.sources) ?? store.current;
  } else {
    try {
      resources = new ResourceSet(await serverObjects(options.server as string));
    } catch (err) {
      io.stderr(`error: cannot read the objects of the Portico admin API at ${options.server}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  const translation = translate(resources, { addressPool: options.addressPool, checkRule: haproxyRuleProblem, localAddresses: localAddresses(), now: rfc3339(new Date()) });
  const report = explainRoute(translation, info.kind, options.namespace, name, request);
  if (!report) {
    io.stderr(`error: ${info.kind} ${options.namespace}/${name} is not among the objects read\n`);
    return 1;
  }
  io.stdout(report);
  if (options.server) io.stdout('\n(Translated here from the objects the instance serves: Secrets come without their data, so TLS listeners may read as lacking certificates the instance has.)\n');
  return 0;
}

import type { AddressSource } from '../api/data-plane-names.js';
import type { DataPlaneState, RuleChecker } from '../api/data-plane.js';
import { buildGraph } from '../graph/build.js';
import type { Graph } from '../graph/model.js';
import { buildIR } from '../ir/build.js';
import type { IR } from '../ir/model.js';
import { buildStatus } from '../status/build.js';
import type { ResourceSet } from '../store/resources.js';
import { parseAddressPool, type AddressPool } from '../graph/address-pool.js';
import type { BindPolicy } from '../graph/bind-policy.js';
import type { TranslationCache } from './cache.js';

export { TranslationCache } from './cache.js';

export interface TranslateOptions {
  /** Pool that Gateways without spec.addresses draw their address from ("127.0.10.0/24" or "A-B"). */
  addressPool: string | AddressPool;
  /** Addresses handed out by the previous translation, keyed "namespace/name", kept while still free. */
  previousAddresses?: ReadonlyMap<string, string>;
  /** Status computed last time, keyed like Translation.status; keeps lastTransitionTime stable. */
  previousStatus?: ReadonlyMap<string, unknown>;
  /** Data-plane state per Gateway "namespace/name"; a Gateway missing here counts as programmed. */
  dataPlane?: ReadonlyMap<string, DataPlaneState>;
  /** Addresses of this host, besides loopback and the pool, that a Gateway may ask for. */
  localAddresses?: ReadonlySet<string>;
  /** What the cluster admin lets Gateways bind (graph/bind-policy.ts); default anything of this host. */
  bindPolicy?: BindPolicy;
  /** Where listener policies' access logs may write files (--access-log-dir); none: stdout and stderr only. */
  accessLogDir?: string;
  /** service: Gateway addresses come from each Gateway's data plane Service (per-gateway deployment). */
  addressSource?: AddressSource;
  /** RFC 3339 time used for lastTransitionTime of conditions that changed. */
  now?: string;
  /** Memory between translations; makes small edits cheap, never changes the result. */
  cache?: TranslationCache;
  /**
   * What the data plane cannot program (its DataPlane.checkRule). Required: the core knows no
   * data plane, so whoever wires the program says which one the status speaks for.
   */
  checkRule: RuleChecker;
  /**
   * The `gateway.networking.k8s.io/bundle-version` of the installed Gateway API CRDs, in
   * Kubernetes mode (null: installed without that annotation); decides GatewayClass
   * SupportedVersion. Undefined (standalone): the CRDs are Portico's own, so supported.
   */
  installedBundleVersion?: string | null;
}

export interface Translation {
  graph: Graph;
  /**
   * Desired `status` of every object Portico owns, keyed by objectKey(kind, namespace, name)
   * from src/api/object.ts (e.g. "Gateway/default/web", "GatewayClass//portico").
   */
  status: Map<string, unknown>;
  /** First address per Gateway "namespace/name" (what previousAddresses takes next time). */
  addresses: Map<string, string>;
  /** Data-plane-neutral configuration, one entry per programmable Gateway. */
  ir: IR;
}

/** The whole pure core in one call: resources → graph → status + IR. No I/O. */
export function translate(resources: ResourceSet, options: TranslateOptions): Translation {
  let pool: AddressPool;
  if (typeof options.addressPool === 'string') {
    const parsed = parseAddressPool(options.addressPool);
    if (!parsed.ok) throw new Error(parsed.message);
    pool = parsed.value;
  } else {
    pool = options.addressPool;
  }
  const policy = options.bindPolicy;
  options.cache?.update(resources, `${pool.text}|${[...(options.localAddresses ?? [])].join(',')}|${policy?.addressesText ?? ''}|${policy?.portsText ?? ''}|${options.accessLogDir ?? ''}|${JSON.stringify(options.addressSource ?? 'pool')}`);
  const graph = buildGraph(resources, {
    memo: options.cache?.graph,
    checkRule: options.checkRule,
    pool,
    previousAddresses: options.previousAddresses,
    dataPlane: options.dataPlane,
    localAddresses: options.localAddresses,
    bindPolicy: options.bindPolicy,
    ...(options.accessLogDir ? { accessLogDir: options.accessLogDir } : {}),
    ...(options.addressSource ? { addressSource: options.addressSource } : {}),
    installedBundleVersion: options.installedBundleVersion,
  });
  const status = buildStatus(graph, {
    previousStatus: options.previousStatus,
    now: options.now ?? new Date().toISOString(),
    memo: options.cache?.status,
    ...(options.addressSource ? { addressSource: options.addressSource } : {}),
  });
  const addresses = new Map<string, string>();
  for (const [key, list] of graph.addresses) if (list[0]) addresses.set(key, list[0]);
  return { graph, status, addresses, ir: buildIR(graph, options.cache?.ir) };
}

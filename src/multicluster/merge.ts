/**
 * Multi-Cluster Services without I/O: what the workload clusters export → the ServiceImports and
 * EndpointSlices the config cluster should hold, and each ServiceExport's conditions. Rules of
 * KEP-1645: an import offers the union of its exports' ports; a property the exports disagree on
 * is a conflict, reported on every export of the service and settled in favour of the oldest
 * export (then the cluster name, so the outcome never depends on order of arrival).
 */
import { createHash } from 'node:crypto';
import type { ConditionStatus } from '../api/object.js';
import type { ClusterPhase } from './grace.js';

export const SOURCE_CLUSTER_LABEL = 'multicluster.kubernetes.io/source-cluster';
/** On the ServiceImports and EndpointSlices Portico made: only those are changed or deleted. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'portico-multicluster';
/** Keeps Kubernetes' own EndpointSlice controllers away from the mirrored slices. */
export const SLICE_MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const SLICE_MANAGED_BY = 'multicluster.portico.dev';
/** A ServiceImport condition of Portico's own: whether every exporting cluster answers. */
export const REACHABLE_CONDITION = 'portico.dev/ClustersReachable';

export interface PortIn {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
}

export interface SliceEndpointIn {
  addresses: string[];
  conditions?: { ready?: boolean };
  hostname?: string;
  zone?: string;
}

export interface SliceIn {
  name: string;
  addressType: string;
  endpoints?: SliceEndpointIn[];
  ports?: { name?: string; port?: number; protocol?: string; appProtocol?: string }[];
}

/** One ServiceExport of one workload cluster, with the Service and slices of the same name. */
export interface ExportIn {
  cluster: string;
  namespace: string;
  name: string;
  /** The ServiceExport's creationTimestamp (RFC 3339): the oldest export wins a conflict. */
  created: string;
  generation?: number;
  /** Undefined when the cluster has no Service of that name. */
  service?: { type?: string; clusterIP?: string; ports?: PortIn[] };
  slices: readonly SliceIn[];
}

export interface ConditionOut {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}

export interface ImportPort {
  name?: string;
  protocol: string;
  appProtocol?: string;
  port: number;
}

export interface DesiredImport {
  namespace: string;
  name: string;
  type: 'ClusterSetIP' | 'Headless';
  ports: ImportPort[];
  /** Clusters whose endpoints the import has now (reachable, or within their grace period). */
  clusters: string[];
  conditions: ConditionOut[];
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: true };
  hostname?: string;
  zone?: string;
}

export interface SlicePort {
  name?: string;
  port?: number;
  protocol: string;
  appProtocol?: string;
}

export interface DesiredSlice {
  namespace: string;
  name: string;
  /** The ServiceImport it belongs to (same namespace). */
  importName: string;
  cluster: string;
  addressType: string;
  endpoints: SliceEndpoint[];
  ports: SlicePort[];
}

export interface ExportVerdict {
  cluster: string;
  namespace: string;
  name: string;
  generation?: number;
  conditions: ConditionOut[];
}

export interface MergeResult {
  imports: DesiredImport[];
  slices: DesiredSlice[];
  exports: ExportVerdict[];
}

const cond = (type: string, status: ConditionStatus, reason: string, message: string): ConditionOut => ({ type, status, reason, message });
const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
const listing = (names: readonly string[]) => names.join(', ');

/** Oldest first; the cluster name breaks ties so that every replica picks the same winner. */
function precedence(a: ExportIn, b: ExportIn): number {
  const ta = Date.parse(a.created);
  const tb = Date.parse(b.created);
  if (ta !== tb) return (Number.isNaN(ta) ? Infinity : ta) - (Number.isNaN(tb) ? Infinity : tb) || 0;
  return a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0;
}

function describePort(p: ImportPort): string {
  return `${p.port}/${p.protocol}${p.appProtocol ? ` (appProtocol ${p.appProtocol})` : ''}`;
}

function importPort(p: PortIn): ImportPort {
  return { ...(p.name ? { name: p.name } : {}), protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}), port: p.port };
}

/** The reason an export cannot be exported, or undefined when its Service can be. */
function invalidity(e: ExportIn): ConditionOut | undefined {
  const where = `Service ${e.namespace}/${e.name} in cluster ${e.cluster}`;
  if (!e.service) return cond('Valid', 'False', 'NoService', `${where} does not exist`);
  if (e.service.type === 'ExternalName') return cond('Valid', 'False', 'InvalidServiceType', `${where} is of type ExternalName, which cannot be exported`);
  return undefined;
}

interface Shape {
  type: 'ClusterSetIP' | 'Headless';
  ports: ImportPort[];
  /** Why, by reason (PortConflict, TypeConflict): one message per disagreement. */
  conflicts: Map<string, string[]>;
}

/** Type and ports of the import from valid exports in precedence order, and the conflicts met. */
function shapeOf(valid: readonly ExportIn[]): Shape {
  const conflicts = new Map<string, string[]>();
  const conflict = (reason: string, message: string) => conflicts.set(reason, [...(conflicts.get(reason) ?? []), message]);
  const headless = (e: ExportIn) => e.service?.clusterIP === 'None';
  const first = valid[0];
  const type = first && headless(first) ? 'Headless' : 'ClusterSetIP';
  for (const e of valid.slice(1)) {
    if (first && headless(e) !== headless(first)) {
      conflict('TypeConflict', `cluster ${e.cluster} exports it as ${headless(e) ? 'Headless' : 'ClusterSetIP'}; the oldest export (cluster ${first.cluster}) makes it ${type}`);
    }
  }
  const ports: ImportPort[] = [];
  const byName = new Map<string, { port: ImportPort; cluster: string }>();
  const byNumber = new Map<string, { name: string; cluster: string }>();
  for (const e of valid) {
    for (const raw of e.service?.ports ?? []) {
      const p = importPort(raw);
      const name = p.name ?? '';
      const number = `${p.port}/${p.protocol}`;
      const named = byName.get(name);
      if (named) {
        const w = named.port;
        if (w.port !== p.port || w.protocol !== p.protocol || (w.appProtocol ?? '') !== (p.appProtocol ?? '')) {
          conflict('PortConflict', `port ${JSON.stringify(name)} is ${describePort(p)} in cluster ${e.cluster} and ${describePort(w)} in cluster ${named.cluster}, whose export is older and wins`);
        }
        continue;
      }
      const numbered = byNumber.get(number);
      if (numbered) {
        conflict('PortConflict', `port ${number} is named ${JSON.stringify(name)} in cluster ${e.cluster} and ${JSON.stringify(numbered.name)} in cluster ${numbered.cluster}, whose export is older and wins`);
        continue;
      }
      byName.set(name, { port: p, cluster: e.cluster });
      byNumber.set(number, { name, cluster: e.cluster });
      ports.push(p);
    }
  }
  return { type, ports, conflicts };
}

/** A name for the mirror of `source` that no other cluster's or import's mirror can take. */
export function mirrorSliceName(importName: string, cluster: string, source: string): string {
  const hash = createHash('sha256').update(`${cluster}/${source}`).digest('hex').slice(0, 10);
  return `${importName}-${cluster}-${hash}`;
}

function mirror(e: ExportIn, importName: string): DesiredSlice[] {
  const out: DesiredSlice[] = [];
  for (const s of e.slices) {
    // FQDN slices name hosts, not addresses; the data plane reads IP addresses only.
    if (s.addressType !== 'IPv4' && s.addressType !== 'IPv6') continue;
    const endpoints = (s.endpoints ?? [])
      // An absent ready condition means ready, as for kube-proxy.
      .filter((ep) => ep.conditions?.ready !== false && ep.addresses.length > 0)
      .map((ep): SliceEndpoint => ({ addresses: [...ep.addresses], conditions: { ready: true }, ...(ep.hostname ? { hostname: ep.hostname } : {}), ...(ep.zone ? { zone: ep.zone } : {}) }));
    const ports = (s.ports ?? []).map((p): SlicePort => ({ ...(p.name ? { name: p.name } : {}), ...(p.port !== undefined ? { port: p.port } : {}), protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
    out.push({ namespace: e.namespace, name: mirrorSliceName(importName, e.cluster, s.name), importName, cluster: e.cluster, addressType: s.addressType, endpoints, ports });
  }
  return out;
}

function reachability(clusters: readonly string[], phases: ReadonlyMap<string, ClusterPhase>): ConditionOut {
  const down = clusters
    .map((c) => [c, phases.get(c)] as const)
    .filter((entry): entry is readonly [string, Exclude<ClusterPhase, { phase: 'reachable' }>] => entry[1] !== undefined && entry[1].phase !== 'reachable');
  if (down.length === 0) return cond(REACHABLE_CONDITION, 'True', 'Reachable', 'every cluster that exports it is reachable');
  const iso = (ms: number) => new Date(ms).toISOString();
  const text = down.map(([c, p]) =>
    p.phase === 'grace'
      ? `cluster ${c} is unreachable since ${iso(p.since)}; its endpoints are kept until ${iso(p.until)}`
      : `cluster ${c} is unreachable since ${iso(p.since)}; its endpoints were removed at ${iso(p.until)}`,
  );
  return cond(REACHABLE_CONDITION, 'False', 'Unreachable', text.join('; '));
}

/**
 * The whole desired state. `phases` tells which clusters still count for endpoints (reachable or
 * within the grace period); an expired cluster's last known exports still shape the import
 * (type, ports) and keep it in existence, so routes to it answer 503 (no endpoints) rather than
 * lose their backend. `unmanaged` holds "namespace/name" of ServiceImports someone else made:
 * those, and their endpoints, are left alone. `configNamespaces`, when given, are the namespaces
 * of the config cluster: an export from any other namespace has nowhere to be imported.
 */
export function mergeExports(
  exports: readonly ExportIn[],
  phases: ReadonlyMap<string, ClusterPhase>,
  unmanaged: ReadonlySet<string> = new Set(),
  configNamespaces?: ReadonlySet<string>,
): MergeResult {
  const groups = new Map<string, ExportIn[]>();
  for (const e of exports) {
    const key = `${e.namespace}/${e.name}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const result: MergeResult = { imports: [], slices: [], exports: [] };
  for (const [key, group] of [...groups].sort(byKey(([k]) => k))) {
    const sorted = [...group].sort(precedence);
    const valid = sorted.filter((e) => !invalidity(e));
    const shape = shapeOf(valid);
    const conflictReasons = [...shape.conflicts.keys()].sort();
    const conflictText = [...shape.conflicts.values()].flat().join('; ');
    const isUnmanaged = unmanaged.has(key);
    const namespace = group[0]?.namespace ?? '';
    const noNamespace = configNamespaces !== undefined && !configNamespaces.has(namespace);
    for (const e of sorted) {
      const invalid = invalidity(e);
      const conditions: ConditionOut[] = [];
      if (invalid) {
        conditions.push(invalid, cond('Ready', 'False', 'Failed', `not exported: ${invalid.message}`));
      } else {
        conditions.push(cond('Valid', 'True', 'Valid', `Service ${e.namespace}/${e.name} can be exported`));
        conditions.push(
          conflictReasons.length
            ? cond('Conflict', 'True', conflictReasons.join(','), conflictText)
            : cond('Conflict', 'False', 'NoConflicts', `the exports of ${e.namespace}/${e.name} agree`),
        );
        conditions.push(
          noNamespace
            ? cond('Ready', 'False', 'Failed', `namespace ${namespace} does not exist in the config cluster, where the ServiceImport would be made`)
            : isUnmanaged
              ? cond('Ready', 'False', 'Failed', `ServiceImport ${key} in the config cluster was not made by Portico (no label ${MANAGED_BY_LABEL}=${MANAGED_BY}); Portico leaves it alone`)
              : cond('Ready', 'True', 'Exported', `exported as ServiceImport ${key} in the config cluster`),
        );
      }
      result.exports.push({ cluster: e.cluster, namespace: e.namespace, name: e.name, ...(e.generation !== undefined ? { generation: e.generation } : {}), conditions });
    }
    if (valid.length === 0 || isUnmanaged || noNamespace) continue;
    const name = group[0]?.name ?? '';
    const serving = valid.filter((e) => phases.get(e.cluster)?.phase !== 'expired');
    const clusters = [...new Set(serving.map((e) => e.cluster))].sort();
    const exporting = [...new Set(valid.map((e) => e.cluster))].sort();
    result.imports.push({
      namespace,
      name,
      type: shape.type,
      ports: shape.ports,
      clusters,
      conditions: [
        clusters.length
          ? cond('Ready', 'True', 'Ready', `endpoints from ${clusters.length === 1 ? 'cluster' : 'clusters'} ${listing(clusters)}`)
          : cond('Ready', 'False', 'Pending', `no cluster that exports it (${listing(exporting)}) is reachable`),
        reachability(exporting, phases),
      ],
    });
    for (const e of serving) result.slices.push(...mirror(e, name));
  }
  result.slices.sort(byKey((s) => `${s.namespace}/${s.name}`));
  return result;
}

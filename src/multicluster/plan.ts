/**
 * The writes that take the config cluster from what it holds to what mergeExports wants: the
 * objects themselves (ServiceImports, their status, mirrored EndpointSlices) and which of
 * Portico's own to delete. Objects without Portico's managed-by label are never touched. Pure:
 * the caller reads the existing objects and performs the writes.
 */
import { MULTICLUSTER_SERVICE_NAME_LABEL } from '../api/multicluster.js';
import type { Condition, KubeObject } from '../api/object.js';
import {
  MANAGED_BY,
  MANAGED_BY_LABEL,
  SLICE_MANAGED_BY,
  SLICE_MANAGED_BY_LABEL,
  SOURCE_CLUSTER_LABEL,
  type ConditionOut,
  type DesiredImport,
  type DesiredSlice,
  type MergeResult,
} from './merge.js';

export interface Ref {
  namespace: string;
  name: string;
}

export interface Existing {
  /** Every ServiceImport of the config cluster in the namespaces looked at. */
  imports: readonly KubeObject[];
  /** The EndpointSlices labelled as Portico's mirrors. */
  slices: readonly KubeObject[];
  /** The config cluster's namespaces, when known. */
  namespaces?: ReadonlySet<string>;
}

export interface Plan {
  /** Imports whose spec (or labels) must be written. */
  imports: DesiredImport[];
  /** Imports whose status must be written (after their spec, when both). */
  statuses: DesiredImport[];
  slices: DesiredSlice[];
  deleteSlices: Ref[];
  deleteImports: Ref[];
}

export const isManaged = (o: KubeObject): boolean => o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY;

const refKey = (r: { namespace?: string; name: string }) => `${r.namespace ?? ''}/${r.name}`;

/** "namespace/name" of the imports someone else made. */
export function unmanagedImports(existing: Existing): Set<string> {
  return new Set(existing.imports.filter((o) => !isManaged(o)).map((o) => refKey(o.metadata)));
}

function importLabels(): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY };
}

export function sliceLabels(s: DesiredSlice): Record<string, string> {
  return { [MULTICLUSTER_SERVICE_NAME_LABEL]: s.importName, [SOURCE_CLUSTER_LABEL]: s.cluster, [MANAGED_BY_LABEL]: MANAGED_BY, [SLICE_MANAGED_BY_LABEL]: SLICE_MANAGED_BY };
}

/** The ServiceImport as written: spec and labels (its status goes through the subresource). */
export function importObject(d: DesiredImport, apiVersion: string): KubeObject {
  return { apiVersion, kind: 'ServiceImport', metadata: { name: d.name, namespace: d.namespace, labels: importLabels() }, spec: { type: d.type, ports: d.ports } };
}

/** Conditions with their lastTransitionTime: kept from `previous` while the status stays the same. */
export function withTransitionTimes(conditions: readonly ConditionOut[], previous: readonly Condition[] | undefined, now: string, observedGeneration?: number): Condition[] {
  return conditions.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    return {
      ...c,
      ...(observedGeneration !== undefined ? { observedGeneration } : {}),
      lastTransitionTime: before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now,
    };
  });
}

export function importStatusObject(d: DesiredImport, apiVersion: string, previous: KubeObject | undefined, now: string): KubeObject {
  const before = (previous?.status as { conditions?: Condition[] } | undefined)?.conditions;
  return {
    apiVersion,
    kind: 'ServiceImport',
    metadata: { name: d.name, namespace: d.namespace },
    status: { clusters: d.clusters.map((cluster) => ({ cluster })), conditions: withTransitionTimes(d.conditions, before, now) },
  };
}

export function sliceObject(s: DesiredSlice, owner: { apiVersion: string; uid: string }): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: s.name,
      namespace: s.namespace,
      labels: sliceLabels(s),
      // Deleting the import takes its mirrored endpoints with it (the garbage collector).
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: 'ServiceImport', name: s.importName, uid: owner.uid, controller: true, blockOwnerDeletion: false }],
    },
    addressType: s.addressType,
    endpoints: s.endpoints,
    ports: s.ports,
  };
}

/** Field by field, in one order, so that equal content compares equal whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function sameSpec(o: KubeObject, d: DesiredImport): boolean {
  const spec = (o.spec ?? {}) as { type?: string; ports?: Record<string, unknown>[] };
  // Only the fields Portico writes: anything else a server adds is not a difference.
  const ports = (spec.ports ?? []).map((p) => ({ name: p.name, protocol: p.protocol, appProtocol: p.appProtocol, port: p.port }));
  return isManaged(o) && spec.type === d.type && canonical(ports) === canonical(d.ports);
}

function sameStatus(o: KubeObject, d: DesiredImport): boolean {
  const status = (o.status ?? {}) as { clusters?: { cluster: string }[]; conditions?: Condition[] };
  const clusters = (status.clusters ?? []).map((c) => c.cluster);
  const conditions = (status.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message }));
  return canonical(clusters) === canonical(d.clusters) && canonical(conditions) === canonical(d.conditions);
}

function sameSlice(o: KubeObject, s: DesiredSlice): boolean {
  const labels = o.metadata.labels ?? {};
  if (Object.entries(sliceLabels(s)).some(([k, v]) => labels[k] !== v)) return false;
  if (o.metadata.ownerReferences?.[0]?.name !== s.importName) return false;
  const endpoints = ((o.endpoints ?? []) as Record<string, unknown>[]).map((ep) => ({
    addresses: ep.addresses,
    conditions: { ready: (ep.conditions as { ready?: boolean } | undefined)?.ready },
    ...(ep.hostname ? { hostname: ep.hostname } : {}),
    ...(ep.zone ? { zone: ep.zone } : {}),
  }));
  return o.addressType === s.addressType && canonical(endpoints) === canonical(s.endpoints) && canonical(o.ports ?? []) === canonical(s.ports);
}

/**
 * `held`: clusters whose content is not known yet (not listed since the start, and within their
 * grace period): their mirrors stay as they are, and so do the imports those mirrors belong to.
 */
export function planWrites(desired: MergeResult, existing: Existing, held: ReadonlySet<string> = new Set()): Plan {
  const imports = new Map(existing.imports.map((o) => [refKey(o.metadata), o]));
  const slices = new Map(existing.slices.filter(isManaged).map((o) => [refKey(o.metadata), o]));
  const plan: Plan = { imports: [], statuses: [], slices: [], deleteSlices: [], deleteImports: [] };
  const wantedImports = new Set<string>();
  for (const d of desired.imports) {
    const key = refKey(d);
    const current = imports.get(key);
    // Someone else's import of that name: mergeExports left it out already; this is the guard.
    if (current && !isManaged(current)) continue;
    wantedImports.add(key);
    if (!current || !sameSpec(current, d)) plan.imports.push(d);
    if (!current || !sameStatus(current, d)) plan.statuses.push(d);
  }
  const wantedSlices = new Set<string>();
  for (const s of desired.slices) {
    if (!wantedImports.has(`${s.namespace}/${s.importName}`)) continue;
    const key = refKey(s);
    wantedSlices.add(key);
    const current = slices.get(key);
    if (!current || !sameSlice(current, s)) plan.slices.push(s);
  }
  const keptImports = new Set(wantedImports);
  for (const [key, o] of slices) {
    if (wantedSlices.has(key)) continue;
    const cluster = o.metadata.labels?.[SOURCE_CLUSTER_LABEL] ?? '';
    if (held.has(cluster)) {
      keptImports.add(`${o.metadata.namespace ?? ''}/${o.metadata.labels?.[MULTICLUSTER_SERVICE_NAME_LABEL] ?? ''}`);
      continue;
    }
    plan.deleteSlices.push({ namespace: o.metadata.namespace ?? '', name: o.metadata.name });
  }
  for (const [key, o] of imports) {
    if (isManaged(o) && !keptImports.has(key)) plan.deleteImports.push({ namespace: o.metadata.namespace ?? '', name: o.metadata.name });
  }
  return plan;
}

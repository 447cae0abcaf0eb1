/**
 * The workload clusters → the config cluster: ServiceImports and mirrored EndpointSlices made and
 * kept current, and each ServiceExport's status written back where it lives. Every replica
 * watches the workload clusters (a new leader then knows at once which are reachable and since
 * when); only the leader writes. The endpoints reach the data plane the usual way: the
 * controller's own cache reads the mirrored slices like any other.
 */
import type { Registry } from 'prom-client';
import type { KubeObject } from '../../api/object.js';
import type { Logger } from '../../log.js';
import type { ReflectorTuning } from './cluster-cache.js';
import { objectPath, type ResourceType } from './paths.js';
import { describeAnswer, type KubeTransport, type KubeResponse } from './transport.js';
import { Debouncer } from '../../store/debounce.js';
import { clusterPhase, nextExpiry, type ClusterPhase } from '../../multicluster/grace.js';
import { mergeExports, type MergeResult } from '../../multicluster/merge.js';
import { MultiClusterMetrics } from './multicluster-metrics.js';
import { importObject, importStatusObject, planWrites, sliceObject, unmanagedImports, type Existing, type Plan } from '../../multicluster/plan.js';
import { FIELD_MANAGER, WorkloadCluster } from './workload-cluster.js';
import { MULTICLUSTER_GROUP } from '../../api/kinds.js';

const IMPORT_TYPE: ResourceType = { kind: 'ServiceImport', group: MULTICLUSTER_GROUP, plural: 'serviceimports', namespaced: true, versions: ['v1beta1', 'v1alpha1'] };
const SLICE_TYPE: ResourceType = { kind: 'EndpointSlice', group: 'discovery.k8s.io', plural: 'endpointslices', namespaced: true, versions: ['v1'] };

/** Default of --cluster-grace-period. */
export const DEFAULT_GRACE_MS = 60_000;
/** How soon a failed write is tried again. */
const RETRY_MS = 2000;

export interface WorkloadClusterSettings {
  name: string;
  transport: KubeTransport;
}

export interface MultiClusterSyncOptions {
  clusters: readonly WorkloadClusterSettings[];
  /** The config cluster, where ServiceImports and their slices are written. */
  transport: KubeTransport;
  /** The config cluster's ServiceImports and EndpointSlices as the controller's cache holds them. */
  existing: () => Existing;
  graceMs: number;
  /** Pause between probes of each workload API server; default 5 s. */
  probeIntervalMs?: number;
  namespaces?: readonly string[];
  logger: Logger;
  registry: Registry;
  tuning?: ReflectorTuning;
  now?: () => number;
}

export class MultiClusterSync {
  private readonly members = new Map<string, WorkloadCluster>();
  private started = false;
  readonly metrics: MultiClusterMetrics;
  private readonly debouncer: Debouncer;
  private enabled = false;
  private configSeen = false;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  /** The ServiceImport version the config cluster serves, once found. */
  private importVersion: string | undefined;
  private readonly now: () => number;
  private lastResult: MergeResult | undefined;

  constructor(private readonly options: MultiClusterSyncOptions) {
    this.now = options.now ?? Date.now;
    this.metrics = new MultiClusterMetrics(options.registry);
    this.debouncer = new Debouncer(() => this.reconcile(), { quietMs: 50, maxWaitMs: 500 });
    for (const c of options.clusters) this.members.set(c.name, this.make(c));
  }

  private make(c: WorkloadClusterSettings): WorkloadCluster {
    const { options } = this;
    return new WorkloadCluster({
      name: c.name,
      transport: c.transport,
      logger: options.logger,
      ...(options.namespaces ? { namespaces: options.namespaces } : {}),
      probeIntervalMs: options.probeIntervalMs ?? 5000,
      onChange: () => this.trigger(),
      ...(options.tuning ? { tuning: options.tuning } : {}),
      now: this.now,
    });
  }

  get clusters(): WorkloadCluster[] {
    return [...this.members.values()];
  }

  start(): void {
    this.started = true;
    for (const c of this.clusters) c.start();
  }

  /**
   * A workload cluster joins, or one of that name is read anew with other credentials. A new
   * one counts as not listed yet: the slices mirrored for it stay until it is (or its grace ends).
   */
  async setCluster(settings: WorkloadClusterSettings): Promise<void> {
    if (this.closed) {
      settings.transport.close();
      return;
    }
    const old = this.members.get(settings.name);
    const cluster = this.make(settings);
    this.members.set(settings.name, cluster);
    if (this.started) cluster.start();
    await old?.stop();
    this.trigger();
  }

  /** A workload cluster leaves the cluster set: its exports (and so its endpoints) go with it. */
  async removeCluster(name: string): Promise<void> {
    const old = this.members.get(name);
    if (!old) return;
    this.members.delete(name);
    this.metrics.reachable.remove({ cluster: name });
    this.metrics.serving.remove({ cluster: name });
    await old.stop();
    this.trigger();
  }

  /** Leadership: only the leader writes. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (enabled) this.trigger();
  }

  /** The config cluster's objects changed (a new snapshot of the controller's cache). */
  configChanged(): void {
    this.configSeen = true;
    this.trigger();
  }

  /** The merge last computed (for tests and diagnostics). */
  get last(): MergeResult | undefined {
    return this.lastResult;
  }

  trigger(): void {
    if (!this.closed) this.debouncer.trigger();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.debouncer.cancel();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.all(this.clusters.map((c) => c.stop()));
  }

  private reconcile(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.once()
      .catch((err: unknown) => {
        this.options.logger.error({ err }, 'multi-cluster: reconciling failed');
        this.retryLater();
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.reconcile();
        }
      });
  }

  private retryLater(ms = RETRY_MS): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.trigger(), ms);
  }

  private async once(): Promise<void> {
    const nowMs = this.now();
    const phases = new Map<string, ClusterPhase>();
    for (const c of this.clusters) {
      const phase = clusterPhase({ reachable: c.reachable, startedMs: c.startedMs, ...(c.lastSeenMs !== undefined ? { lastSeenMs: c.lastSeenMs } : {}) }, nowMs, this.options.graceMs);
      phases.set(c.name, phase);
      this.metrics.reachable.set({ cluster: c.name }, c.reachable ? 1 : 0);
      this.metrics.serving.set({ cluster: c.name }, phase.phase === 'expired' ? 0 : 1);
    }
    // The moment a grace period ends is a change of its own.
    const expiry = nextExpiry(phases.values());
    if (this.timer) clearTimeout(this.timer);
    this.timer = expiry !== undefined ? setTimeout(() => this.trigger(), Math.max(0, expiry - nowMs) + 10) : undefined;

    if (!this.configSeen) return;
    const existing = this.options.existing();
    const listed = this.clusters.filter((c) => c.synced);
    const held = new Set(this.clusters.filter((c) => !c.synced && phases.get(c.name)?.phase !== 'expired').map((c) => c.name));
    const result = mergeExports(
      listed.flatMap((c) => c.exports()),
      phases,
      unmanagedImports(existing),
      existing.namespaces,
    );
    this.lastResult = result;
    if (!this.enabled) return;
    const failed = await this.write(planWrites(result, existing, held), existing);
    const stamp = new Date(nowMs).toISOString();
    for (const c of this.clusters) {
      if (!c.reachable || !c.synced) continue;
      c.publishExportStatus(result.exports, stamp, (n) => {
        this.metrics.writes.inc({ kind: 'ServiceExport', result: n ? 'error' : 'ok' });
        if (n) this.retryLater();
      });
    }
    if (failed > 0) this.retryLater();
  }

  private async importRequest(build: (version: string) => { method: 'PATCH' | 'DELETE'; path: string; body?: unknown; query?: Record<string, string | boolean> }): Promise<KubeResponse> {
    const versions = this.importVersion ? [this.importVersion] : IMPORT_TYPE.versions;
    let response: KubeResponse | undefined;
    for (const version of versions) {
      const r = build(version);
      response = await this.options.transport.request({ ...r, ...(r.method === 'PATCH' ? { contentType: 'application/apply-patch+yaml' } : {}) });
      // 404 from a version not served says nothing of the object; try the next version.
      if (response.status === 404 && !this.importVersion && isUnservedVersion(response)) continue;
      // Only a success proves the version served: authorization answers before routing does.
      if (response.status >= 200 && response.status <= 299) this.importVersion ??= version;
      return response;
    }
    return response ?? { status: 404, body: 'ServiceImport is not served by the config cluster' };
  }

  /** Carries out a plan; returns how many writes failed (each logged). */
  private async write(plan: Plan, existing: Existing): Promise<number> {
    const { transport, logger } = this.options;
    let failed = 0;
    const check = (what: string, kind: string, response: KubeResponse, okStatuses: readonly number[] = []): boolean => {
      const ok = (response.status >= 200 && response.status <= 299) || okStatuses.includes(response.status);
      this.metrics.writes.inc({ kind, result: ok ? 'ok' : 'error' });
      if (!ok) {
        failed++;
        logger.warn(`multi-cluster: cannot ${what}: ${describeAnswer(response)}`);
      }
      return ok;
    };
    const attempt = async (what: string, kind: string, fn: () => Promise<KubeResponse>, okStatuses?: readonly number[]): Promise<KubeResponse | undefined> => {
      try {
        const response = await fn();
        return check(what, kind, response, okStatuses) ? response : undefined;
      } catch (err) {
        failed++;
        this.metrics.writes.inc({ kind, result: 'error' });
        logger.warn(`multi-cluster: cannot ${what}: ${(err as Error).message}`);
        return undefined;
      }
    };
    const apply = { fieldManager: FIELD_MANAGER, force: true };
    const owners = new Map<string, { apiVersion: string; uid: string }>();
    for (const o of existing.imports) if (o.metadata.uid) owners.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, { apiVersion: o.apiVersion, uid: o.metadata.uid });
    const previous = new Map(existing.imports.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));

    for (const d of plan.imports) {
      const response = await attempt(`write ServiceImport ${d.namespace}/${d.name}`, 'ServiceImport', () =>
        this.importRequest((version) => ({ method: 'PATCH', path: objectPath(IMPORT_TYPE, version, d.namespace, d.name), query: apply, body: importObject(d, `${MULTICLUSTER_GROUP}/${version}`) })),
      );
      const written = response?.body as KubeObject | undefined;
      if (written?.metadata?.uid) owners.set(`${d.namespace}/${d.name}`, { apiVersion: written.apiVersion, uid: written.metadata.uid });
    }
    const stamp = new Date(this.now()).toISOString();
    for (const d of plan.statuses) {
      const key = `${d.namespace}/${d.name}`;
      if (!owners.has(key)) continue;
      await attempt(`write the status of ServiceImport ${key}`, 'ServiceImport/status', () =>
        this.importRequest((version) => ({ method: 'PATCH', path: objectPath(IMPORT_TYPE, version, d.namespace, d.name, 'status'), query: apply, body: importStatusObject(d, `${MULTICLUSTER_GROUP}/${version}`, previous.get(key), stamp) })),
      );
    }
    for (const s of plan.slices) {
      const owner = owners.get(`${s.namespace}/${s.importName}`);
      // Its import could not be written: the slice waits for the next round.
      if (!owner) continue;
      await attempt(`write EndpointSlice ${s.namespace}/${s.name}`, 'EndpointSlice', () =>
        transport.request({ method: 'PATCH', path: objectPath(SLICE_TYPE, 'v1', s.namespace, s.name), query: apply, contentType: 'application/apply-patch+yaml', body: sliceObject(s, owner) }),
      );
    }
    for (const r of plan.deleteSlices) {
      await attempt(`delete EndpointSlice ${r.namespace}/${r.name}`, 'EndpointSlice', () => transport.request({ method: 'DELETE', path: objectPath(SLICE_TYPE, 'v1', r.namespace, r.name) }), [404]);
    }
    for (const r of plan.deleteImports) {
      await attempt(`delete ServiceImport ${r.namespace}/${r.name}`, 'ServiceImport', () => this.importRequest((version) => ({ method: 'DELETE', path: objectPath(IMPORT_TYPE, version, r.namespace, r.name) })), [404]);
    }
    if (plan.imports.length + plan.slices.length + plan.deleteSlices.length + plan.deleteImports.length > 0) {
      logger.debug(
        { imports: plan.imports.length, statuses: plan.statuses.length, slices: plan.slices.length, deletedSlices: plan.deleteSlices.length, deletedImports: plan.deleteImports.length },
        'multi-cluster: config cluster updated',
      );
    }
    return failed;
  }
}

/** A 404 for the whole resource path (the version is not served), rather than for one object. */
function isUnservedVersion(response: KubeResponse): boolean {
  const body = response.body as { details?: { name?: string } } | string | undefined;
  // The API server names the object in the details of an object's NotFound; a path it does not
  // serve at all gets a plain 404 page.
  return typeof body !== 'object' || body === null || body.details?.name === undefined;
}

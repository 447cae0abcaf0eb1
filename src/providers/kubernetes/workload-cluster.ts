/**
 * One workload cluster as the controller sees it: its ServiceExports, Services and EndpointSlices
 * mirrored by reflectors (the kubernetes provider's, so outages are retried and the last content
 * is kept), whether its API server answers (a probe of /readyz, which any authenticated user may
 * read), and the one write Portico makes there: the ServiceExports' status.
 */
import { MULTICLUSTER_GROUP, kindInfo } from '../../api/kinds.js';
import { versionOf, type Condition, type KubeObject } from '../../api/object.js';
import type { Logger } from '../../log.js';
import type { ReflectorTuning } from './cluster-cache.js';
import { objectPath, type ResourceType } from './paths.js';
import { Reflector } from './reflector.js';
import { describeAnswer, type KubeTransport } from './transport.js';
import type { ExportIn, ExportVerdict, SliceIn } from '../../multicluster/merge.js';
import { withTransitionTimes } from '../../multicluster/plan.js';

export const SERVICE_EXPORT_TYPE: ResourceType = { kind: 'ServiceExport', group: MULTICLUSTER_GROUP, plural: 'serviceexports', namespaced: true, versions: ['v1alpha1', 'v1beta1'] };

function known(kind: 'Service' | 'EndpointSlice'): ResourceType {
  const info = kindInfo(kind);
  if (!info) throw new Error(`${kind} is missing from the kinds table`);
  return info;
}

/** The field manager of Portico's writes in every cluster. */
export const FIELD_MANAGER = 'portico-multicluster';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface WorkloadClusterOptions {
  name: string;
  transport: KubeTransport;
  logger: Logger;
  /** Namespaced kinds from these namespaces only; default every namespace. */
  namespaces?: readonly string[];
  /** Pause between probes of the API server. */
  probeIntervalMs: number;
  /** Called when the content or the reachability changed. */
  onChange: () => void;
  tuning?: ReflectorTuning;
  now?: () => number;
}

interface ServiceObject extends KubeObject {
  spec?: { type?: string; clusterIP?: string; ports?: { name?: string; protocol?: string; appProtocol?: string; port: number }[] };
}

export class WorkloadCluster {
  readonly name: string;
  readonly startedMs: number;
  private _reachable = false;
  private _lastSeenMs: number | undefined;
  private _problem: string | undefined;
  private readonly exportReflectors: Reflector[];
  private readonly serviceReflectors: Reflector[];
  private readonly sliceReflectors: Reflector[];
  private stopped = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;
  private readonly now: () => number;
  private pending: { verdicts: readonly ExportVerdict[]; now: string } | undefined;
  private writing: Promise<void> | undefined;

  constructor(private readonly options: WorkloadClusterOptions) {
    this.name = options.name;
    this.now = options.now ?? Date.now;
    this.startedMs = this.now();
    const scopes = options.namespaces?.length ? [...new Set(options.namespaces)] : [undefined];
    const logger = options.logger.child({ cluster: options.name });
    const make = (type: ResourceType, labelSelector?: string) =>
      scopes.map(
        (namespace) =>
          new Reflector({ transport: options.transport, type, namespace, logger, onChange: () => options.onChange(), ...(labelSelector ? { labelSelector } : {}), ...options.tuning }),
      );
    this.exportReflectors = make(SERVICE_EXPORT_TYPE);
    this.serviceReflectors = make(known('Service'));
    // Only slices that belong to a Service can hold an export's endpoints.
    this.sliceReflectors = make(known('EndpointSlice'), SERVICE_NAME_LABEL);
  }

  private get reflectors(): Reflector[] {
    return [...this.exportReflectors, ...this.serviceReflectors, ...this.sliceReflectors];
  }

  /** Every kind listed at least once since the start: its content is known. */
  get synced(): boolean {
    return this.reflectors.every((r) => r.synced);
  }

  get reachable(): boolean {
    return this._reachable;
  }

  get lastSeenMs(): number | undefined {
    return this._lastSeenMs;
  }

  /** Why the last probe failed. */
  get problem(): string | undefined {
    return this._problem;
  }

  start(): void {
    for (const r of this.reflectors) r.start();
    this.probing = this.probe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    await Promise.all([...this.reflectors.map((r) => r.stop()), this.probing]);
    // Closing the transport ends a status write that hangs, so that nothing waits for it.
    this.options.transport.close();
    await this.writing;
  }

  /**
   * Has the conditions of this cluster's exports written in the background, the newest verdicts
   * replacing any not yet written: a workload API server that hangs must not hold up the config
   * cluster's writes, which decide where traffic goes. `done` gets the number of failed writes.
   */
  publishExportStatus(verdicts: readonly ExportVerdict[], now: string, done: (failed: number) => void): void {
    this.pending = { verdicts, now };
    if (this.writing) return;
    this.writing = (async () => {
      while (this.pending && !this.stopped) {
        const { verdicts: next, now: stamp } = this.pending;
        this.pending = undefined;
        done(await this.writeExportStatus(next, stamp));
      }
    })().finally(() => (this.writing = undefined));
  }

  private async probe(): Promise<void> {
    if (this.stopped) return;
    let problem: string | undefined;
    try {
      const response = await this.options.transport.request({ method: 'GET', path: '/readyz', timeoutMs: Math.max(1000, Math.min(5000, this.options.probeIntervalMs * 2)) });
      if (response.status !== 200) problem = `GET /readyz answered ${describeAnswer(response)}`;
    } catch (err) {
      problem = (err as Error).message;
    }
    if (this.stopped) return;
    const was = this._reachable;
    this._reachable = problem === undefined;
    this._problem = problem;
    if (this._reachable) this._lastSeenMs = this.now();
    if (was !== this._reachable) {
      if (this._reachable) this.options.logger.info({ cluster: this.name }, `cluster ${this.name}: API server reachable`);
      else this.options.logger.warn({ cluster: this.name, problem }, `cluster ${this.name}: API server unreachable: ${problem ?? ''}`);
      this.options.onChange();
    }
    this.probeTimer = setTimeout(() => (this.probing = this.probe()), this.options.probeIntervalMs);
  }

  /** What the cluster exports, as last seen (kept while its API server is away). */
  exports(): ExportIn[] {
    const services = new Map<string, ServiceObject>();
    for (const r of this.serviceReflectors) for (const o of r.objects()) services.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o as ServiceObject);
    const slices = new Map<string, SliceIn[]>();
    for (const r of this.sliceReflectors) {
      for (const o of r.objects()) {
        const key = `${o.metadata.namespace ?? ''}/${o.metadata.labels?.[SERVICE_NAME_LABEL] ?? ''}`;
        const slice: SliceIn = { name: o.metadata.name, addressType: String(o.addressType ?? ''), endpoints: (o.endpoints ?? []) as SliceIn['endpoints'], ports: (o.ports ?? []) as SliceIn['ports'] };
        slices.set(key, [...(slices.get(key) ?? []), slice]);
      }
    }
    const out: ExportIn[] = [];
    for (const r of this.exportReflectors) {
      for (const e of r.objects()) {
        const namespace = e.metadata.namespace ?? '';
        const key = `${namespace}/${e.metadata.name}`;
        const service = services.get(key);
        out.push({
          cluster: this.name,
          namespace,
          name: e.metadata.name,
          created: e.metadata.creationTimestamp ?? '',
          ...(e.metadata.generation !== undefined ? { generation: e.metadata.generation } : {}),
          ...(service ? { service: service.spec ?? {} } : {}),
          slices: slices.get(key) ?? [],
        });
      }
    }
    return out;
  }

  private exportObject(namespace: string, name: string): KubeObject | undefined {
    for (const r of this.exportReflectors) {
      if (r.namespace !== undefined && r.namespace !== namespace) continue;
      const o = r.get(namespace, name);
      if (o) return o;
    }
    return undefined;
  }

  /**
   * Writes the conditions of this cluster's exports where they differ from what the cluster
   * holds. Returns how many writes failed (logged).
   */
  async writeExportStatus(verdicts: readonly ExportVerdict[], now: string): Promise<number> {
    let failed = 0;
    for (const v of verdicts) {
      if (v.cluster !== this.name) continue;
      const current = this.exportObject(v.namespace, v.name);
      if (!current) continue;
      const before = (current.status as { conditions?: Condition[] } | undefined)?.conditions;
      const conditions = withTransitionTimes(v.conditions, before, now, v.generation);
      const strip = (cs: readonly Condition[] | undefined) => JSON.stringify((cs ?? []).map((c) => [c.type, c.status, c.reason, c.message, c.observedGeneration]).sort());
      if (strip(before) === strip(conditions)) continue;
      const version = versionOf(current.apiVersion);
      const path = objectPath(SERVICE_EXPORT_TYPE, version, v.namespace, v.name, 'status');
      try {
        const response = await this.options.transport.request({
          method: 'PATCH',
          path,
          timeoutMs: 10_000,
          query: { fieldManager: FIELD_MANAGER, force: true },
          contentType: 'application/apply-patch+yaml',
          body: { apiVersion: current.apiVersion, kind: 'ServiceExport', metadata: { name: v.name, namespace: v.namespace }, status: { conditions } },
        });
        // Deleted meanwhile: nothing left to report on.
        if (response.status === 404) continue;
        if (response.status < 200 || response.status > 299) {
          failed++;
          this.options.logger.warn({ cluster: this.name }, `cluster ${this.name}: cannot write the status of ServiceExport ${v.namespace}/${v.name}: ${describeAnswer(response)}`);
        }
      } catch (err) {
        failed++;
        this.options.logger.warn({ cluster: this.name }, `cluster ${this.name}: cannot write the status of ServiceExport ${v.namespace}/${v.name}: ${(err as Error).message}`);
      }
    }
    return failed;
  }
}

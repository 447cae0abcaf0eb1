import type { AddressSource } from '../api/data-plane-names.js';
import { performance } from 'node:perf_hooks';
import type { DataPlaneState, GatewayConfigView } from '../api/data-plane.js';
import type { ViewTree } from '../api/view-tree.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import {
  translate as coreTranslate,
  TranslationCache,
  type TranslateOptions,
  type Translation,
} from '../pipeline/translate.js';
import type { BindPolicy } from '../graph/bind-policy.js';
import { endpointSliceChanges, withServiceEndpoints } from '../pipeline/endpoint-patch.js';
import { buildViewTree } from '../pipeline/view-tree.js';
import { ResourceSet } from '../store/resources.js';
import type { DataPlane } from './dataplane.js';

export type TranslateFn = (resources: ResourceSet, options: TranslateOptions) => Translation;

export interface RuntimeOptions {
  addressPool: string;
  dataPlane: DataPlane;
  logger: Logger;
  metrics?: Metrics;
  /** The core; replaceable in tests. */
  translate?: TranslateFn;
  /** Addresses of this host a Gateway may ask for (see localAddresses()). */
  localAddresses?: ReadonlySet<string>;
  /** What the cluster admin lets Gateways bind. */
  bindPolicy?: BindPolicy;
  /** Where access logs may write files (--access-log-dir). */
  accessLogDir?: string;
  /** Where Gateway addresses come from: the pool (default), or data plane Services (deployment modes per-gateway and shared). */
  addressSource?: AddressSource;
  /** Clock for lastTransitionTime; replaceable in tests. */
  now?: () => Date;
}

/** What was last applied: the snapshot, its translation, and what the data plane said about it. */
export interface AppliedState {
  resources: ResourceSet;
  /**
   * After a change of EndpointSlices alone, the previous translation with the new endpoints in
   * its IR (endpoint-patch.ts): its graph still holds the endpoints it was built with.
   */
  translation: Translation;
  dataPlane: ReadonlyMap<string, DataPlaneState>;
  appliedAt: Date;
}

/**
 * The loop from snapshots to the data plane: translate, apply the IR, translate again when the
 * data plane's answer changed (so Programmed tells the truth), and keep the result for readers.
 * Snapshots arriving while one is being applied are coalesced: only the newest is processed next.
 */
export class Runtime {
  private state: AppliedState | undefined;
  private dataPlaneState: ReadonlyMap<string, DataPlaneState> = new Map();
  private pending: ResourceSet | undefined;
  private draining: Promise<void> | undefined;
  private readonly translateFn: TranslateFn;
  /** Lets the core redo only what an edit touched; the result is the same without it. */
  private readonly cache = new TranslationCache();
  private readonly now: () => Date;
  /** Counts the states applied; the web view's tree says which one it shows. */
  private version = 0;
  private readonly appliedListeners = new Set<(version: number) => void>();
  /** Built when first asked for, once per state: nothing is spent on it while nobody looks. */
  private tree: { state: AppliedState; tree: ViewTree } | undefined;

  constructor(private readonly options: RuntimeOptions) {
    this.translateFn = options.translate ?? coreTranslate;
    this.now = options.now ?? (() => new Date());
  }

  /** Ready once the first full translation has been applied to the data plane. */
  isReady(): boolean {
    return this.state !== undefined;
  }

  get current(): AppliedState | undefined {
    return this.state;
  }

  /** The snapshot the current status was computed from (empty before the first translation). */
  resources(): ResourceSet {
    return this.state?.resources ?? EMPTY;
  }

  /** Portico's status for objectKey(kind, namespace, name), when Portico owns that object. */
  statusOf(key: string): unknown {
    return this.state?.translation.status.get(key);
  }

  /** The resource tree of the state last applied (see pipeline/view-tree.ts). */
  viewTree(): ViewTree {
    const state = this.state;
    if (!state) return { version: this.version, namespaces: [], roots: [] };
    if (this.tree?.state !== state) this.tree = { state, tree: buildViewTree(state.translation.graph, this.version) };
    return this.tree.tree;
  }

  /** The data plane's configuration of a Gateway "namespace/name", when it can show one. */
  dataPlaneConfig(gateway: string): GatewayConfigView | undefined {
    return this.options.dataPlane.describe?.(gateway);
  }

  /** Calls `listener` with the new version after each state applied, until the returned function is called. */
  onApplied(listener: (version: number) => void): () => void {
    this.appliedListeners.add(listener);
    return () => this.appliedListeners.delete(listener);
  }

  private setState(state: AppliedState): void {
    this.state = state;
    this.version++;
    for (const listener of this.appliedListeners) {
      try {
        listener(this.version);
      } catch (err) {
        this.options.logger.error({ err }, 'a listener to applied states failed');
      }
    }
  }

  /** A snapshot is being processed or waits to be. */
  get busy(): boolean {
    return this.draining !== undefined;
  }

  /** Resolves once no snapshot is being processed (for shutdown: nothing reaches the data plane after). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Queues a snapshot; resolves once it (or a newer one) has been processed. */
  update(resources: ResourceSet): Promise<void> {
    this.pending = resources;
    if (!this.draining) this.draining = this.drain();
    return this.draining;
  }

  private async drain(): Promise<void> {
    await null; // let update() store this promise before anything below can finish
    try {
      while (this.pending) {
        const resources = this.pending;
        this.pending = undefined;
        await this.process(resources);
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async process(resources: ResourceSet): Promise<void> {
    const { logger, metrics, dataPlane } = this.options;
    const now = this.now();
    if (await this.moveEndpoints(resources, now)) return;
    const previous = this.state?.translation;
    const run = (dataPlaneState: ReadonlyMap<string, DataPlaneState>): Translation | undefined => {
      const started = performance.now();
      try {
        const translation = this.translateFn(resources, {
          addressPool: this.options.addressPool,
          previousAddresses: previous?.addresses,
          previousStatus: previous?.status,
          dataPlane: dataPlaneState,
          localAddresses: this.options.localAddresses,
          bindPolicy: this.options.bindPolicy,
          ...(this.options.accessLogDir ? { accessLogDir: this.options.accessLogDir } : {}),
          ...(this.options.addressSource ? { addressSource: this.options.addressSource } : {}),
          now: rfc3339(now),
          cache: this.cache,
          checkRule: dataPlane.checkRule,
        });
        metrics?.translationsTotal.inc({ result: 'success' });
        return translation;
      } catch (err) {
        metrics?.translationsTotal.inc({ result: 'error' });
        logger.error({ err }, 'translation failed; keeping the previous configuration');
        return undefined;
      } finally {
        metrics?.translationDuration.observe((performance.now() - started) / 1000);
      }
    };

    let translation = run(this.dataPlaneState);
    if (!translation) return;

    let reported: Map<string, DataPlaneState>;
    try {
      reported = await dataPlane.apply(translation.ir);
    } catch (err) {
      logger.error({ err }, 'the data plane did not take the new configuration; keeping the previous one');
      return;
    }
    if (!sameDataPlaneState(reported, this.dataPlaneState)) {
      this.dataPlaneState = reported;
      translation = run(reported) ?? translation;
    }

    const first = !this.state;
    this.setState({ resources, translation, dataPlane: this.dataPlaneState, appliedAt: now });
    metrics?.lastSuccessfulTranslation.set(now.getTime() / 1000);
    metrics?.setObjectCounts(countByKind(resources));
    logger.debug({ objects: resources.size, owned: translation.status.size }, 'translation applied');
    if (first) logger.info({ objects: resources.size }, 'ready: first translation applied');
  }

  /**
   * Applies a snapshot that differs from the last one only in EndpointSlices without translating
   * it: the last IR with those Services' endpoints read again (endpoint-patch.ts). False when that
   * does not apply, or when the data plane's answer changed and status must be computed again.
   */
  private async moveEndpoints(resources: ResourceSet, now: Date): Promise<boolean> {
    const last = this.state;
    if (!last) return false;
    const services = endpointSliceChanges(last.resources, resources);
    if (!services) return false;
    const ir = withServiceEndpoints(last.translation.ir, resources, services);
    if (!ir) return false;
    let reported: Map<string, DataPlaneState>;
    try {
      reported = await this.options.dataPlane.apply(ir);
    } catch (err) {
      this.options.logger.error({ err }, 'the data plane did not take the new endpoints; translating again');
      return false;
    }
    if (!sameDataPlaneState(reported, this.dataPlaneState)) return false;
    this.setState({ resources, translation: { ...last.translation, ir }, dataPlane: this.dataPlaneState, appliedAt: now });
    this.options.logger.debug({ services: services.size }, 'endpoints applied without a translation');
    return true;
  }
}

const EMPTY = new ResourceSet();

/** RFC 3339 in UTC with whole seconds, as Kubernetes writes timestamps. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function countByKind(resources: ResourceSet): Map<string, number> {
  const counts = new Map<string, number>();
  for (const obj of resources.all()) counts.set(obj.kind, (counts.get(obj.kind) ?? 0) + 1);
  return counts;
}

/** Equal as the core reads them: a Gateway absent from a map counts as programmed. */
function sameDataPlaneState(a: ReadonlyMap<string, DataPlaneState>, b: ReadonlyMap<string, DataPlaneState>): boolean {
  // A plain { programmed: true } says nothing beyond absence; anything else is compared in full.
  const notPlain = (m: ReadonlyMap<string, DataPlaneState>): string =>
    JSON.stringify([...m].filter(([, s]) => !s.programmed || s.unservedListeners || s.refusedRoutes).sort(([x], [y]) => (x < y ? -1 : 1)));
  return notPlain(a) === notPlain(b);
}

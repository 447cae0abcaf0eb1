/**
 * Writes the translation's status back to the API server, through each object's `status`
 * subresource, only where it differs from what the object already carries. A steady state makes
 * no request at all.
 *
 * - Compared canonically (key order does not matter). When the API server stores something other
 *   than what was sent (it prunes or defaults), the pair is remembered, so that difference alone
 *   never causes another write.
 * - Optimistic concurrency: the write carries the resourceVersion the status was computed from.
 *   On 409 Conflict the object is read again and offered to the cache; the new snapshot is
 *   translated again and the writer gets another chance with the newest object.
 * - After a write, the object is not written again until the watch has delivered a newer version
 *   of it (our own write, normally): until then the cache cannot tell what the object holds.
 * - Bounded concurrency; failures other than conflicts are retried with backoff, except requests
 *   the API server refuses as invalid, which wait until the status or the object changes.
 */
import { CONTROLLER_NAME, isRouteKind, kindInfo, ROUTE_KINDS, type KindName } from '../../api/kinds.js';
import { keyOf, parseObjectKey, versionOf, type KubeObject } from '../../api/object.js';
import type { Logger } from '../../log.js';
import { canonicalJson, canonicalJsonOf } from '../../store/canonical.js';
import type { ResourceSet } from '../../store/resources.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { ConcurrencyLimit } from './limit.js';
import type { KubeMetrics } from './metrics.js';
import { objectPath } from './paths.js';
import { describeAnswer, type KubeTransport } from './transport.js';

export interface StatusWriterOptions {
  transport: KubeTransport;
  logger: Logger;
  /** The object as the watch last delivered it; undefined when gone. */
  lookup(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** A copy read after a conflict, newer than `staleVersion`, for the cache to take. */
  offer(kind: string, namespace: string | undefined, name: string, raw: unknown, staleVersion: string): void;
  /** Writes in flight at once; default 64. */
  concurrency?: number;
  /** Default "portico". */
  fieldManager?: string;
  retry?: BackoffOptions;
  /** How long a write may stay unseen by the watch before the object is written again anyway; default 60 s. */
  unseenWriteMs?: number;
  metrics?: KubeMetrics;
}


interface Target {
  key: string;
  /** As the snapshot the status was computed from holds it. */
  object: KubeObject;
  status: unknown;
}

export class StatusWriter {
  private enabled = false;
  private desired: { resources: ResourceSet; status: ReadonlyMap<string, unknown> } | undefined;
  private readonly inFlight = new Set<string>();
  /** Written from this resourceVersion, at this time; cleared once the cache has moved past it. */
  private readonly unseen = new Map<string, { from: string; at: number }>();
  /** What the server stored for what we sent, where the two differ. */
  private readonly normalised = new Map<string, { sent: string; stored: string }>();
  /** Refused as invalid at this resourceVersion with this status: not tried again as is. */
  private readonly refused = new Map<string, { version: string; status: string }>();
  /** Failed (or conflicted) at this resourceVersion: left alone until the retry timer or a newer version. */
  private readonly held = new Map<string, string>();
  private readonly limit: ConcurrencyLimit;
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  private passQueued = false;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: StatusWriterOptions) {
    // Writes wait on the API server more than on us: 64 in flight took 1,000 route statuses from 15 s to 6 s.
    this.limit = new ConcurrencyLimit(options.concurrency ?? 64);
    this.backoff = new Backoff({ initialMs: 500, maxMs: 30_000, ...options.retry });
  }

  /** Only an enabled writer writes (the leader's); enabling writes whatever differs at once. */
  setEnabled(enabled: boolean): void {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    if (enabled) {
      this.refused.clear();
      this.held.clear();
      this.schedulePass();
    } else if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** The snapshot of the newest translation handed over, for tests that wait for a settled state. */
  get latest(): ResourceSet | undefined {
    return this.desired?.resources;
  }

  /** The newest translation: its status, and the snapshot it was computed from. */
  update(resources: ResourceSet, status: ReadonlyMap<string, unknown>): void {
    this.desired = { resources, status };
    this.schedulePass();
  }

  /** Resolves once no write is in flight or queued (for tests and shutdown). */
  idle(): Promise<void> {
    if (this.inFlight.size === 0 && !this.passQueued) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.enabled = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private schedulePass(): void {
    if (this.passQueued) return;
    this.passQueued = true;
    queueMicrotask(() => {
      this.passQueued = false;
      this.pass();
      this.checkIdle();
    });
  }

  private checkIdle(): void {
    if (this.inFlight.size > 0 || this.passQueued) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private pass(): void {
    if (!this.enabled || this.closed || !this.desired) return;
    const { resources, status } = this.desired;
    this.forgetOthers(resources, status);
    for (const [key, value] of status) {
      const object = objectAt(resources, key);
      if (object) this.consider({ key, object, status: value });
    }
    // Routes no longer attached to any Gateway of ours get no status from the core, yet may still
    // carry the entries we wrote when they were: those entries are ours to remove.
    for (const kind of ROUTE_KINDS) {
      for (const object of resources.list(kind)) {
        const key = keyOf(object);
        if (status.has(key)) continue;
        const cleaned = withoutOurEntries(object);
        if (cleaned) this.consider({ key, object, status: cleaned });
      }
    }
  }

  /**
   * Looks at one object again, after its write ended: the rest of the desired state was looked at
   * when it arrived (a whole pass per finished write would make a burst of n writes cost n²).
   */
  private reconsider(key: string): void {
    if (!this.enabled || this.closed || !this.desired) return;
    const { resources, status } = this.desired;
    const object = objectAt(resources, key);
    if (!object) return;
    const value = status.has(key) ? status.get(key) : isRouteKind(object.kind) ? withoutOurEntries(object) : undefined;
    if (value !== undefined) this.consider({ key, object, status: value });
  }

  /** Drops what is remembered of objects that are gone or no longer ours, so memory does not grow with churn. */
  private forgetOthers(resources: ResourceSet, status: ReadonlyMap<string, unknown>): void {
    for (const map of [this.unseen, this.normalised, this.refused, this.held]) {
      for (const key of map.keys()) {
        if (status.has(key) || this.inFlight.has(key)) continue;
        if (!objectAt(resources, key)) map.delete(key);
      }
    }
  }

  private consider(target: Target): void {
    const { key, object } = target;
    if (this.inFlight.has(key)) return; // looked at again when that write ends
    const version = object.metadata.resourceVersion ?? '';
    const live = this.options.lookup(object.kind, object.metadata.namespace, object.metadata.name);
    // Gone, or changed since this snapshot: a newer translation is on its way.
    if (!live || live.metadata.resourceVersion !== version) return;
    const unseen = this.unseen.get(key);
    if (unseen) {
      if (unseen.from === version && Date.now() - unseen.at < (this.options.unseenWriteMs ?? 60_000)) return;
      this.unseen.delete(key);
    }
    const want = canonicalJsonOf(target.status);
    const have = canonicalJsonOf(object.status);
    if (want === have) return;
    const normalised = this.normalised.get(key);
    if (normalised && normalised.sent === want && normalised.stored === have) return;
    const refused = this.refused.get(key);
    if (refused && refused.version === version && refused.status === want) return;
    if (this.held.get(key) === version) return;
    this.held.delete(key);
    this.write(target, version, want);
  }

  private write(target: Target, version: string, want: string): void {
    const { key, object } = target;
    const { kind } = object;
    const info = kindInfo(kind);
    if (!info) return;
    this.inFlight.add(key);
    const path = objectPath(info, versionOf(object.apiVersion), object.metadata.namespace, object.metadata.name, 'status');
    const count = (result: string) => this.options.metrics?.statusWrites.inc({ kind, result });
    const log = this.options.logger;
    void this.limit
      .run(async () => {
        if (!this.enabled || this.closed) return;
        let response;
        try {
          response = await this.options.transport.request({
            method: 'PUT',
            path,
            query: { fieldManager: this.options.fieldManager ?? 'portico' },
            body: { ...object, status: target.status },
          });
        } catch (err) {
          count('error');
          log.warn({ object: key }, `status of ${key} not written: ${(err as Error).message}; retrying`);
          this.hold(key, version);
          return;
        }
        switch (response.status) {
          case 200:
          case 201: {
            count('ok');
            this.backoff.reset();
            this.refused.delete(key);
            this.unseen.set(key, { from: version, at: Date.now() });
            const stored = canonicalJson((response.body as { status?: unknown } | undefined)?.status);
            if (stored !== want) {
              this.normalised.set(key, { sent: want, stored });
              log.debug({ object: key }, 'the API server stored the status differently from what was sent');
            } else {
              this.normalised.delete(key);
            }
            log.debug({ object: key }, 'status written');
            return;
          }
          case 409: {
            count('conflict');
            log.debug({ object: key }, 'status write conflicted; reading the object again');
            // Not again at this version: the newer one (re-read, or from the watch) comes next.
            this.hold(key, version);
            await this.reread(target, version, path);
            return;
          }
          case 404:
            count('not_found');
            return;
          case 400:
          case 422:
            count('invalid');
            this.refused.set(key, { version, status: want });
            log.error({ object: key }, `the API server refused the status of ${key}: ${describeAnswer(response)}`);
            return;
          default:
            count('error');
            log.warn({ object: key }, `status of ${key} not written: ${describeAnswer(response)}; retrying`);
            this.hold(key, version);
        }
      })
      .catch((err: unknown) => log.error({ err, object: key }, 'status write failed unexpectedly'))
      .finally(() => {
        this.inFlight.delete(key);
        // A newer translation may have arrived meanwhile (its pass skipped this object while in
        // flight), or this object may need another try.
        this.reconsider(key);
        this.checkIdle();
      });
  }

  /** After a conflict: hand the newest object to the cache, so the next translation uses it. */
  private async reread(target: Target, version: string, statusPath: string): Promise<void> {
    const path = statusPath.replace(/\/status$/, '');
    try {
      const response = await this.options.transport.request({ method: 'GET', path });
      const { kind, metadata } = target.object;
      if (response.status === 200) this.options.offer(kind, metadata.namespace, metadata.name, response.body, version);
      else if (response.status !== 404) this.scheduleRetry();
    } catch {
      this.scheduleRetry();
    }
  }

  /** Keeps `key` from being written at `version` until the retry timer fires (with backoff). */
  private hold(key: string, version: string): void {
    this.held.set(key, version);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.held.clear();
      this.schedulePass();
    }, this.backoff.next());
  }
}

/** The object `key` (objectKey) names in `resources`. */
function objectAt(resources: ResourceSet, key: string): KubeObject | undefined {
  const { kind, namespace, name } = parseObjectKey(key);
  return resources.get(kind as KindName, namespace, name);
}

/** A route's status without Portico's parent entries, or undefined when it has none. */
function withoutOurEntries(object: KubeObject): unknown {
  const parents = (object.status as { parents?: { controllerName?: string }[] } | undefined)?.parents;
  if (!parents?.some((p) => p.controllerName === CONTROLLER_NAME)) return undefined;
  return { ...(object.status as object), parents: parents.filter((p) => p.controllerName !== CONTROLLER_NAME) };
}

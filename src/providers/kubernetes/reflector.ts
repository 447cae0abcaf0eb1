/**
 * Mirrors one resource type (in one namespace, or cluster-wide) from the API server into memory:
 * list (paginated), then watch from the list's resourceVersion with bookmarks, re-list when the
 * server says the version is gone (410) or the stream reports an error, and reconnect with capped
 * backoff after any failure. It never throws: problems are logged and retried, and the cache
 * keeps its last content meanwhile.
 */
import type { KubeObject } from '../../api/object.js';
import type { Logger } from '../../log.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { decodeObject } from './decode.js';
import type { KubeMetrics } from './metrics.js';
import { collectionPath, type ResourceType } from './paths.js';
import { describeAnswer, type KubeTransport, type WatchEnd } from './transport.js';

export interface ReflectorOptions {
  transport: KubeTransport;
  type: ResourceType;
  /** Only this namespace (namespaced types); default every namespace. */
  namespace?: string;
  logger: Logger;
  /** Called after the content changed, and once when the first list is done (even if empty). */
  onChange: () => void;
  /** Default decodeObject; returning undefined leaves the object out. */
  decode?: (raw: unknown, type: ResourceType, version: string) => KubeObject | undefined;
  backoff?: BackoffOptions;
  /** How often a type whose CRD is not installed is looked for again; default 30 s. */
  absentRetryMs?: number;
  /** Objects per list page; default 500. */
  pageSize?: number;
  /** A field selector for lists and watches, e.g. "type=kubernetes.io/tls". */
  fieldSelector?: string;
  /** A label selector for lists and watches. */
  labelSelector?: string;
  /** Server-side watch timeout; each watch draws from [t, 2t) so reconnections spread. Default 300. */
  watchTimeoutSeconds?: number;
  metrics?: KubeMetrics;
}

type ListResult = 'ok' | 'absent' | 'error';
type WatchResult = 'relist' | 'rewatch' | 'error' | 'stopped';

const IDLE_WATCH_MS = 120_000;

/** A watch that ended this soon without delivering anything counts as a failure (backoff). */
const SHORT_WATCH_MS = 1000;

export class Reflector {
  private items = new Map<string, KubeObject>();
  private resourceVersion: string | undefined;
  /** The version of the type that answered; tried first next time. */
  private version: string;
  private running = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watch: { abort(): void } | undefined;
  private loop: Promise<void> | undefined;
  private readonly backoff: Backoff;
  /** The last problem logged at warn level, so an outage is reported once, not per retry. */
  private lastProblem: string | undefined;
  private _synced = false;
  private _absent = false;

  constructor(private readonly options: ReflectorOptions) {
    this.backoff = new Backoff(options.backoff);
    this.version = options.type.versions[0] ?? 'v1';
  }

  /** Listed at least once, or known not to be installed (then it holds nothing). */
  get synced(): boolean {
    return this._synced;
  }

  /** The type's CRD is not installed (the last list answered 404). */
  get absent(): boolean {
    return this._absent;
  }

  get kind(): string {
    return this.options.type.kind;
  }

  get namespace(): string | undefined {
    return this.options.namespace;
  }

  get size(): number {
    return this.items.size;
  }

  objects(): IterableIterator<KubeObject> {
    return this.items.values();
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.items.get(itemKey(namespace, name));
  }

  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watch?.abort();
    this.interrupt();
    await this.loop;
  }

  /** Ends a wait early (e.g. the CRD of an absent type was just installed). */
  poke(): void {
    this.interrupt();
  }

  /**
   * Takes a newer copy of an object read directly (after a write conflict), unless the watch has
   * moved on already: it replaces the cached object only while that one is still at `staleVersion`.
   */
  offer(raw: unknown, staleVersion: string): boolean {
    const obj = (this.options.decode ?? decodeObject)(raw, this.options.type, this.version);
    if (!obj) return false;
    const key = itemKey(obj.metadata.namespace, obj.metadata.name);
    const cached = this.items.get(key);
    if (!cached || cached.metadata.resourceVersion !== staleVersion || obj.metadata.resourceVersion === staleVersion) return false;
    this.items.set(key, obj);
    this.options.onChange();
    return true;
  }

  private interrupt(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private wait(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => this.interrupt(), ms);
    });
  }

  private get what(): string {
    const { type, namespace } = this.options;
    return `${type.kind}${type.namespaced && namespace !== undefined ? ` in namespace ${namespace}` : ''}`;
  }

  /** Logs a problem at warn the first time it is seen in a row, at debug while it lasts. */
  private problem(message: string): void {
    const log = this.options.logger;
    const fields = { kind: this.options.type.kind, namespace: this.options.namespace };
    if (message !== this.lastProblem) log.warn(fields, message);
    else log.debug(fields, message);
    this.lastProblem = message;
  }

  private recovered(): void {
    if (this.lastProblem === undefined) return;
    this.lastProblem = undefined;
    this.options.logger.info({ kind: this.options.type.kind, namespace: this.options.namespace }, `${this.what}: back in sync with the API server`);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const listed = await this.list();
      if (this.stopped) break;
      if (listed === 'absent') {
        await this.wait(this.options.absentRetryMs ?? 30_000);
        continue;
      }
      if (listed === 'error') {
        await this.wait(this.backoff.next());
        continue;
      }
      for (;;) {
        const watched = await this.watchOnce();
        if (watched === 'stopped' || watched === 'relist') break;
        if (watched === 'error') await this.wait(this.backoff.next());
        if (this.stopped) break;
      }
    }
  }

  /** Every page of the collection, then the cache replaced by it at once. */
  private async list(): Promise<ListResult> {
    const { type, transport, namespace } = this.options;
    const versions = [this.version, ...type.versions.filter((v) => v !== this.version)];
    let notFound = 0;
    const started = performance.now();
    for (const version of versions) {
      const path = collectionPath(type, version, namespace);
      const items: KubeObject[] = [];
      let token: string | undefined;
      let listVersion: string | undefined;
      let found = true;
      do {
        let response;
        try {
          response = await transport.request({ method: 'GET', path, query: { limit: this.options.pageSize ?? 500, continue: token, fieldSelector: this.options.fieldSelector, labelSelector: this.options.labelSelector } });
        } catch (err) {
          this.options.metrics?.lists.inc({ kind: type.kind, result: 'error' });
          this.problem(`cannot list ${this.what}: ${(err as Error).message}; retrying`);
          return 'error';
        }
        if (this.stopped) return 'error';
        if (response.status === 404) {
          found = false;
          break;
        }
        if (response.status !== 200) {
          this.options.metrics?.lists.inc({ kind: type.kind, result: 'error' });
          // 410 here means the continue token expired mid-list: start over.
          this.problem(`cannot list ${this.what}: ${describeAnswer(response)}; retrying`);
          return 'error';
        }
        const body = response.body as { metadata?: { resourceVersion?: string; continue?: string }; items?: unknown[] };
        for (const raw of body.items ?? []) {
          const obj = (this.options.decode ?? decodeObject)(raw, type, version);
          if (obj) items.push(obj);
        }
        listVersion = body.metadata?.resourceVersion;
        token = body.metadata?.continue || undefined;
      } while (token !== undefined);
      if (!found) {
        notFound++;
        continue;
      }
      this.version = version;
      this.resourceVersion = listVersion;
      this.options.metrics?.lists.inc({ kind: type.kind, result: 'ok' });
      const wasAbsent = this._absent;
      this._absent = false;
      if (wasAbsent) this.options.logger.info({ kind: type.kind }, `${this.what}: the CRD is installed now`);
      this.replace(items);
      this.options.logger.debug({ kind: type.kind, namespace, objects: items.length, ms: Math.round(performance.now() - started) }, `${this.what}: listed`);
      this.recovered();
      this.backoff.reset();
      return 'ok';
    }
    // Every version answered 404: the CRD is not installed (or not served at these versions).
    if (notFound > 0) {
      this.options.metrics?.lists.inc({ kind: type.kind, result: 'absent' });
      if (!this._absent) {
        this.options.logger.warn(
          { kind: type.kind, versions: type.versions },
          `${this.what}: not served by the API server (CRD not installed?); looking again every ${Math.round((this.options.absentRetryMs ?? 30_000) / 1000)} s`,
        );
      }
      this._absent = true;
      const hadItems = this.items.size > 0;
      this.items = new Map();
      const first = !this._synced;
      this._synced = true;
      if (hadItems || first) this.options.onChange();
    }
    return 'absent';
  }

  /** Swaps in a full list, keeping the very object for every one whose resourceVersion is unchanged. */
  private replace(items: readonly KubeObject[]): void {
    const next = new Map<string, KubeObject>();
    let changed = items.length !== this.items.size;
    for (const obj of items) {
      const key = itemKey(obj.metadata.namespace, obj.metadata.name);
      const old = this.items.get(key);
      if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) {
        next.set(key, old);
      } else {
        next.set(key, obj);
        changed = true;
      }
    }
    this.items = next;
    const first = !this._synced;
    this._synced = true;
    if (changed || first) this.options.onChange();
  }

  private async watchOnce(): Promise<WatchResult> {
    const { type, transport, namespace } = this.options;
    const timeoutSeconds = Math.round((this.options.watchTimeoutSeconds ?? 300) * (1 + Math.random()));
    const started = Date.now();
    let events = 0;
    let relist: string | undefined;
    const handle = transport.watch(
      collectionPath(type, this.version, namespace),
      { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds, fieldSelector: this.options.fieldSelector, labelSelector: this.options.labelSelector },
      (event) => {
        if (relist !== undefined) return;
        events++;
        const why = this.apply(event);
        if (why !== undefined) {
          relist = why;
          handle.abort();
        }
      },
      // Bookmarks arrive about every minute: two minutes of silence is most likely a peer that
      // vanished without a reset, and watching again from the same version costs little if not.
      { idleTimeoutMs: IDLE_WATCH_MS },
    );
    this.watch = handle;
    const end: WatchEnd = await handle.done;
    this.watch = undefined;
    if (this.stopped) return 'stopped';
    const count = (label: string) => this.options.metrics?.watches.inc({ kind: type.kind, end: label });
    if (relist !== undefined) {
      count('expired');
      this.options.logger.info({ kind: type.kind, namespace }, `${this.what}: ${relist}; listing again`);
      return 'relist';
    }
    switch (end.type) {
      case 'aborted':
        return 'stopped';
      case 'closed':
        count('closed');
        if (events === 0 && Date.now() - started < SHORT_WATCH_MS) {
          this.problem(`watch of ${this.what} closed at once; retrying`);
          return 'error';
        }
        this.backoff.reset();
        return 'rewatch';
      case 'status':
        count('status');
        if (end.status === 410 || end.status === 404) {
          this.options.logger.info({ kind: type.kind, namespace }, `${this.what}: watch answered ${describeAnswer(end)}; listing again`);
          return 'relist';
        }
        this.problem(`watch of ${this.what} refused: ${describeAnswer(end)}; retrying`);
        return 'error';
      case 'error':
        count('error');
        if (events > 0) this.backoff.reset();
        // The message says it all (connection refused or lost); a stack per kind per outage is noise.
        this.problem(`watch of ${this.what} failed: ${end.error.message}; retrying`);
        return 'error';
    }
  }

  /** Applies one watch event; returns why the watch must be given up for a re-list, if so. */
  private apply(event: unknown): string | undefined {
    const { type: eventType, object } = (event ?? {}) as { type?: string; object?: unknown };
    const meta = (object as { metadata?: { resourceVersion?: string } } | undefined)?.metadata;
    switch (eventType) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED': {
        const obj = (this.options.decode ?? decodeObject)(object, this.options.type, this.version);
        if (meta?.resourceVersion) this.resourceVersion = meta.resourceVersion;
        if (!obj) return undefined;
        const key = itemKey(obj.metadata.namespace, obj.metadata.name);
        const cached = this.items.get(key);
        if (eventType === 'DELETED') {
          if (!cached) return undefined;
          this.items.delete(key);
        } else {
          // The same version again (a replay after reconnecting) keeps the object we have.
          if (cached && cached.metadata.resourceVersion === obj.metadata.resourceVersion) return undefined;
          this.items.set(key, obj);
        }
        this.recovered();
        this.options.onChange();
        return undefined;
      }
      case 'BOOKMARK':
        if (meta?.resourceVersion) this.resourceVersion = meta.resourceVersion;
        return undefined;
      case 'ERROR': {
        const status = object as { code?: number; message?: string } | undefined;
        // 410 Gone: the version is older than the server keeps. Anything else: the stream is not
        // trustworthy either way, and a list is always a correct restart.
        return `watch reported ${String(status?.code ?? '?')}: ${status?.message ?? 'error'}`;
      }
      default:
        return `unexpected watch event ${JSON.stringify(eventType)}`;
    }
  }
}

function itemKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * Every kind Portico reads, mirrored from the API server by one reflector each (per namespace
 * when limited to some), turned into ResourceSet snapshots: the first once every reflector has
 * listed, then one per burst of changes (debounced). Unchanged objects are the very same
 * instances from one snapshot to the next, which the core's TranslationCache relies on.
 */
import { POLICY_SECRET_LABEL } from './decode.js';
import { KINDS, type KindInfo } from '../../api/kinds.js';
import type { KubeObject } from '../../api/object.js';
import type { Logger } from '../../log.js';
import { Debouncer } from '../../store/debounce.js';
import { ResourceSet } from '../../store/resources.js';
import type { BackoffOptions } from './backoff.js';
import type { KubeMetrics } from './metrics.js';
import type { ResourceType } from './paths.js';
import { Reflector } from './reflector.js';
import type { KubeTransport } from './transport.js';

/** Secrets Portico lists and watches: the only type listeners read certificates from. */
export const TLS_SECRETS = 'type=kubernetes.io/tls';
/** And the other Secrets their owners label for policies (htpasswd entries, API keys). */
export const POLICY_SECRETS = { labelSelector: `${POLICY_SECRET_LABEL}=true`, fieldSelector: 'type!=kubernetes.io/tls' };

export interface ReflectorTuning {
  backoff?: BackoffOptions;
  absentRetryMs?: number;
  pageSize?: number;
  watchTimeoutSeconds?: number;
}

export interface ExtraSource {
  type: ResourceType;
  decode: (raw: unknown, type: ResourceType, version: string) => KubeObject | undefined;
}

export interface ClusterCacheOptions {
  transport: KubeTransport;
  logger: Logger;
  /** Namespaced kinds are read from these namespaces only; default every namespace. */
  namespaces?: readonly string[];
  /** Default KINDS. */
  kinds?: readonly KindInfo[];
  /**
   * Types mirrored beside the kinds without being part of snapshots (the Gateway API CRDs, whose
   * annotations the controller reads); they count for the first snapshot and trigger new ones.
   */
  extra?: readonly ExtraSource[];
  onSnapshot: (resources: ResourceSet) => void;
  /** Quiet time before a snapshot; default 20 ms. */
  quietMs?: number;
  /** Longest a snapshot waits while changes keep coming; default 250 ms. */
  maxWaitMs?: number;
  tuning?: ReflectorTuning;
  metrics?: KubeMetrics;
}

export class ClusterCache {
  private readonly reflectors: Reflector[] = [];
  private readonly byKind = new Map<string, Reflector[]>();
  private readonly extra: Reflector[] = [];
  private readonly debouncer: Debouncer;
  private emitted = false;
  private stopped = false;
  private resolveSynced: () => void = () => undefined;
  /** Resolves when every reflector has listed once (or found its type absent). */
  readonly synced: Promise<void>;

  constructor(private readonly options: ClusterCacheOptions) {
    this.synced = new Promise((resolve) => (this.resolveSynced = resolve));
    this.debouncer = new Debouncer(() => this.emit(), { quietMs: options.quietMs ?? 20, maxWaitMs: options.maxWaitMs ?? 250 });
    const namespaces = options.namespaces?.length ? [...new Set(options.namespaces)] : undefined;
    const make = (type: ResourceType, namespace: string | undefined, decode?: ExtraSource['decode'], selectors?: { fieldSelector: string; labelSelector: string }): Reflector =>
      new Reflector({
        transport: options.transport,
        type,
        namespace,
        logger: options.logger,
        onChange: () => this.changed(),
        decode,
        // The core reads TLS Secrets only: the API server does not even send the others.
        ...(type.group === '' && type.kind === 'Secret' ? (selectors ?? { fieldSelector: TLS_SECRETS }) : {}),
        metrics: options.metrics,
        ...options.tuning,
      });
    for (const kind of options.kinds ?? KINDS) {
      const scopes = kind.namespaced && namespaces ? namespaces : [undefined];
      const list = scopes.map((ns) => make(kind, ns));
      // Policy Secrets come from reflectors of their own, after the TLS ones (which reflectorFor finds).
      if (kind.group === '' && kind.kind === 'Secret') list.push(...scopes.map((ns) => make(kind, ns, undefined, POLICY_SECRETS)));
      this.reflectors.push(...list);
      this.byKind.set(kind.kind, list);
    }
    for (const source of options.extra ?? []) {
      const reflector = make(source.type, undefined, source.decode);
      this.extra.push(reflector);
      this.byKind.set(source.type.kind, [reflector]);
    }
  }

  start(): void {
    for (const r of [...this.reflectors, ...this.extra]) r.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.debouncer.cancel();
    await Promise.all([...this.reflectors, ...this.extra].map((r) => r.stop()));
  }

  /** Every reflector has listed once. */
  get isSynced(): boolean {
    return [...this.reflectors, ...this.extra].every((r) => r.synced);
  }

  /** Reflectors not synced yet, for diagnostics ("Kind" or "Kind in ns"). */
  pending(): string[] {
    return [...this.reflectors, ...this.extra].filter((r) => !r.synced).map((r) => (r.namespace ? `${r.kind} in ${r.namespace}` : r.kind));
  }

  /** The reflector holding objects of `kind` in `namespace` (undefined when not watched there). */
  reflectorFor(kind: string, namespace: string | undefined): Reflector | undefined {
    const list = this.byKind.get(kind);
    if (!list) return undefined;
    return list.find((r) => r.namespace === undefined || r.namespace === namespace);
  }

  /** The cached object as the watch last delivered it. */
  lookup(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.reflectorFor(kind, namespace)?.get(namespace, name);
  }

  /** Every cached object of `kind`, from all its reflectors, without building a snapshot. */
  objects(kind: string): KubeObject[] {
    return (this.byKind.get(kind) ?? []).flatMap((r) => [...r.objects()]);
  }

  /** Objects of an extra type (not in snapshots). */
  extraObjects(kind: string): KubeObject[] {
    return this.extra.filter((r) => r.kind === kind).flatMap((r) => [...r.objects()]);
  }

  /** Looks again at once for types whose CRD was missing. */
  pokeAbsent(): void {
    for (const r of this.reflectors) if (r.absent) r.poke();
  }

  /** Asks for a new snapshot even though no object changed (an input beside the objects did). */
  refresh(): void {
    if (this.emitted) this.debouncer.trigger();
  }

  /** A snapshot of what the reflectors hold now. */
  snapshot(): ResourceSet {
    const reflectors = this.reflectors;
    return new ResourceSet(
      (function* () {
        for (const r of reflectors) yield* r.objects();
      })(),
    );
  }

  private changed(): void {
    if (this.stopped) return;
    if (this.emitted) {
      this.debouncer.trigger();
      return;
    }
    if (!this.isSynced) return;
    // The first snapshot goes out as soon as everything is listed: no reason to wait.
    this.resolveSynced();
    this.emit();
  }

  private emit(): void {
    if (this.stopped) return;
    this.emitted = true;
    this.options.onSnapshot(this.snapshot());
  }
}

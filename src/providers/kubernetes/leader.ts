/**
 * Leader election on a coordination.k8s.io/v1 Lease, so that of several controller replicas only
 * one writes status.
 *
 * The rules (see `decide`):
 * - A candidate may take the Lease when it does not exist (create), when nobody holds it
 *   (`holderIdentity` empty: released), or when it has expired. Expiry is judged on this
 *   candidate's own monotonic clock: `leaseDurationSeconds` after this candidate first saw the
 *   record in its current version (resourceVersion). Hosts' wall clocks are never compared, so
 *   clock skew between replicas cannot make a live leader look dead; `renewTime` is written for
 *   people and other tools, and never read.
 * - Every write carries the resourceVersion it was decided on: of two candidates that race, the
 *   API server accepts one, the other gets 409 and reads the Lease again.
 * - The leader renews every `retryPeriodMs`. Leadership is valid until `renewDeadlineMs` after the
 *   moment the last successful write was *sent* (the server stored it no earlier than that, and a
 *   follower saw it no earlier than it was stored, so a follower cannot take over before
 *   send time + leaseDuration). A timer steps the leader down at that moment whether or not a
 *   request is still pending, so with renewDeadline < leaseDuration a leader cut off from the
 *   API server stops before anyone else can acquire. The difference is the margin for the time
 *   between the step-down and the last status write landing, and for clock rate differences.
 * - A response that never came (timeout, reset, API server killed) may still have been stored:
 *   nothing is assumed, the Lease is read again before the next decision.
 * - `stop()` steps down first, then releases the Lease (clears `holderIdentity`), so another
 *   candidate takes over at its next poll instead of after a whole lease duration.
 *
 * Timing defaults (lease 10 s, renew deadline 7 s, retry 2 s):
 * - Takeover after a crash: the follower polls every retry period, so it sees the leader's last
 *   renewal at most one retry period after the leader made it, and it wakes up exactly when that
 *   observation expires. The crash comes after the last renewal and before the next one, so the
 *   takeover happens between leaseDuration − retry and leaseDuration + retry after the crash
 *   (plus request latency): 8 to 12 s, inside the 15 s goal with room to spare.
 * - Renew deadline 7 s: 3 s below the lease duration (the safety margin above), and long enough
 *   for three renewal attempts after the last successful one (at 2, 4 and 6 s), so a leader
 *   survives an API server restart of a few seconds without losing its place.
 * - Retry 2 s: one PUT per 2 s from the leader and one GET per 2 s from each follower, which is
 *   nothing for an API server, and keeps the follower's observation lag (part of the takeover
 *   time) small.
 */
import { performance } from 'node:perf_hooks';
import type { ApiCredentials } from './kubeconfig.js';
import type { Logger } from '../../log.js';
import { describeAnswer, HttpTransport, type KubeResponse, type KubeTransport } from './transport.js';

export interface LeaderCallbacks {
  onStartedLeading(): void;
  onStoppedLeading(): void;
}

export interface LeaderElectionOptions {
  kubeConfig: ApiCredentials;
  namespace: string;
  name: string;
  /** Unique per process (e.g. Pod name plus a random suffix): two processes with one identity both lead. */
  identity: string;
  /** Default 10. */
  leaseDurationSeconds?: number;
  /** Default 7000; must be below the lease duration. */
  renewDeadlineMs?: number;
  /** Default 2000; must be below the renew deadline. */
  retryPeriodMs?: number;
  logger: Logger;
  /** Default: HTTP with the kubeConfig's credentials, closed by stop(). Unit tests pass a fake. */
  transport?: KubeTransport;
}

export const DEFAULT_LEASE_DURATION_SECONDS = 10;
export const DEFAULT_RENEW_DEADLINE_MS = 7000;
export const DEFAULT_RETRY_PERIOD_MS = 2000;

/** The fields of a Lease's spec that election uses. */
export interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number | null;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number | null;
}

/** The Lease as this candidate last read or wrote it, and when it first saw this version. */
export interface Observation {
  resourceVersion: string;
  spec: LeaseSpec;
  /** Monotonic time (ms) at which this candidate first saw `resourceVersion`. */
  observedAtMs: number;
}

export type LeaseDecision =
  | { action: 'create' }
  /** The Lease is ours already: write it again (renew, or take back after a step-down). */
  | { action: 'renew' }
  | { action: 'acquire'; reason: 'released' | 'expired'; previousHolder: string | undefined }
  | { action: 'wait'; holder: string; remainingMs: number };

/**
 * What a candidate may do, given the Lease as last observed (undefined: it does not exist) and
 * the monotonic time now. Pure: the whole safety argument of the file rests on it.
 */
export function decide(identity: string, observed: Observation | undefined, nowMs: number, defaultLeaseDurationSeconds: number): LeaseDecision {
  if (observed === undefined) return { action: 'create' };
  const holder = observed.spec.holderIdentity ?? '';
  if (holder === identity) return { action: 'renew' };
  if (holder === '') return { action: 'acquire', reason: 'released', previousHolder: undefined };
  // The holder's own promise, when it made a sensible one: it renews within its own duration.
  const duration = effectiveDurationSeconds(observed.spec, defaultLeaseDurationSeconds);
  const remainingMs = observed.observedAtMs + duration * 1000 - nowMs;
  if (remainingMs <= 0) return { action: 'acquire', reason: 'expired', previousHolder: holder };
  return { action: 'wait', holder, remainingMs };
}

function effectiveDurationSeconds(spec: LeaseSpec, fallback: number): number {
  const d = spec.leaseDurationSeconds;
  return typeof d === 'number' && Number.isFinite(d) && d > 0 ? d : fallback;
}

/**
 * The observation after reading or writing version `resourceVersion`: the clock restarts only
 * when the version is new, so re-reading an unchanged Lease lets it age.
 */
export function observe(previous: Observation | undefined, resourceVersion: string, spec: LeaseSpec, nowMs: number): Observation {
  if (previous !== undefined && previous.resourceVersion === resourceVersion) return { ...previous, spec };
  return { resourceVersion, spec, observedAtMs: nowMs };
}

/** The spec to write for a create, renew or acquire decision. */
export function nextSpec(identity: string, decision: LeaseDecision, previous: LeaseSpec | undefined, leaseDurationSeconds: number, wallNow: Date): LeaseSpec {
  const now = microTime(wallNow);
  const transitions = previous?.leaseTransitions ?? 0;
  const holderChanges = decision.action !== 'renew';
  return {
    ...previous,
    holderIdentity: identity,
    leaseDurationSeconds,
    // acquireTime marks the start of the holder's tenure: a renewal keeps it.
    acquireTime: holderChanges || !previous?.acquireTime ? now : previous.acquireTime,
    renewTime: now,
    leaseTransitions: decision.action === 'create' ? 0 : holderChanges ? transitions + 1 : transitions,
  };
}

/** The spec that gives the Lease up: no holder, so any candidate may take it at once. */
export function releasedSpec(previous: LeaseSpec, wallNow: Date): LeaseSpec {
  const { holderIdentity: _holder, ...rest } = previous;
  return { ...rest, renewTime: microTime(wallNow) };
}

/** A MicroTime as the API server parses it: RFC 3339 with exactly six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface TimingOptions {
  leaseDurationSeconds: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** The timing with defaults applied; throws when the safety argument would not hold. */
export function resolveTiming(options: Partial<TimingOptions>): TimingOptions {
  const timing = {
    leaseDurationSeconds: options.leaseDurationSeconds ?? DEFAULT_LEASE_DURATION_SECONDS,
    renewDeadlineMs: options.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS,
    retryPeriodMs: options.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS,
  };
  const { leaseDurationSeconds: lease, renewDeadlineMs: deadline, retryPeriodMs: retry } = timing;
  if (!Number.isInteger(lease) || lease < 1) throw new Error(`leader election: leaseDurationSeconds must be a whole number of seconds ≥ 1, not ${lease}`);
  if (!(retry > 0)) throw new Error(`leader election: retryPeriodMs must be positive, not ${retry}`);
  if (!(deadline < lease * 1000)) throw new Error(`leader election: renewDeadlineMs (${deadline}) must be below the lease duration (${lease * 1000} ms), or a cut-off leader could still lead when another takes over`);
  if (!(retry < deadline)) throw new Error(`leader election: retryPeriodMs (${retry}) must be below renewDeadlineMs (${deadline}), or a leader gets no second attempt before it steps down`);
  return timing;
}

/** For metrics and the admin API. */
export interface LeaderState {
  isLeader: boolean;
  /** The holder in the Lease as last read or written; undefined when none or not read yet. */
  holder: string | undefined;
  /** `spec.leaseTransitions` as last read or written. */
  leaseTransitions: number | undefined;
  /** How many times this elector started leading. */
  timesLeading: number;
}

interface LeaseObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; managedFields?: unknown; [key: string]: unknown };
  spec?: LeaseSpec;
}

type WriteResult = 'ok' | 'conflict' | 'failed';

/** Poll a little after the observed expiry, so that rounding never makes the read come early. */
const EXPIRY_MARGIN_MS = 20;
/** How often one kind of failure is logged at warn level while it persists. */
const WARN_EVERY_MS = 30_000;

export class LeaderElector {
  private readonly timing: TimingOptions;
  private readonly transport: KubeTransport;
  private readonly ownTransport: boolean;
  private readonly logger: Logger;
  private readonly leasesPath: string;
  private readonly leasePath: string;
  private readonly requestTimeoutMs: number;

  private callbacks: LeaderCallbacks | undefined;
  private observed: Observation | undefined;
  /** The Lease as last read or written, for the metadata that a PUT must carry back. */
  private lastObject: LeaseObject | undefined;
  /** The next step must read before it decides: the observation may be stale. */
  private needRead = true;
  private leading = false;
  /** Monotonic ms until which leadership is valid (meaningful while `leading`). */
  private validUntilMs = 0;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private sleepTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private stopped = false;
  private loopDone: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | undefined;
  private timesLeading = 0;
  private lastHolderLogged: string | undefined;
  private lastWarn: { message: string; atMs: number } | undefined;

  constructor(private readonly options: LeaderElectionOptions) {
    if (!options.identity) throw new Error('leader election: identity must not be empty');
    this.timing = resolveTiming(options);
    this.transport = options.transport ?? new HttpTransport(options.kubeConfig);
    this.ownTransport = options.transport === undefined;
    this.logger = options.logger.child({ lease: `${options.namespace}/${options.name}`, identity: options.identity });
    this.leasesPath = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(options.namespace)}/leases`;
    this.leasePath = `${this.leasesPath}/${encodeURIComponent(options.name)}`;
    // Long enough for a slow API server, short enough that a hung request leaves the leader
    // another attempt before its deadline (the deadline timer does not wait for it anyway).
    this.requestTimeoutMs = Math.max(250, Math.floor(this.timing.renewDeadlineMs / 2));
  }

  start(callbacks: LeaderCallbacks): void {
    if (this.callbacks) throw new Error('leader election: start() called twice');
    if (this.stopped) throw new Error('leader election: start() after stop()');
    this.callbacks = callbacks;
    this.logger.info({ ...this.timing }, 'leader election started');
    this.loopDone = this.loop();
  }

  /**
   * Steps down (onStoppedLeading) when leading, waits for the request in flight, and releases
   * the Lease when this candidate holds it, so another takes over at once. Never rejects.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.halt();
      this.stepDown('stopping');
      await this.loopDone;
      if (this.observed?.spec.holderIdentity === this.options.identity) await this.release();
      if (this.ownTransport) this.transport.close();
      this.logger.info('leader election stopped');
    })();
    return this.stopping;
  }

  /**
   * FOR TESTS ONLY: simulates a crash. Everything stops at once, without a step-down callback
   * and without releasing the Lease, as if the process had died; the Lease stays held until it
   * expires. A real controller calls stop().
   */
  abandon(): void {
    this.halt();
    this.leading = false;
    if (this.ownTransport) this.transport.close();
    this.stopping ??= this.loopDone;
  }

  get isLeader(): boolean {
    // The deadline timer steps down on time unless the event loop was blocked; this check
    // answers correctly even then.
    return this.leading && performance.now() < this.validUntilMs;
  }

  get state(): LeaderState {
    const holder = this.observed?.spec.holderIdentity;
    return {
      isLeader: this.isLeader,
      holder: holder ? holder : undefined,
      leaseTransitions: this.observed?.spec.leaseTransitions ?? undefined,
      timesLeading: this.timesLeading,
    };
  }

  private halt(): void {
    this.stopped = true;
    clearTimeout(this.sleepTimer);
    clearTimeout(this.deadlineTimer);
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let delayMs: number;
      try {
        delayMs = await this.step();
      } catch (err) {
        // step() handles every expected failure; this is a bug, but the loop must go on.
        this.warn('leader election step failed', err);
        this.needRead = true;
        delayMs = this.timing.retryPeriodMs;
      }
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.sleepTimer = setTimeout(resolve, Math.max(0, delayMs));
      });
      this.wake = undefined;
    }
  }

  /** One round: read if needed, decide, write if allowed. Returns the delay before the next round. */
  private async step(): Promise<number> {
    const startedAt = performance.now();
    const untilNextPeriod = (): number => startedAt + this.timing.retryPeriodMs - performance.now();
    // Two rounds at most: a write that lost a race reads the winner and decides again at once.
    for (let round = 0; round < 2 && !this.stopped; round++) {
      if (this.needRead && !(await this.read())) return untilNextPeriod();
      if (this.stopped) break;
      const decision = decide(this.options.identity, this.observed, performance.now(), this.timing.leaseDurationSeconds);
      if (decision.action === 'wait') {
        this.stepDown(`the lease is held by ${decision.holder}`);
        // Read again next time to see renewals; and wake up right when the observation expires.
        this.needRead = true;
        return Math.min(untilNextPeriod(), decision.remainingMs + EXPIRY_MARGIN_MS);
      }
      const result = await this.write(decision);
      if (result === 'ok') return untilNextPeriod();
      this.needRead = true;
      if (result === 'failed') return untilNextPeriod();
    }
    return untilNextPeriod();
  }

  /** GET the Lease into `observed`; false when no answer or an error answer came. */
  private async read(): Promise<boolean> {
    let response: KubeResponse;
    try {
      response = await this.transport.request({ method: 'GET', path: this.leasePath, timeoutMs: this.requestTimeoutMs });
    } catch (err) {
      // After abandon() the transport is closed under the request: no news.
      if (!this.stopped) this.warn('cannot read the lease', err);
      return false;
    }
    if (this.stopped) return false;
    if (response.status === 404) {
      this.observed = undefined;
      this.lastObject = undefined;
      this.needRead = false;
      return true;
    }
    if (response.status !== 200) {
      this.warn('cannot read the lease', describeAnswer(response));
      return false;
    }
    this.accept(response.body);
    return true;
  }

  private async write(decision: Exclude<LeaseDecision, { action: 'wait' }>): Promise<WriteResult> {
    const previous = this.observed?.spec;
    const spec = nextSpec(this.options.identity, decision, previous, this.timing.leaseDurationSeconds, new Date());
    const create = decision.action === 'create';
    const body: LeaseObject = {
      ...this.lastObject,
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: create ? { name: this.options.name, namespace: this.options.namespace } : stripManagedFields(this.lastObject?.metadata),
      spec,
    };
    const sentAtMs = performance.now();
    let response: KubeResponse;
    try {
      response = await this.transport.request({
        method: create ? 'POST' : 'PUT',
        path: create ? this.leasesPath : this.leasePath,
        body,
        timeoutMs: this.requestTimeoutMs,
      });
    } catch (err) {
      // It may have been stored all the same: the next round reads before it decides.
      if (!this.stopped) this.warn(`cannot ${decision.action === 'renew' ? 'renew' : 'acquire'} the lease`, err);
      return 'failed';
    }
    // 409 on PUT: the version changed (someone else wrote); on POST: it exists now. 404 on PUT:
    // it was deleted. Either way, the Lease must be read again. (404 on POST: no such namespace.)
    if (response.status === 409 || (response.status === 404 && !create)) {
      this.logger.debug({ status: response.status, action: decision.action }, 'the lease changed under this write: reading it again');
      return 'conflict';
    }
    if (response.status !== 200 && response.status !== 201) {
      this.warn(`cannot ${decision.action === 'renew' ? 'renew' : 'acquire'} the lease`, describeAnswer(response));
      return 'failed';
    }
    this.accept(response.body);
    if (this.observed?.spec.holderIdentity !== this.options.identity) return 'conflict';
    this.lastWarn = undefined;
    this.holdFrom(sentAtMs, decision);
    return 'ok';
  }

  /** Takes a Lease object from an answer as the new observation. */
  private accept(raw: unknown): void {
    const object = (raw ?? {}) as LeaseObject;
    const resourceVersion = object.metadata?.resourceVersion ?? '';
    const spec = object.spec ?? {};
    this.observed = observe(this.observed, resourceVersion, spec, performance.now());
    this.lastObject = object;
    this.needRead = false;
    const holder = spec.holderIdentity ?? '';
    if (holder !== this.lastHolderLogged && holder !== this.options.identity) {
      this.logger.info({ holder: holder || undefined, leaseTransitions: spec.leaseTransitions }, holder ? 'the lease is held by another candidate' : 'the lease is free');
    }
    this.lastHolderLogged = holder;
  }

  /** After a successful write of our own name, sent at `sentAtMs`. */
  private holdFrom(sentAtMs: number, decision: LeaseDecision): void {
    if (this.stopped) return;
    const validUntilMs = sentAtMs + this.timing.renewDeadlineMs;
    const remaining = validUntilMs - performance.now();
    // A write that took longer than the deadline proves nothing about now.
    if (remaining <= 0) return;
    this.validUntilMs = validUntilMs;
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(() => this.stepDown(`no renewal within ${this.timing.renewDeadlineMs} ms`), remaining);
    if (this.leading) {
      this.logger.debug('renewed the lease');
      return;
    }
    this.leading = true;
    this.timesLeading++;
    this.logger.info(
      { action: decision.action, previousHolder: decision.action === 'acquire' ? decision.previousHolder : undefined, leaseTransitions: this.observed?.spec.leaseTransitions },
      'acquired the lease: leading',
    );
    this.call('onStartedLeading');
  }

  private stepDown(why: string): void {
    clearTimeout(this.deadlineTimer);
    if (!this.leading) return;
    this.leading = false;
    this.logger.info({ why }, 'stopped leading');
    this.call('onStoppedLeading');
  }

  private call(name: keyof LeaderCallbacks): void {
    try {
      this.callbacks?.[name]();
    } catch (err) {
      this.logger.error({ err }, `leader election: ${name} threw`);
    }
  }

  /** Clears holderIdentity, with a few attempts when it races with another write. */
  private async release(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const observed = this.observed;
      if (observed?.spec.holderIdentity !== this.options.identity) return;
      try {
        const response = await this.transport.request({
          method: 'PUT',
          path: this.leasePath,
          body: { ...this.lastObject, metadata: stripManagedFields(this.lastObject?.metadata), spec: releasedSpec(observed.spec, new Date()) },
          timeoutMs: this.requestTimeoutMs,
        });
        if (response.status === 200) {
          this.logger.info('released the lease');
          const object = response.body as LeaseObject;
          this.observed = observe(observed, object.metadata?.resourceVersion ?? '', object.spec ?? {}, performance.now());
          return;
        }
        if (response.status !== 409) {
          this.logger.warn({ answer: describeAnswer(response) }, 'cannot release the lease: it expires instead');
          return;
        }
        const current = await this.transport.request({ method: 'GET', path: this.leasePath, timeoutMs: this.requestTimeoutMs });
        if (current.status !== 200) return;
        const object = current.body as LeaseObject;
        this.observed = observe(observed, object.metadata?.resourceVersion ?? '', object.spec ?? {}, performance.now());
        this.lastObject = object;
      } catch (err) {
        this.logger.warn({ err: errorMessage(err) }, 'cannot release the lease: it expires instead');
        return;
      }
    }
  }

  /** Logs at warn level when the failure is new or has lasted WARN_EVERY_MS, else at debug. */
  private warn(what: string, detail: unknown): void {
    const message = `${what}: ${errorMessage(detail)}`;
    const now = performance.now();
    if (this.lastWarn?.message === message && now - this.lastWarn.atMs < WARN_EVERY_MS) {
      this.logger.debug(message);
      return;
    }
    this.lastWarn = { message, atMs: now };
    this.logger.warn({ leading: this.leading }, `${message} (retrying every ${this.timing.retryPeriodMs} ms)`);
  }
}

function stripManagedFields(metadata: LeaseObject['metadata']): LeaseObject['metadata'] {
  if (!metadata) return metadata;
  const { managedFields: _managed, ...rest } = metadata;
  return rest;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Leader election without an API server: the pure decision functions, and the elector's loop
 * against an in-memory Lease store that behaves like the API server (resourceVersion
 * preconditions, 409, 404) and can fail or lose answers on demand.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import fc from 'fast-check';
import {
  decide,
  LeaderElector,
  microTime,
  nextSpec,
  observe,
  releasedSpec,
  resolveTiming,
  type LeaseSpec,
  type Observation,
} from '../../../../src/providers/kubernetes/leader.js';
import { silentLogger } from '../../../../src/log.js';
import type { KubeRequest, KubeResponse, KubeTransport, WatchHandle } from '../../../../src/providers/kubernetes/transport.js';
import { waitFor } from '../../../support/fs-wait.js';

const seen = (spec: LeaseSpec, observedAtMs = 1000, resourceVersion = '7'): Observation => ({ resourceVersion, spec, observedAtMs });

describe('decide', () => {
  it('creates an absent Lease, renews its own, takes a released one at once', () => {
    assert.deepEqual(decide('a', undefined, 0, 10), { action: 'create' });
    assert.deepEqual(decide('a', seen({ holderIdentity: 'a', leaseDurationSeconds: 10 }), 1_000_000, 10), { action: 'renew' });
    for (const holderIdentity of ['', null, undefined]) {
      assert.deepEqual(decide('a', seen({ holderIdentity, leaseDurationSeconds: 10 }), 1000, 10), { action: 'acquire', reason: 'released', previousHolder: undefined });
    }
  });

  it("waits for another holder until the holder's duration has passed since this candidate saw the version", () => {
    const other = seen({ holderIdentity: 'b', leaseDurationSeconds: 4, renewTime: '1970-01-01T00:00:00.000000Z' }, 1000);
    // renewTime (here: decades ago) plays no part: only the local observation time does.
    assert.deepEqual(decide('a', other, 1000, 10), { action: 'wait', holder: 'b', remainingMs: 4000 });
    assert.deepEqual(decide('a', other, 4999, 10), { action: 'wait', holder: 'b', remainingMs: 1 });
    assert.deepEqual(decide('a', other, 5000, 10), { action: 'acquire', reason: 'expired', previousHolder: 'b' });
  });

  it('falls back to its own duration when the Lease has none or a nonsensical one', () => {
    for (const leaseDurationSeconds of [undefined, null, 0, -3, Number.NaN]) {
      const decision = decide('a', seen({ holderIdentity: 'b', leaseDurationSeconds }, 0), 0, 10);
      assert.deepEqual(decision, { action: 'wait', holder: 'b', remainingMs: 10_000 });
    }
  });

  it('never takes a Lease held by another before its duration has passed since the version was first seen (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        (duration, firstSeenAt, gaps, versionChanges) => {
          // Re-reads of one version (or of new ones) at increasing times.
          let observation: Observation | undefined;
          let now = firstSeenAt;
          let version = 1;
          let lastNewVersionAt = firstSeenAt;
          for (const gap of gaps) {
            if (versionChanges) {
              version++;
              lastNewVersionAt = now;
            }
            observation = observe(observation, String(version), { holderIdentity: 'b', leaseDurationSeconds: duration }, now);
            const decision = decide('a', observation, now, 10);
            if (decision.action === 'acquire') assert.ok(now - lastNewVersionAt >= duration * 1000);
            else assert.equal(decision.action, 'wait');
            now += gap;
          }
        },
      ),
    );
  });
});

describe('observe', () => {
  it('keeps the first sighting of a version and restarts the clock on a new one', () => {
    const first = observe(undefined, '5', { holderIdentity: 'b' }, 100);
    assert.equal(first.observedAtMs, 100);
    const again = observe(first, '5', { holderIdentity: 'b' }, 900);
    assert.equal(again.observedAtMs, 100);
    const renewed = observe(again, '6', { holderIdentity: 'b' }, 1000);
    assert.equal(renewed.observedAtMs, 1000);
  });
});

describe('nextSpec and releasedSpec', () => {
  const now = new Date('2025-03-04T05:06:07.089Z');
  const held: LeaseSpec = { holderIdentity: 'b', leaseDurationSeconds: 15, acquireTime: '2025-03-04T05:00:00.000000Z', renewTime: '2025-03-04T05:06:00.000000Z', leaseTransitions: 4 };

  it('starts at zero transitions on create, counts a change of holder, keeps the count and acquireTime on renew', () => {
    assert.deepEqual(nextSpec('a', { action: 'create' }, undefined, 10, now), {
      holderIdentity: 'a',
      leaseDurationSeconds: 10,
      acquireTime: '2025-03-04T05:06:07.089000Z',
      renewTime: '2025-03-04T05:06:07.089000Z',
      leaseTransitions: 0,
    });
    const taken = nextSpec('a', { action: 'acquire', reason: 'expired', previousHolder: 'b' }, held, 10, now);
    assert.equal(taken.leaseTransitions, 5);
    assert.equal(taken.acquireTime, '2025-03-04T05:06:07.089000Z');
    assert.equal(taken.leaseDurationSeconds, 10);
    const renewed = nextSpec('b', { action: 'renew' }, held, 15, now);
    assert.equal(renewed.leaseTransitions, 4);
    assert.equal(renewed.acquireTime, held.acquireTime);
    assert.equal(renewed.renewTime, '2025-03-04T05:06:07.089000Z');
  });

  it('keeps spec fields it does not manage', () => {
    const spec = nextSpec('a', { action: 'renew' }, { ...held, holderIdentity: 'a', preferredHolder: 'x' } as LeaseSpec, 10, now) as LeaseSpec & { preferredHolder?: string };
    assert.equal(spec.preferredHolder, 'x');
  });

  it('releases by removing the holder only', () => {
    const released = releasedSpec(held, now);
    assert.equal(released.holderIdentity, undefined);
    assert.ok(!('holderIdentity' in released));
    assert.equal(released.leaseTransitions, 4);
    assert.equal(released.renewTime, '2025-03-04T05:06:07.089000Z');
  });

  it('writes MicroTime with six fractional digits', () => {
    assert.equal(microTime(new Date('2025-01-02T03:04:05.006Z')), '2025-01-02T03:04:05.006000Z');
  });
});

describe('resolveTiming', () => {
  it('defaults to 10 s / 7 s / 2 s', () => {
    assert.deepEqual(resolveTiming({}), { leaseDurationSeconds: 10, renewDeadlineMs: 7000, retryPeriodMs: 2000 });
  });

  it('refuses timings that break the safety argument', () => {
    assert.throws(() => resolveTiming({ leaseDurationSeconds: 5, renewDeadlineMs: 5000 }), /below the lease duration/);
    assert.throws(() => resolveTiming({ renewDeadlineMs: 2000, retryPeriodMs: 2000 }), /below renewDeadlineMs/);
    assert.throws(() => resolveTiming({ leaseDurationSeconds: 1.5 }), /whole number/);
    assert.throws(() => resolveTiming({ retryPeriodMs: 0 }), /positive/);
  });
});

interface StoredLease {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion: string };
  spec: LeaseSpec;
}

/**
 * One Lease as the API server keeps it. `mode`: 'down' refuses connections; 'lose-answers'
 * stores writes but the answer never arrives (an API server killed mid-request).
 */
class FakeLeases implements KubeTransport {
  lease: StoredLease | undefined;
  mode: 'up' | 'down' | 'lose-answers' = 'up';
  private version = 100;
  readonly writes: string[] = [];

  async request(req: KubeRequest): Promise<KubeResponse> {
    // An answer always takes a turn of the event loop, as over a socket.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.mode === 'down') throw new Error('connect ECONNREFUSED');
    const answer = this.handle(req);
    if (this.mode === 'lose-answers' && req.method !== 'GET') throw new Error('socket hang up');
    return answer;
  }

  private handle(req: KubeRequest): KubeResponse {
    const body = req.body as StoredLease | undefined;
    const copy = (): StoredLease => structuredClone(this.lease as StoredLease);
    if (req.method === 'GET') return this.lease ? { status: 200, body: copy() } : { status: 404, body: { message: 'not found' } };
    if (req.method === 'POST') {
      if (this.lease) return { status: 409, body: { message: 'already exists' } };
      this.store(body);
      return { status: 201, body: copy() };
    }
    if (req.method === 'PUT') {
      if (!this.lease) return { status: 404, body: { message: 'not found' } };
      if (body?.metadata.resourceVersion !== this.lease.metadata.resourceVersion) return { status: 409, body: { message: 'conflict' } };
      this.store(body);
      return { status: 200, body: copy() };
    }
    return { status: 405, body: {} };
  }

  private store(body: StoredLease | undefined): void {
    assert.ok(body);
    this.version++;
    this.lease = { ...structuredClone(body), metadata: { ...body.metadata, resourceVersion: String(this.version) } };
    this.writes.push(`${body.spec.holderIdentity ?? '(none)'}@${this.version}`);
  }

  watch(): WatchHandle {
    throw new Error('not used');
  }
  close(): void {}
}

const FAST = { leaseDurationSeconds: 1, renewDeadlineMs: 600, retryPeriodMs: 100 };

/**
 * Electors and samplers still running after a test: a test that fails half way (a deadline
 * missed on a loaded machine) would otherwise leave their timers keeping the process alive.
 */
const running: (() => void)[] = [];
afterEach(() => {
  for (const stop of running.splice(0)) stop();
});

function candidate(identity: string, transport: KubeTransport, timing = FAST): { elector: LeaderElector; events: string[] } {
  const events: string[] = [];
  const elector = new LeaderElector({ kubeConfig: new KubeConfig(), namespace: 'ns', name: 'lease', identity, logger: silentLogger(), transport, ...timing });
  running.push(() => elector.abandon());
  elector.start({ onStartedLeading: () => events.push('started'), onStoppedLeading: () => events.push('stopped') });
  return { elector, events };
}

/** Samples often; records any moment at which more than one elector leads. */
function watchLeaders(electors: LeaderElector[]): { stop(): number; violations: number } {
  const state = { violations: 0, samples: 0 };
  const timer = setInterval(() => {
    state.samples++;
    if (electors.filter((e) => e.isLeader).length > 1) state.violations++;
  }, 2);
  running.push(() => clearInterval(timer));
  return {
    get violations() {
      return state.violations;
    },
    stop() {
      clearInterval(timer);
      return state.samples;
    },
  };
}

describe('LeaderElector against an in-memory Lease', () => {
  it('creates the Lease and leads; stop() steps down, then releases', async () => {
    const leases = new FakeLeases();
    const { elector, events } = candidate('a', leases);
    await waitFor('a to lead', () => elector.isLeader, 2000);
    assert.equal(leases.lease?.spec.holderIdentity, 'a');
    assert.equal(leases.lease?.spec.leaseTransitions, 0);
    assert.deepEqual(elector.state, { isLeader: true, holder: 'a', leaseTransitions: 0, timesLeading: 1 });
    await elector.stop();
    assert.deepEqual(events, ['started', 'stopped']);
    assert.equal(elector.isLeader, false);
    assert.equal(leases.lease?.spec.holderIdentity, undefined, 'released');
  });

  it('two candidates: one leads; on stop() the other takes over within about one retry period', async () => {
    const leases = new FakeLeases();
    const a = candidate('a', leases);
    const b = candidate('b', leases);
    const sampler = watchLeaders([a.elector, b.elector]);
    const first = await waitFor('a leader', () => (a.elector.isLeader ? a : b.elector.isLeader ? b : undefined), 2000);
    const second = first === a ? b : a;
    // Several renewals, with the other candidate polling all along.
    await waitFor('renewals', () => leases.writes.length >= 6, 2000);
    assert.equal(second.elector.isLeader, false);
    const stoppedAt = Date.now();
    await first.elector.stop();
    await waitFor('the other to lead', () => second.elector.isLeader, 2000);
    assert.ok(Date.now() - stoppedAt < 400, `took over in ${Date.now() - stoppedAt} ms`);
    assert.equal(leases.lease?.spec.leaseTransitions, 1);
    await second.elector.stop();
    assert.ok(sampler.stop() > 50);
    assert.equal(sampler.violations, 0);
  });

  it('a crashed leader (abandon) is replaced after the lease duration, never before', async () => {
    const leases = new FakeLeases();
    const a = candidate('a', leases);
    await waitFor('a to lead', () => a.elector.isLeader, 2000);
    const b = candidate('b', leases);
    await waitFor('b to see the lease', () => b.elector.state.holder === 'a', 2000);
    a.elector.abandon();
    const crashedAt = Date.now();
    await waitFor('b to lead', () => b.elector.isLeader, 3000);
    const takeover = Date.now() - crashedAt;
    // Between duration − retry and duration + retry (plus scheduling).
    assert.ok(takeover >= 850 && takeover < 2000, `takeover after ${takeover} ms`);
    assert.deepEqual(a.events, ['started'], 'a crash runs no callback');
    await b.elector.stop();
  });

  it('a leader that cannot reach the API server steps down within the renew deadline, and takes the Lease back after', async () => {
    const leases = new FakeLeases();
    const a = candidate('a', leases);
    await waitFor('a to lead', () => a.elector.isLeader, 2000);
    leases.mode = 'down';
    const downAt = Date.now();
    await waitFor('a to step down', () => !a.elector.isLeader, 2000);
    const after = Date.now() - downAt;
    assert.ok(after <= 600 + 150, `stepped down after ${after} ms`);
    assert.deepEqual(a.events, ['started', 'stopped']);
    leases.mode = 'up';
    await waitFor('a to lead again', () => a.elector.isLeader, 2000);
    assert.deepEqual(a.events, ['started', 'stopped', 'started']);
    assert.equal(leases.lease?.spec.leaseTransitions, 0, 'taking its own Lease back is no transition');
    await a.elector.stop();
  });

  it('writes whose answers are lost never make two leaders', async () => {
    const leases = new FakeLeases();
    const a = candidate('a', leases);
    const b = candidate('b', leases);
    const sampler = watchLeaders([a.elector, b.elector]);
    await waitFor('a leader', () => a.elector.isLeader || b.elector.isLeader, 2000);
    leases.mode = 'lose-answers';
    await waitFor('no leader', () => !a.elector.isLeader && !b.elector.isLeader, 2000);
    leases.mode = 'up';
    await waitFor('a leader again', () => a.elector.isLeader || b.elector.isLeader, 3000);
    const holder = leases.lease?.spec.holderIdentity;
    assert.equal((holder === 'a' ? a : b).elector.isLeader, true, 'the leader is the holder');
    await a.elector.stop();
    await b.elector.stop();
    sampler.stop();
    assert.equal(sampler.violations, 0);
  });

  it('steps down at once when it finds another holder in the Lease', async () => {
    const leases = new FakeLeases();
    const a = candidate('a', leases, { leaseDurationSeconds: 30, renewDeadlineMs: 20_000, retryPeriodMs: 100 });
    await waitFor('a to lead', () => a.elector.isLeader, 2000);
    // Someone (a person, another implementation) overwrites the Lease.
    assert.ok(leases.lease);
    leases.lease = { ...leases.lease, metadata: { ...leases.lease.metadata, resourceVersion: '999' }, spec: { ...leases.lease.spec, holderIdentity: 'intruder' } };
    await waitFor('a to step down', () => !a.elector.isLeader, 1000);
    assert.deepEqual(a.events, ['started', 'stopped']);
    await a.elector.stop();
    assert.equal(leases.lease.spec.holderIdentity, 'intruder', 'not released: it is not ours');
  });
});

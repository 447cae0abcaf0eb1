/**
 * Leader election on a real kube-apiserver, as a ServiceAccount that may only get, create and
 * update Leases in its namespace: one candidate, two candidates (never two leaders at any
 * sampled moment), a crash of the leader (simulated in-process, and a real SIGKILL of a child
 * process with the production timing, the 15 s takeover claim), a graceful stop, and a SIGKILL
 * of the API server while a leader holds the Lease.
 *
 * Most tests use a short lease (2 s / 1.2 s / 0.3 s): the properties they check do not depend on
 * the durations, and the file stays well under a minute.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { ApiException, CoordinationV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { silentLogger } from '../../src/log.js';
import { DEFAULT_LEASE_DURATION_SECONDS, DEFAULT_RETRY_PERIOD_MS, LeaderElector, type LeaderElectionOptions } from '../../src/providers/kubernetes/leader.js';
import { projectRoot } from '../e2e/support.js';
import { waitFor } from '../support/fs-wait.js';
import { ensureKubeBinaries, startKubeApiserver, type KubeApiserver } from '../support/kube-apiserver.js';
import { kubeConfigFor } from '../support/kube-deploy.js';
import { enterPrivateNetwork } from '../support/private-network.js';

// A build needs the network outside; then the file runs itself inside its private network
// namespace, so the API server and the child candidate die with it. Without namespaces it runs
// on the host: it needs no backend addresses.
const binaries = ensureKubeBinaries();
if (!('skip' in binaries)) await enterPrivateNetwork();

const NS = 'portico-leader';
const SERVICE_ACCOUNT = 'portico';
const FAST = { leaseDurationSeconds: 2, renewDeadlineMs: 1200, retryPeriodMs: 300 };
const SAMPLE_EVERY_MS = 5;

type Timing = Pick<LeaderElectionOptions, 'leaseDurationSeconds' | 'renewDeadlineMs' | 'retryPeriodMs'>;

interface Candidate {
  identity: string;
  elector: LeaderElector;
  events: string[];
}

/** Samples who leads every few milliseconds, until stop(). */
class LeaderSampler {
  samples = 0;
  maxLeaders = 0;
  /** Samples at which no candidate led. */
  leaderless = 0;
  /** Who led, each time that changed, with ms since the sampler started. */
  readonly timeline: string[] = [];
  private last = '';
  private readonly startedAt = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly leaders: () => string[]) {
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.sample();
  }

  private sample(): void {
    const leading = this.leaders();
    this.samples++;
    this.maxLeaders = Math.max(this.maxLeaders, leading.length);
    if (leading.length === 0) this.leaderless++;
    const now = leading.join('+') || '(none)';
    if (now !== this.last) this.timeline.push(`${Date.now() - this.startedAt} ms: ${now}`);
    this.last = now;
  }

  stop(): this {
    clearInterval(this.timer);
    this.sample();
    return this;
  }
}

const leadersOf =
  (...candidates: Candidate[]) =>
  (): string[] =>
    candidates.filter((c) => c.elector.isLeader).map((c) => c.identity);

/** An observation window: polls until `ms` have passed (the sampler is doing the work meanwhile). */
function observeFor(ms: number): Promise<true> {
  const end = Date.now() + ms;
  return waitFor(`${ms} ms of observation`, () => Date.now() >= end, ms + 5000);
}

/**
 * A MicroTime as client-node hands it over: typed as a Date, but its deserializer leaves the
 * MicroTime format as the wire's string.
 */
function timeText(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value;
}

const built = 'skip' in binaries ? undefined : binaries;

describe('leader election on a real kube-apiserver', { skip: 'skip' in binaries ? binaries.skip : false, timeout: 180_000 }, () => {
  let api: KubeApiserver;
  let admin: KubeConfig;
  let token: string;
  let leases: CoordinationV1Api;
  let dir: string;
  const running: Candidate[] = [];

  const candidate = (identity: string, name: string, timing: Timing = FAST): Candidate => {
    const events: string[] = [];
    const elector = new LeaderElector({ kubeConfig: kubeConfigFor(api, token), namespace: NS, name, identity, logger: silentLogger(), ...timing });
    const c = { identity, elector, events };
    running.push(c);
    elector.start({ onStartedLeading: () => events.push('started'), onStoppedLeading: () => events.push('stopped') });
    return c;
  };

  const readLease = (name: string) => leases.readNamespacedLease({ name, namespace: NS });

  before(async () => {
    assert.ok(built);
    api = await startKubeApiserver({ binaries: built });
    admin = kubeConfigFor(api, api.adminToken);
    dir = mkdtempSync(path.join(tmpdir(), 'portico-leader-'));
    const core = admin.makeApiClient(CoreV1Api);
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    await core.createNamespacedServiceAccount({ namespace: NS, body: { metadata: { name: SERVICE_ACCOUNT } } });
    // What the controller needs for its Lease and nothing more (deploy/base/rbac.yaml has its own copy).
    await rbac.createNamespacedRole({
      namespace: NS,
      body: {
        metadata: { name: 'portico-leader-election' },
        rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: 'portico-leader-election' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'portico-leader-election' },
        subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: NS }],
      },
    });
    const issued = await core.createNamespacedServiceAccountToken({ namespace: NS, name: SERVICE_ACCOUNT, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
    assert.ok(issued.status?.token);
    token = issued.status.token;
    leases = admin.makeApiClient(CoordinationV1Api);
    // The authorizer learns of new bindings through its informers: wait until a read of a
    // missing Lease is "not found" rather than "forbidden".
    const asPortico = kubeConfigFor(api, token).makeApiClient(CoordinationV1Api);
    await waitFor(
      'the RoleBinding to take effect',
      () => asPortico.readNamespacedLease({ name: 'probe', namespace: NS }).then(
        () => true,
        (err: unknown) => err instanceof ApiException && err.code === 404,
      ),
      10_000,
    );
  });

  after(async () => {
    await Promise.all(running.map((c) => c.elector.stop()));
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('one candidate creates the Lease, leads, and releases it on stop()', async () => {
    const a = candidate('a', 'single');
    await waitFor('a to lead', () => a.elector.isLeader, 10_000);
    const lease = await readLease('single');
    assert.equal(lease.spec?.holderIdentity, 'a');
    assert.equal(lease.spec?.leaseDurationSeconds, FAST.leaseDurationSeconds);
    assert.equal(lease.spec?.leaseTransitions, 0);
    assert.ok(lease.spec?.acquireTime, 'acquireTime is written');
    assert.ok(lease.spec?.renewTime, 'renewTime is written');
    // It renews: renewTime moves on while acquireTime stays.
    const first = timeText(lease.spec.renewTime);
    const renewed = await waitFor(
      'a renewal',
      async () => {
        const now = await readLease('single');
        return timeText(now.spec?.renewTime) !== first ? now : undefined;
      },
      5000,
    );
    assert.equal(timeText(renewed.spec?.acquireTime), timeText(lease.spec.acquireTime));
    assert.equal(renewed.spec?.holderIdentity, 'a');

    await a.elector.stop();
    assert.deepEqual(a.events, ['started', 'stopped']);
    assert.equal((await readLease('single')).spec?.holderIdentity, undefined, 'released');
  });

  it('two candidates: exactly one leads at every sampled moment; stop() hands over within about one retry period', async (t: TestContext) => {
    const a = candidate('a', 'pair');
    const b = candidate('b', 'pair');
    const first = await waitFor('a leader', () => (a.elector.isLeader ? a : b.elector.isLeader ? b : undefined), 10_000);
    const second = first === a ? b : a;

    const sampler = new LeaderSampler(leadersOf(a, b));
    await observeFor(3000);
    sampler.stop();
    t.diagnostic(`${sampler.samples} samples over 3 s: ${sampler.timeline.join(', ')}`);
    assert.equal(sampler.maxLeaders, 1, sampler.timeline.join(', '));
    assert.equal(sampler.leaderless, 0, `a leader all along: ${sampler.timeline.join(', ')}`);
    assert.equal((await readLease('pair')).spec?.holderIdentity, first.identity);
    assert.ok(sampler.samples > 300, `sampled ${sampler.samples} times`);

    const handover = new LeaderSampler(leadersOf(a, b));
    const stoppedAt = Date.now();
    await first.elector.stop();
    await waitFor('the other to lead', () => second.elector.isLeader, 5000);
    const took = Date.now() - stoppedAt;
    handover.stop();
    t.diagnostic(`graceful handover: ${took} ms after stop() was called (retry period ${FAST.retryPeriodMs} ms)`);
    assert.ok(took < FAST.retryPeriodMs + 700, `handover took ${took} ms`);
    assert.equal(handover.maxLeaders, 1);
    const lease = await readLease('pair');
    assert.equal(lease.spec?.holderIdentity, second.identity);
    assert.equal(lease.spec?.leaseTransitions, 1);
  });

  it('a crashed leader (in-process, short lease) is replaced after the lease expires, never before', async (t: TestContext) => {
    const a = candidate('a', 'crash-fast');
    await waitFor('a to lead', () => a.elector.isLeader, 10_000);
    const b = candidate('b', 'crash-fast');
    await waitFor('b to see that a holds the Lease', () => b.elector.state.holder === 'a', 5000);

    const sampler = new LeaderSampler(leadersOf(a, b));
    a.elector.abandon();
    const crashedAt = Date.now();
    await waitFor('b to lead', () => b.elector.isLeader, 10_000);
    const took = Date.now() - crashedAt;
    sampler.stop();
    t.diagnostic(`takeover after a crash (lease ${FAST.leaseDurationSeconds} s, retry ${FAST.retryPeriodMs} ms): ${took} ms`);
    assert.equal(sampler.maxLeaders, 1);
    assert.deepEqual(a.events, ['started'], 'a crash runs no callback');
    const minimum = FAST.leaseDurationSeconds * 1000 - FAST.retryPeriodMs;
    assert.ok(took >= minimum - 50, `took over after ${took} ms, before the lease could have expired (${minimum} ms)`);
    assert.ok(took <= FAST.leaseDurationSeconds * 1000 + FAST.retryPeriodMs + 1000, `took ${took} ms`);
    const lease = await readLease('crash-fast');
    assert.equal(lease.spec?.holderIdentity, 'b');
    assert.equal(lease.spec?.leaseTransitions, 1);
  });

  it('with the production timing, a leader process killed with SIGKILL is replaced within 15 s', async (t: TestContext) => {
    const kubeconfigFile = path.join(dir, 'kubeconfig');
    api.writeKubeconfig(kubeconfigFile, token);
    const moduleUrl = (file: string): string => new URL(file, import.meta.url).href;
    // The child is a candidate with the defaults, reporting its callbacks on stdout.
    const script = `
      const { KubeConfig } = await import(${JSON.stringify(import.meta.resolve('@kubernetes/client-node'))});
      const { LeaderElector } = await import(${JSON.stringify(moduleUrl('../../src/providers/kubernetes/leader.js'))});
      const { createLogger } = await import(${JSON.stringify(moduleUrl('../../src/log.js'))});
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(${JSON.stringify(kubeconfigFile)});
      const elector = new LeaderElector({ kubeConfig, namespace: ${JSON.stringify(NS)}, name: 'crash-defaults', identity: 'child', logger: createLogger({ level: 'info' }) });
      elector.start({ onStartedLeading: () => process.stdout.write('started\\n'), onStoppedLeading: () => process.stdout.write('stopped\\n') });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => child.kill('SIGKILL'));
    let childLeads = false;
    let childOutput = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line === 'started') childLeads = true;
        if (line === 'stopped') childLeads = false;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (childOutput = (childOutput + chunk).slice(-4000)));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

    await waitFor(`the child to lead (its log: ${childOutput})`, () => childLeads, 15_000);
    // Production timing: no options.
    const parent = candidate('parent', 'crash-defaults', {});
    await waitFor('the parent to see that the child holds the Lease', () => parent.elector.state.holder === 'child', 10_000);

    const sampler = new LeaderSampler(() => [...(childLeads ? ['child'] : []), ...leadersOf(parent)()]);
    // The parent polls through a couple of the child's renewals before the crash.
    await observeFor(2 * DEFAULT_RETRY_PERIOD_MS + 500);
    assert.equal(parent.elector.isLeader, false);

    child.kill('SIGKILL');
    const killedAt = Date.now();
    await exited;
    childLeads = false;
    await waitFor('the parent to lead', () => parent.elector.isLeader, 20_000);
    const took = Date.now() - killedAt;
    sampler.stop();
    t.diagnostic(`takeover after SIGKILL of the leader, production timing (lease 10 s, renew deadline 7 s, retry 2 s): ${(took / 1000).toFixed(2)} s`);
    assert.equal(sampler.maxLeaders, 1, sampler.timeline.join(', '));
    assert.ok(took <= 15_000, `takeover took ${took} ms`);
    // The child renewed at most one retry period before it died, and the Lease lasts 10 s from
    // when the parent saw that renewal: an earlier takeover would mean the rule was broken.
    assert.ok(took >= DEFAULT_LEASE_DURATION_SECONDS * 1000 - DEFAULT_RETRY_PERIOD_MS - 100, `took over after only ${took} ms`);
    const lease = await readLease('crash-defaults');
    assert.equal(lease.spec?.holderIdentity, 'parent');
    assert.equal(lease.spec?.leaseTransitions, 1);
  });

  it('a SIGKILL of the API server while a leader holds the Lease never makes two leaders, and leadership settles after', async (t: TestContext) => {
    const a = candidate('a', 'restart');
    const b = candidate('b', 'restart');
    const first = await waitFor('a leader', () => (a.elector.isLeader ? a : b.elector.isLeader ? b : undefined), 10_000);
    await waitFor('the other to see the holder', () => (first === a ? b : a).elector.state.holder === first.identity, 5000);

    const sampler = new LeaderSampler(leadersOf(a, b));
    const restartAt = Date.now();
    await api.restart({ signal: 'SIGKILL' });
    const upAfter = Date.now() - restartAt;
    const settled = await waitFor('one leader again', () => (a.elector.isLeader ? a : b.elector.isLeader ? b : undefined), 15_000);
    const settledAfter = Date.now() - restartAt;
    // Settled means it stays: a few renewals with exactly one leader.
    const steady = new LeaderSampler(leadersOf(a, b));
    await observeFor(3 * FAST.retryPeriodMs + 500);
    steady.stop();
    sampler.stop();
    t.diagnostic(`API server back after ${upAfter} ms; ${settled.identity} leads after ${settledAfter} ms; ${first.identity} led before; events a=${a.events.join(',')} b=${b.events.join(',')}`);
    t.diagnostic(`who led: ${sampler.timeline.join(', ')}`);
    assert.equal(sampler.maxLeaders, 1, sampler.timeline.join(', '));
    assert.equal(steady.maxLeaders, 1);
    assert.equal(steady.leaderless, 0, steady.timeline.join(', '));
    assert.equal((await readLease('restart')).spec?.holderIdentity, settled.identity);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterPhase, nextExpiry } from '../../../src/multicluster/grace.js';

test('clusterPhase: reachable, then kept for the grace period from the last answer (or the start), then expired', () => {
  const grace = 60_000;
  const cases: [string, Parameters<typeof clusterPhase>[0], number, ReturnType<typeof clusterPhase>][] = [
    ['answering', { reachable: true, lastSeenMs: 1000, startedMs: 0 }, 500_000, { phase: 'reachable' }],
    ['just lost', { reachable: false, lastSeenMs: 1000, startedMs: 0 }, 1001, { phase: 'grace', since: 1000, until: 61_000 }],
    ['last moment of grace', { reachable: false, lastSeenMs: 1000, startedMs: 0 }, 60_999, { phase: 'grace', since: 1000, until: 61_000 }],
    ['grace over', { reachable: false, lastSeenMs: 1000, startedMs: 0 }, 61_000, { phase: 'expired', since: 1000, until: 61_000 }],
    ['never answered: from the start', { reachable: false, startedMs: 5000 }, 6000, { phase: 'grace', since: 5000, until: 65_000 }],
    ['never answered, long ago', { reachable: false, startedMs: 5000 }, 65_000, { phase: 'expired', since: 5000, until: 65_000 }],
  ];
  for (const [name, reach, now, expected] of cases) assert.deepEqual(clusterPhase(reach, now, grace), expected, name);
  assert.deepEqual(clusterPhase({ reachable: false, lastSeenMs: 1000, startedMs: 0 }, 1000, 0), { phase: 'expired', since: 1000, until: 1000 }, 'no grace at all');
});

test('nextExpiry: the earliest end of a running grace period', () => {
  assert.equal(nextExpiry([{ phase: 'reachable' }, { phase: 'expired', since: 0, until: 10 }]), undefined);
  assert.equal(nextExpiry([{ phase: 'grace', since: 0, until: 300 }, { phase: 'grace', since: 0, until: 200 }, { phase: 'reachable' }]), 200);
});

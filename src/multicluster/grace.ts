/**
 * Whether a workload cluster's endpoints still count, as a function of time: while its API server
 * answers, yes; once it stops answering, its last known endpoints are kept for a grace period
 * (from the last answer, or from the controller's start when it never answered), then dropped so
 * that traffic goes to the other clusters. A short outage (an API server restart, a network blip)
 * so leaves traffic alone: the workloads behind an unreachable API server usually still run.
 */

export type ClusterPhase =
  | { phase: 'reachable' }
  /** Unreachable since `since`; endpoints kept until `until`. */
  | { phase: 'grace'; since: number; until: number }
  /** Unreachable since `since`; endpoints dropped at `until`. */
  | { phase: 'expired'; since: number; until: number };

export interface Reachability {
  /** The last probe of its API server was answered. */
  reachable: boolean;
  /** When it was last answered (ms since the epoch); undefined if never since the start. */
  lastSeenMs?: number;
  /** When the controller started watching it. */
  startedMs: number;
}

export function clusterPhase(r: Reachability, nowMs: number, graceMs: number): ClusterPhase {
  if (r.reachable) return { phase: 'reachable' };
  const since = r.lastSeenMs ?? r.startedMs;
  const until = since + graceMs;
  return nowMs < until ? { phase: 'grace', since, until } : { phase: 'expired', since, until };
}

/** When the next cluster's grace period ends (a moment to look again), if any is running. */
export function nextExpiry(phases: Iterable<ClusterPhase>): number | undefined {
  let next: number | undefined;
  for (const p of phases) if (p.phase === 'grace' && (next === undefined || p.until < next)) next = p.until;
  return next;
}

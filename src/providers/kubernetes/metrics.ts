import { Counter, Gauge, type Registry } from 'prom-client';

/** Metrics of Kubernetes mode, on the registry of the process's other metrics. */
export class KubeMetrics {
  readonly statusWrites: Counter<'kind' | 'result'>;
  readonly lists: Counter<'kind' | 'result'>;
  readonly watches: Counter<'kind' | 'end'>;
  readonly leader: Gauge;
  readonly echoSnapshots: Counter;

  constructor(registry: Registry) {
    this.statusWrites = new Counter({
      name: 'portico_status_writes_total',
      help: 'Status subresource writes to the API server, by kind and result (ok, conflict, not_found, invalid, error).',
      labelNames: ['kind', 'result'] as const,
      registers: [registry],
    });
    this.lists = new Counter({
      name: 'portico_kube_lists_total',
      help: 'Full lists of a kind from the API server (the first one, and every re-list), by result (ok, absent, error).',
      labelNames: ['kind', 'result'] as const,
      registers: [registry],
    });
    this.watches = new Counter({
      name: 'portico_kube_watches_total',
      help: 'Watch streams that ended, by kind and how (closed, expired, error, status).',
      labelNames: ['kind', 'end'] as const,
      registers: [registry],
    });
    this.leader = new Gauge({
      name: 'portico_leader',
      help: '1 while this replica is the leader (the one that writes status), else 0.',
      registers: [registry],
    });
    this.echoSnapshots = new Counter({
      name: 'portico_kube_echo_snapshots_total',
      help: 'Snapshots not translated because their only changes were the echoes of status Portico wrote.',
      registers: [registry],
    });
  }

  /** Status writes so far, all kinds and results together (for tests and the steady-state check). */
  async statusWriteCount(): Promise<number> {
    const { values } = await this.statusWrites.get();
    return values.reduce((sum, v) => sum + v.value, 0);
  }
}

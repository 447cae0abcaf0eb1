import { Counter, Gauge, type Registry } from 'prom-client';

/** Metrics of the workload clusters (portico controller --cluster), on the process's registry. */
export class MultiClusterMetrics {
  readonly reachable: Gauge<'cluster'>;
  readonly serving: Gauge<'cluster'>;
  readonly writes: Counter<'kind' | 'result'>;

  constructor(registry: Registry) {
    this.reachable = new Gauge({
      name: 'portico_cluster_reachable',
      help: "1 while the workload cluster's API server answers, else 0.",
      labelNames: ['cluster'] as const,
      registers: [registry],
    });
    this.serving = new Gauge({
      name: 'portico_cluster_endpoints_kept',
      help: "1 while the workload cluster's endpoints are served (it is reachable, or unreachable for less than --cluster-grace-period), else 0.",
      labelNames: ['cluster'] as const,
      registers: [registry],
    });
    this.writes = new Counter({
      name: 'portico_multicluster_writes_total',
      help: 'Writes of ServiceImports, their status and mirrored EndpointSlices to the config cluster, and of ServiceExport status to workload clusters, by kind and result (ok, error).',
      labelNames: ['kind', 'result'] as const,
      registers: [registry],
    });
  }
}

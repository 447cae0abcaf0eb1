import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';

/** HTTP status classes, as HAProxy counts responses. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** Traffic counted by the data plane for one series, since Portico started (see route-metrics.ts). */
export interface TrafficCounts {
  requests: number;
  responses: Record<StatusClass, number>;
  receivedBytes: number;
  sentBytes: number;
}

/**
 * One traffic series: a route rule (labels listener, route_kind, route, rule), a backend
 * (backend: namespace/name:port), or a port (port). The Gateway is the report's.
 */
export interface TrafficSeries {
  kind: 'route' | 'backend' | 'port';
  labels: Readonly<Record<string, string>>;
  counts: TrafficCounts;
}

/** What the data plane of one Gateway reports; counters since Portico started serving the Gateway. */
export interface GatewayDataPlaneReport {
  /** namespace/name */
  gateway: string;
  reloads: number;
  runtimeUpdates: { endpoints: number; maps: number };
  /** Configurations not applied: a value that cannot be written safely, or refused by HAProxy. */
  refusedConfigurations: { unsafe_value: number; haproxy: number };
  /** HAProxy exited unexpectedly and is restarted. */
  restarts: number;
  /** With route metrics on (--route-metrics). */
  traffic?: {
    series: TrafficSeries[];
    /** Averages HAProxy keeps over a rule's last 1,024 requests, in seconds. */
    times: { labels: Readonly<Record<string, string>>; responseSeconds?: number; totalSeconds?: number }[];
    /** With latency histograms (--route-latency-histograms): per route rule, responses at most each bucket's bound. */
    latency?: { bucketsSeconds: readonly number[]; series: { labels: Readonly<Record<string, string>>; cumulative: readonly number[]; count: number }[] };
  };
}

/** A data plane that reports metrics (HaproxyDataPlane). */
export interface DataPlaneMetricsSource {
  dataPlaneMetrics(): Promise<GatewayDataPlaneReport[]>;
}

export function isDataPlaneMetricsSource(x: unknown): x is DataPlaneMetricsSource {
  return typeof x === 'object' && x !== null && typeof (x as Partial<DataPlaneMetricsSource>).dataPlaneMetrics === 'function';
}

/** One sample of a computed metric; a histogram's name its series' (…_bucket, …_count). */
interface Sample {
  metricName?: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricsOptions {
  /** Also export process metrics (CPU, memory, event loop lag, ...). Default true. */
  processMetrics?: boolean;
}

/**
 * Every metric Portico exports, on a registry of its own (not prom-client's global one) so
 * several instances can live in one process, as they do in tests.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly translationsTotal = new Counter({
    name: 'portico_translations_total',
    help: 'Translations of the resource snapshot into status and data-plane configuration, by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly translationDuration = new Histogram({
    name: 'portico_translation_duration_seconds',
    help: 'Time one translation took (resources to status and IR), in seconds.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly objectsLoaded = new Gauge({
    name: 'portico_objects_loaded',
    help: 'Valid objects in the current snapshot, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly invalidObjects = new Gauge({
    name: 'portico_invalid_objects',
    help: 'Problems in the current input: refused objects, YAML errors, duplicates.',
    registers: [this.registry],
  });

  readonly lastSuccessfulTranslation = new Gauge({
    name: 'portico_last_successful_translation_timestamp_seconds',
    help: 'Unix time at which the last translation was applied to the data plane.',
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  private dataPlaneSource: DataPlaneMetricsSource | undefined;
  private report: Promise<GatewayDataPlaneReport[]> | undefined;

  /**
   * Exports what `source` reports, read on every scrape (one read shared by the collectors of a
   * scrape). Counters are set from the data plane's totals, which only grow while Portico runs.
   */
  watchDataPlane(source: DataPlaneMetricsSource): void {
    if (this.dataPlaneSource) throw new Error('a data plane is already watched');
    this.dataPlaneSource = source;
    // One read per scrape: prom-client calls every collector before awaiting any, so they all
    // share the read in flight; the next scrape reads again.
    const read = (): Promise<GatewayDataPlaneReport[]> =>
      (this.report ??= source.dataPlaneMetrics().then(
        (r) => r,
        () => [],
      ).finally(() => {
        this.report = undefined;
      }));
    // Computed on each scrape from the report: no per-sample bookkeeping (hashing, reset and
    // increment for each of tens of thousands of route series, see docs/observability.md).
    const computed = (type: 'counter' | 'gauge' | 'histogram') => (name: string, help: string, values: (reports: GatewayDataPlaneReport[]) => Sample[]): void => {
      const metric = {
        name,
        help,
        type,
        aggregator: 'sum',
        get: async () => ({ name, help, type, aggregator: 'sum', values: values(await read()) }),
      };
      // The registry only calls get() and reads name and type; prom-client's types list its own classes only.
      this.registry.registerMetric(metric as unknown as Metric);
    };
    const counter = computed('counter');
    const gauge = computed('gauge');
    const histogram = computed('histogram');

    counter('portico_haproxy_reloads_total', "Reloads of a Gateway's HAProxy (a new worker process), a first start not included.", (rs) =>
      rs.map((r) => ({ labels: { gateway: r.gateway }, value: r.reloads })),
    );
    counter('portico_haproxy_runtime_updates_total', 'Changes made through the runtime API instead of a reload, by kind: endpoints (server slots only) or maps (routing changed).', (rs) =>
      rs.flatMap((r) => [
        { labels: { gateway: r.gateway, kind: 'endpoints' }, value: r.runtimeUpdates.endpoints },
        { labels: { gateway: r.gateway, kind: 'maps' }, value: r.runtimeUpdates.maps },
      ]),
    );
    counter('portico_haproxy_refused_configurations_total', 'Configurations not applied (the last one applied keeps serving), by reason: unsafe_value (a value cannot be written safely), haproxy (HAProxy refused it).', (rs) =>
      rs.flatMap((r) => Object.entries(r.refusedConfigurations).map(([reason, value]) => ({ labels: { gateway: r.gateway, reason }, value }))),
    );
    counter('portico_haproxy_restarts_total', "Times a Gateway's HAProxy exited unexpectedly and was restarted with the last good configuration.", (rs) =>
      rs.map((r) => ({ labels: { gateway: r.gateway }, value: r.restarts })),
    );

    const traffic = (kind: TrafficSeries['kind'], prefix: string, what: string): void => {
      const each = (rs: GatewayDataPlaneReport[], fn: (labels: Record<string, string>, counts: TrafficCounts) => Sample[]): Sample[] =>
        rs.flatMap((r) => (r.traffic?.series ?? []).flatMap((s) => (s.kind === kind ? fn({ gateway: r.gateway, ...s.labels }, s.counts) : [])));
      counter(`${prefix}_requests_total`, `HTTP requests ${what}.`, (rs) => each(rs, (labels, n) => [{ labels, value: n.requests }]));
      counter(`${prefix}_responses_total`, `HTTP responses ${what}, by status class (1xx to 5xx, other), HAProxy's own answers included.`, (rs) =>
        each(rs, (labels, n) => STATUS_CLASSES.map((code_class) => ({ labels: { ...labels, code_class }, value: n.responses[code_class] }))),
      );
      counter(`${prefix}_received_bytes_total`, `Bytes received from clients ${what} (as HAProxy counts them: see docs/observability.md).`, (rs) => each(rs, (labels, n) => [{ labels, value: n.receivedBytes }]));
      counter(`${prefix}_sent_bytes_total`, `Bytes sent to clients ${what} (as HAProxy counts them).`, (rs) => each(rs, (labels, n) => [{ labels, value: n.sentBytes }]));
    };
    traffic('route', 'portico_route', 'served by a route rule on a listener');
    traffic('backend', 'portico_backend', "sent to a backend (a backendRef's Service and port) by any rule of the Gateway, retries included");
    traffic('port', 'portico_port', "on a Gateway's HTTP or HTTPS port, unrouted ones included");
    const times = (name: string, help: string, pick: (t: NonNullable<GatewayDataPlaneReport['traffic']>['times'][number]) => number | undefined): void =>
      gauge(name, help, (rs) =>
        rs.flatMap((r) =>
          (r.traffic?.times ?? []).flatMap((t) => {
            const value = pick(t);
            return value === undefined ? [] : [{ labels: { gateway: r.gateway, ...t.labels }, value }];
          }),
        ),
      );
    times('portico_route_response_time_average_seconds', "Time a backend took to send its response headers once it had the request (HAProxy's Tr), averaged by HAProxy over the rule's last 1,024 requests (current HAProxy worker; 0 for answers HAProxy gives itself).", (t) => t.responseSeconds);
    times('portico_route_total_time_average_seconds', "Total time of a request, from its arrival to the end of the response (HAProxy's Tt), averaged by HAProxy over the rule's last 1,024 requests (current HAProxy worker).", (t) => t.totalSeconds);
    const latency = 'portico_route_response_latency_seconds';
    histogram(
      latency,
      "Time from the request's headers to the backend's response headers, per route rule: backend responses only (--route-latency-histograms). No _sum: HAProxy 2.6 can count but not add up per request.",
      (rs) =>
        rs.flatMap((r) => {
          const l = r.traffic?.latency;
          if (!l) return [];
          return l.series.flatMap((s) => {
            const labels = { gateway: r.gateway, ...s.labels };
            return [
              ...l.bucketsSeconds.map((le, i) => ({ metricName: `${latency}_bucket`, labels: { ...labels, le: String(le) }, value: s.cumulative[i] ?? 0 })),
              { metricName: `${latency}_bucket`, labels: { ...labels, le: '+Inf' }, value: s.count },
              { metricName: `${latency}_count`, labels, value: s.count },
            ];
          });
        }),
    );
  }

  /** Replace the per-kind object counts: kinds absent from `counts` drop to 0 rather than linger. */
  setObjectCounts(counts: ReadonlyMap<string, number>): void {
    this.objectsLoaded.reset();
    for (const [kind, n] of counts) this.objectsLoaded.set({ kind }, n);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

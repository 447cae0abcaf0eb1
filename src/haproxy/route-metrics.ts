/**
 * Per-route traffic metrics read from HAProxy's own statistics (`show stat` on the runtime API).
 *
 * With route metrics on, every rule of every listener gets backends of its own (render.ts), so
 * HAProxy's per-backend counters (requests, responses by status class, bytes), which it keeps for
 * every request anyway, are per route rule; its per-server counters, grouped by the backendRef a
 * server slot belongs to, are per backend. The renderer records which HAProxy name stands for
 * which Gateway API names in a table: names are never parsed back out of HAProxy's.
 *
 * HAProxy's counters start from zero in each new worker (every reload). The accumulator adds up
 * the last values read from each worker, keyed by Gateway API names, so the totals Portico exports
 * only go down when Portico itself restarts.
 */

/**
 * What one route rule's series are labelled with, besides the Gateway of the data plane; in a
 * shared data plane also the Gateway the rule's listener is one of, which takes its place.
 */
export interface RouteLabels {
  gateway?: string;
  listener: string;
  routeKind: string;
  /** namespace/name */
  route: string;
  /** The rule's index in the route. */
  rule: string;
}

/** Which Gateway API names the HAProxy names of one rendering stand for. */
export interface RouteMetricsTable {
  /** Backend name → the route rule it serves, and per server group `s<i>` the IR backend (namespace/name:port). */
  backends: Record<string, { route: RouteLabels; servers: readonly string[] }>;
  /** Backend holding the server pool of a rule's attempts hop (render.ts attemptsBackend) → the rule's backend. */
  attempts: Record<string, string>;
  /** HTTP frontend name → the port clients reach, and in a shared data plane the Gateway it is one of. */
  frontends: Record<string, { port: number; gateway?: string }>;
  /** With latency histograms: the stick table counting responses per bucket, keyed by backend name. */
  latency?: { table: string; bucketsMs: readonly number[] };
}

export function emptyRouteMetricsTable(latencyBucketsMs?: readonly number[]): RouteMetricsTable {
  return { backends: {}, attempts: {}, frontends: {}, ...(latencyBucketsMs ? { latency: { table: LATENCY_TABLE, bucketsMs: latencyBucketsMs } } : {}) };
}

/** Bucket bounds (milliseconds) of the latency histograms, --route-latency-histograms. */
export const DEFAULT_LATENCY_BUCKETS_MS: readonly number[] = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

/** The stick table of the latency histograms: no name the renderer derives from routes starts with "portico_". */
const LATENCY_TABLE = 'portico_latency';

/**
 * HAProxy 2.6 has no timer a rule can read (txn.timer.* and res.timer.* came later): the time is
 * taken when the frontend has the request's headers, and subtracted when the backend's response
 * headers arrive.
 */
export const LATENCY_START_LINE = 'http-request set-var(txn.pt) date(0,ms)';

/**
 * A rule backend's lines counting its server responses into the histogram: the stick table entry
 * of the backend (its name, which the renderer made: no user text) with one general purpose
 * counter per bucket, each counting the responses at most that slow (so cumulative, as
 * Prometheus wants them), and the last one every response. Responses HAProxy makes itself run no
 * http-response rule and are not counted.
 */
export function latencyBackendLines(latency: NonNullable<RouteMetricsTable['latency']>): string[] {
  const n = latency.bucketsMs.length;
  return [
    `http-request track-sc2 be_name table ${latency.table}`,
    'http-response set-var(txn.pl) date(0,ms),sub(txn.pt)',
    ...latency.bucketsMs.map((ms, i) => `http-response sc-inc-gpc(${i},2) if { var(txn.pl) -m int le ${Math.trunc(ms)} }`),
    `http-response sc-inc-gpc(${n},2)`,
  ];
}

/** The stick table section: one entry per rule backend, never expiring (the counters are totals). */
export function latencySection(latency: NonNullable<RouteMetricsTable['latency']>, backends: number): { keyword: 'backend'; name: string; directives: string[] } {
  return { keyword: 'backend', name: latency.table, directives: [`stick-table type string len 64 size ${Math.max(16, 2 * backends)} store gpc(${latency.bucketsMs.length + 1})`] };
}

/** `show table` lines: the entry's key and its general purpose counters in order. */
export function parseShowTable(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const key = / key=(\S+) /.exec(line)?.[1];
    if (key === undefined) continue;
    const gpc: number[] = [];
    for (const m of line.matchAll(/ gpc(\d+)=(\d+)/g)) gpc[Number(m[1])] = Number(m[2]);
    out.set(key, Array.from(gpc, (v) => v ?? 0));
  }
  return out;
}

/** The counters read for each series, in this order. */
export const COUNTER_FIELDS = ['req_tot', 'hrsp_1xx', 'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other', 'bin', 'bout'] as const;
export type CounterValues = number[];
/** Averages over the last 1,024 requests (milliseconds): response time, total time. */
const TIME_FIELDS = ['rtime', 'ttime'] as const;

export interface StatRow {
  proxy: string;
  /** FRONTEND, BACKEND, or a server's name. */
  name: string;
  counters: CounterValues;
  /** rtime, ttime in milliseconds; undefined where HAProxy leaves the field empty. */
  times: (number | undefined)[];
}

/**
 * Parses `show stat` (CSV with a "# pxname," header line, ended by an empty line: other commands'
 * answers may follow); fields are found by the header's names.
 */
export function parseShowStat(text: string): StatRow[] {
  const all = text.split('\n');
  const start = all.findIndex((l) => l.startsWith('# pxname,'));
  if (start < 0) return [];
  const header = all[start] as string;
  const end = all.indexOf('', start);
  const lines = all.slice(start + 1, end < 0 ? undefined : end);
  const columns = header.slice(2).split(',');
  const at = (name: string): number => columns.indexOf(name);
  const counterAt = COUNTER_FIELDS.map(at);
  const timeAt = TIME_FIELDS.map(at);
  const proxyAt = at('pxname');
  const nameAt = at('svname');
  const rows: StatRow[] = [];
  for (const line of lines) {
    const f = line.split(',');
    const num = (i: number): number | undefined => {
      if (i < 0 || f[i] === undefined || f[i] === '') return undefined;
      const n = Number(f[i]);
      return Number.isFinite(n) ? n : undefined;
    };
    rows.push({ proxy: f[proxyAt] ?? '', name: f[nameAt] ?? '', counters: counterAt.map((i) => num(i) ?? 0), times: timeAt.map(num) });
  }
  return rows;
}

/** The worker's pid from `show info`. */
export function parseInfoPid(text: string): number | undefined {
  const m = /^Pid: (\d+)$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

export type SeriesKind = 'route' | 'backend' | 'port' | 'latency';

/** One series' labels, Gateway excluded (the caller knows it). */
export type SeriesLabels = Readonly<Record<string, string>>;

export interface Sample {
  kind: SeriesKind;
  labels: SeriesLabels;
  counters: CounterValues;
}

export interface TimeSample {
  labels: SeriesLabels;
  /** Seconds; response time (to the response headers) and total time, averaged by HAProxy. */
  responseSeconds?: number;
  totalSeconds?: number;
}

function routeLabels(r: RouteLabels): Record<string, string> {
  return { ...gatewayLabel(r.gateway), listener: r.listener, route_kind: r.routeKind, route: r.route, rule: r.rule };
}

const gatewayLabel = (gateway: string | undefined): Record<string, string> => (gateway === undefined ? {} : { gateway });
const portLabels = (p: { port: number; gateway?: string }): Record<string, string> => ({ ...gatewayLabel(p.gateway), port: String(p.port) });
const backendLabels = (backend: string, route: RouteLabels): Record<string, string> => ({ ...gatewayLabel(route.gateway), backend });

function add(into: Map<string, Sample>, kind: SeriesKind, labels: Record<string, string>, counters: CounterValues): void {
  const key = seriesKey(kind, labels);
  const known = into.get(key);
  if (known) known.counters = known.counters.map((v, i) => v + (counters[i] ?? 0));
  else into.set(key, { kind, labels, counters: [...counters] });
}

export function seriesKey(kind: SeriesKind, labels: SeriesLabels): string {
  return JSON.stringify([kind, ...Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))]);
}

/**
 * The series of one worker's statistics: a rule's backend row gives its route's series (two
 * rules of one route stay apart by the rule label; one rule served on two listeners by the
 * listener label); the server rows give the backends' (Service and port), summed over the
 * slots of every rule that sends there: per rule and backend would double the series for the
 * common single-backendRef rule, and a scrape's cost grows with them (docs/observability.md).
 * HTTP frontends give the ports'. Rows the table does not name (internal hops, mirrors, auth
 * services) are not exported.
 */
export function samplesOf(table: RouteMetricsTable, rows: readonly StatRow[], latency: ReadonlyMap<string, number[]> = new Map()): { counters: Map<string, Sample>; times: TimeSample[] } {
  const counters = new Map<string, Sample>();
  const width = (table.latency?.bucketsMs.length ?? -1) + 1;
  // Latency histograms: counters are the cumulative buckets, then the count.
  for (const [name, gpc] of latency) {
    const entry = table.backends[name];
    if (entry && width > 0) add(counters, 'latency', routeLabels(entry.route), Array.from({ length: width }, (_, i) => gpc[i] ?? 0));
  }
  const times: TimeSample[] = [];
  for (const row of rows) {
    if (row.name === 'FRONTEND') {
      const port = table.frontends[row.proxy];
      if (port !== undefined) add(counters, 'port', portLabels(port), row.counters);
      continue;
    }
    const outer = table.attempts[row.proxy];
    const entry = table.backends[outer ?? row.proxy];
    if (!entry) continue;
    if (row.name === 'BACKEND') {
      if (outer !== undefined) continue; // the outer backend's row counts the rule's requests
      const labels = routeLabels(entry.route);
      add(counters, 'route', labels, row.counters);
      const [rtime, ttime] = row.times;
      times.push({ labels, ...(rtime !== undefined ? { responseSeconds: rtime / 1000 } : {}), ...(ttime !== undefined ? { totalSeconds: ttime / 1000 } : {}) });
      continue;
    }
    // Server slots are named s<i>_<n>: slot n of the i-th backendRef (config-model.ts).
    const group = /^s(\d+)_\d+$/.exec(row.name);
    const backend = group ? entry.servers[Number(group[1])] : undefined;
    if (backend !== undefined) add(counters, 'backend', backendLabels(backend, entry.route), row.counters);
  }
  return { counters, times };
}

/**
 * Counters that survive reloads. HAProxy's start from zero in each new worker; Portico adds the
 * last values it read from earlier workers. What a worker counted after Portico's last read of it
 * (requests it finished while draining after a reload) is not seen: reads are taken on every
 * scrape and just before each reload to keep that small. Series of rules no longer configured are
 * dropped, so the set stays bounded by the configuration.
 */
export class CounterAccumulator {
  private pid: number | undefined;
  /** What earlier workers counted, by series key. */
  private readonly base = new Map<string, Sample>();
  /** The current worker's counters as last read. */
  private last = new Map<string, Sample>();

  /** Records a read of worker `pid`; `configured` are the series keys of the running configuration. */
  update(pid: number, current: ReadonlyMap<string, Sample>, configured: ReadonlySet<string>): void {
    if (pid !== this.pid) {
      for (const s of this.last.values()) add(this.base, s.kind, { ...s.labels }, s.counters);
      this.pid = pid;
      this.last = new Map();
    }
    // Within one worker counters only grow, so the larger value is the later one (two reads in
    // flight, a scrape's and the one before a reload, may finish in either order); a series
    // missing from this read keeps its last value until the next worker.
    for (const [key, s] of current) {
      const known = this.last.get(key);
      this.last.set(key, known ? { ...s, counters: s.counters.map((v, i) => Math.max(v, known.counters[i] ?? 0)) } : s);
    }
    for (const key of [...this.base.keys()]) if (!configured.has(key)) this.base.delete(key);
    for (const key of [...this.last.keys()]) if (!configured.has(key)) this.last.delete(key);
  }

  /** Totals over every worker read, per series. */
  totals(): Sample[] {
    const out = new Map<string, Sample>();
    for (const s of this.base.values()) add(out, s.kind, { ...s.labels }, s.counters);
    for (const s of this.last.values()) add(out, s.kind, { ...s.labels }, s.counters);
    return [...out.values()];
  }
}

/** The series keys a table's configuration can have, zero or not: what the accumulator keeps. */
export function configuredKeys(table: RouteMetricsTable): Set<string> {
  const keys = new Set<string>();
  for (const port of Object.values(table.frontends)) keys.add(seriesKey('port', portLabels(port)));
  for (const { route, servers } of Object.values(table.backends)) {
    keys.add(seriesKey('route', routeLabels(route)));
    if (table.latency) keys.add(seriesKey('latency', routeLabels(route)));
    for (const backend of servers) keys.add(seriesKey('backend', backendLabels(backend, route)));
  }
  return keys;
}

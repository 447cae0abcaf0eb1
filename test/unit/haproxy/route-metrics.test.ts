import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CounterAccumulator, configuredKeys, emptyRouteMetricsTable, latencyBackendLines, parseInfoPid, parseShowStat, parseShowTable, samplesOf, seriesKey, type RouteMetricsTable, type Sample } from '../../../src/haproxy/route-metrics.js';
import { gateway, gatewayClass, httpRoute, service } from '../core/builders.js';
import { run } from '../core/builders.js';
import { renderGateway } from '../../../src/haproxy/render.js';

/** The header HAProxy 2.6.12 writes for `show stat`, as is. */
const HEADER = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,';

/** A `show stat` line with the named fields set and every other one empty. */
function row(values: Record<string, string | number>): string {
  return HEADER.slice(2).split(',').map((f) => (values[f] !== undefined ? String(values[f]) : '')).join(',');
}

const counters = (req: number, h2: number, h5: number, bin: number, bout: number) => ({ req_tot: req, hrsp_1xx: 0, hrsp_2xx: h2, hrsp_3xx: 0, hrsp_4xx: 0, hrsp_5xx: h5, hrsp_other: 0, bin, bout });

const TABLE: RouteMetricsTable = {
  backends: {
    p80_rabc: { route: { listener: 'http', routeKind: 'HTTPRoute', route: 'ns/a', rule: '0' }, servers: ['ns/svc1:80', 'ns/svc2:80'] },
    p80_rdef: { route: { listener: 'http', routeKind: 'HTTPRoute', route: 'ns/a', rule: '1' }, servers: ['ns/svc1:80'] },
  },
  attempts: { p80_rdef_a: 'p80_rdef' },
  frontends: { p80: { port: 80 } },
};

const STAT = [
  HEADER,
  row({ pxname: 'p80', svname: 'FRONTEND', ...counters(12, 9, 2, 1000, 5000) }),
  row({ pxname: 'p80_rabc', svname: 's0_0', ...counters(3, 3, 0, 300, 900) }),
  row({ pxname: 'p80_rabc', svname: 's0_1', ...counters(2, 1, 1, 200, 600) }),
  row({ pxname: 'p80_rabc', svname: 's1_0', ...counters(4, 4, 0, 400, 1200) }),
  row({ pxname: 'p80_rabc', svname: 'BACKEND', ...counters(9, 8, 1, 900, 2700), rtime: 12, ttime: 15 }),
  // The attempts hop: the outer backend counts the rule's requests, the inner one's servers the attempts.
  row({ pxname: 'p80_rdef', svname: 'attempts', ...counters(2, 1, 1, 20, 60) }),
  row({ pxname: 'p80_rdef', svname: 'BACKEND', ...counters(2, 1, 1, 20, 60), rtime: 3, ttime: 4 }),
  row({ pxname: 'p80_rdef_t', svname: 'FRONTEND', ...counters(2, 1, 1, 20, 60) }),
  row({ pxname: 'p80_rdef_a', svname: 's0_0', ...counters(3, 1, 2, 30, 90) }),
  row({ pxname: 'p80_rdef_a', svname: 'BACKEND', ...counters(3, 1, 2, 30, 90) }),
  row({ pxname: 'not_found', svname: 'BACKEND', ...counters(1, 0, 0, 10, 50) }),
  '',
].join('\n');

test('parseShowStat: fields by the header, empty fields as 0 (counters) or undefined (times)', () => {
  const rows = parseShowStat(STAT);
  assert.equal(rows.length, 11);
  assert.deepEqual(rows[0], { proxy: 'p80', name: 'FRONTEND', counters: [12, 0, 9, 0, 0, 2, 0, 1000, 5000], times: [undefined, undefined] });
  assert.deepEqual(rows[4]?.times, [12, 15]);
  assert.deepEqual(parseShowStat('Unknown command\n'), []);
});

test('parseInfoPid', () => {
  assert.equal(parseInfoPid('Name: HAProxy\nVersion: 2.6.12\nPid: 4242\nUptime: 0d 0h00m01s\n'), 4242);
  assert.equal(parseInfoPid('Permission denied\n'), undefined);
});

test('samplesOf: route series from backend rows, backend series from server slots per backendRef, ports from frontends', () => {
  const { counters: series, times } = samplesOf(TABLE, parseShowStat(STAT));
  const get = (kind: Sample['kind'], labels: Record<string, string>) => series.get(seriesKey(kind, labels))?.counters;
  const rule0 = { listener: 'http', route_kind: 'HTTPRoute', route: 'ns/a', rule: '0' };
  const rule1 = { ...rule0, rule: '1' };
  assert.deepEqual(get('route', rule0), [9, 0, 8, 0, 0, 1, 0, 900, 2700]);
  assert.deepEqual(get('route', rule1), [2, 0, 1, 0, 0, 1, 0, 20, 60], 'the outer backend of an attempts hop');
  // svc1: two slots of rule 0 (3 + 2 requests) and the attempts of rule 1 (3, every attempt counts).
  assert.deepEqual(get('backend', { backend: 'ns/svc1:80' }), [8, 0, 5, 0, 0, 3, 0, 530, 1590], 'slots of every rule sending to a backend add up');
  assert.deepEqual(get('backend', { backend: 'ns/svc2:80' }), [4, 0, 4, 0, 0, 0, 0, 400, 1200]);
  assert.deepEqual(get('port', { port: '80' }), [12, 0, 9, 0, 0, 2, 0, 1000, 5000]);
  assert.equal(series.size, 5, 'internal hops and not_found have no series');
  assert.deepEqual(times, [
    { labels: rule0, responseSeconds: 0.012, totalSeconds: 0.015 },
    { labels: rule1, responseSeconds: 0.003, totalSeconds: 0.004 },
  ]);
});

test('CounterAccumulator: a new worker adds to what earlier ones counted; unconfigured series are dropped', () => {
  const acc = new CounterAccumulator();
  const labels = { listener: 'http', route_kind: 'HTTPRoute', route: 'ns/a', rule: '0' };
  const key = seriesKey('route', labels);
  const gone = seriesKey('route', { ...labels, rule: '9' });
  const read = (n: number, extra = false): Map<string, Sample> => {
    const m = new Map<string, Sample>([[key, { kind: 'route', labels, counters: [n, n] }]]);
    if (extra) m.set(gone, { kind: 'route', labels: { ...labels, rule: '9' }, counters: [1, 1] });
    return m;
  };
  const both = new Set([key, gone]);
  acc.update(100, read(5, true), both);
  acc.update(100, read(7, true), both);
  acc.update(100, read(6, true), both);
  assert.deepEqual(acc.totals().map((s) => s.counters), [[7, 7], [1, 1]], 'the same worker: its largest values, whatever order the reads finish in');
  acc.update(200, read(2), new Set([key]));
  assert.deepEqual(acc.totals().map((s) => s.counters), [[9, 9]], 'a reload: 7 from the old worker and 2 from the new one; the removed rule is gone');
  acc.update(200, new Map(), new Set([key]));
  assert.deepEqual(acc.totals().map((s) => s.counters), [[9, 9]], 'a read without the series keeps its last value');
  acc.update(300, read(0), new Set([key]));
  assert.deepEqual(acc.totals().map((s) => s.counters), [[9, 9]]);
});

test('render with routeMetrics: backends per listener and rule, named in the table', () => {
  const objects = [
    gatewayClass(),
    gateway('gw', [
      { name: 'one', port: 8080, protocol: 'HTTP', hostname: 'one.example' },
      { name: 'two', port: 8080, protocol: 'HTTP', hostname: 'two.example' },
    ]),
    service('echo'),
    // One route on both listeners, two rules to the same Service: shared backends without metrics.
    httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/x' } }], backendRefs: [{ name: 'echo', port: 80 }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/y' } }], backendRefs: [{ name: 'echo', port: 80 }] },
      ],
    }),
  ];
  const [gw] = run(objects).ir.gateways;
  assert.ok(gw);
  const plain = renderGateway(gw, { dir: '/tmp/portico-render', globalLines: [] });
  assert.equal(plain.metrics, undefined);
  assert.equal([...plain.config.matchAll(/^backend p8080_r/gm)].length, 1, 'without metrics the rules share a backend');
  const measured = renderGateway(gw, { dir: '/tmp/portico-render', globalLines: [], routeMetrics: true });
  const names = [...measured.config.matchAll(/^backend (p8080_r\S+)/gm)].map((m) => m[1]);
  assert.equal(names.length, 4, 'two rules on two listeners');
  assert.deepEqual(
    names.map((n) => measured.metrics?.backends[n as string]).map((e) => `${e?.route.listener} ${e?.route.route} ${e?.route.rule} ${e?.servers.join()}`).sort(),
    ['one default/r 0 default/echo:80', 'one default/r 1 default/echo:80', 'two default/r 0 default/echo:80', 'two default/r 1 default/echo:80'],
  );
  assert.deepEqual(measured.metrics?.frontends, { p8080: { port: 8080 } });
  assert.equal(configuredKeys(measured.metrics as RouteMetricsTable).size, 1 + 4 + 1, 'a port, four route rules, one backend');
});

test('parseShowStat reads the statistics only, whatever answers come before and after', () => {
  const answer = `Name: HAProxy\nPid: 42\n\n${STAT}\n# table: portico_latency, type: string, size:1024, used:1\n0x55: key=p80_rabc use=0 exp=0 gpc0=3 gpc1=4\n\n`;
  assert.equal(parseShowStat(answer).length, 11);
});

test('latency histograms: show table entries by backend name, cumulative buckets and the count', () => {
  // As HAProxy 2.6.12 prints it.
  const table = parseShowTable('# table: portico_latency, type: string, size:1024, used:2\n0x55e1e7a26e50: key=p80_rabc use=0 exp=0 gpc0=3 gpc1=5 gpc2=6\n0x55e1e7a26e90: key=p80_other use=0 exp=0 gpc0=1 gpc1=1 gpc2=1\n\n');
  assert.deepEqual([...table], [['p80_rabc', [3, 5, 6]], ['p80_other', [1, 1, 1]]]);
  const withLatency: RouteMetricsTable = { ...TABLE, latency: { table: 'portico_latency', bucketsMs: [10, 100] } };
  const { counters: series } = samplesOf(withLatency, [], table);
  const rule0 = { listener: 'http', route_kind: 'HTTPRoute', route: 'ns/a', rule: '0' };
  assert.deepEqual(series.get(seriesKey('latency', rule0))?.counters, [3, 5, 6]);
  assert.equal(series.size, 1, 'an entry no rule backend has is left out');
  assert.ok(configuredKeys(withLatency).has(seriesKey('latency', rule0)));
});

test('latency lines: a stick table entry per backend, a counter per bucket, then the count; bounds are whole milliseconds', () => {
  const latency = emptyRouteMetricsTable([5, 2.5e3]).latency;
  assert.ok(latency);
  assert.deepEqual(latencyBackendLines(latency), [
    'http-request track-sc2 be_name table portico_latency',
    'http-response set-var(txn.pl) date(0,ms),sub(txn.pt)',
    'http-response sc-inc-gpc(0,2) if { var(txn.pl) -m int le 5 }',
    'http-response sc-inc-gpc(1,2) if { var(txn.pl) -m int le 2500 }',
    'http-response sc-inc-gpc(2,2)',
  ]);
});

test('render with latency buckets: the frontend takes the time, rule backends with servers count, one stick table', () => {
  const objects = [
    gatewayClass(),
    gateway('gw', [{ name: 'http', port: 8080, protocol: 'HTTP' }]),
    service('echo'),
    httpRoute('r', {
      parentRefs: [{ name: 'gw' }],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/x' } }], backendRefs: [{ name: 'echo', port: 80 }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/y' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 302, hostname: 'elsewhere.example' } }] },
      ],
    }),
  ];
  const [gw] = run(objects).ir.gateways;
  assert.ok(gw);
  const r = renderGateway(gw, { dir: '/tmp/portico-render', globalLines: [], routeMetrics: true, routeLatencyBucketsMs: [10, 100] });
  const section = (name: string) => r.config.slice(r.config.indexOf(`\n${name}`)).split('\n\n')[0] ?? '';
  assert.match(section('frontend p8080'), /^\s+http-request set-var\(txn\.pt\) date\(0,ms\)$/m);
  assert.match(section('backend portico_latency'), /stick-table type string len 64 size 16 store gpc\(3\)/);
  const counted = [...r.config.matchAll(/^backend (p8080_r\S+)\n(?:.*\n)*?(?=\n|backend )/gm)].filter((m) => m[0].includes('track-sc2 be_name table portico_latency'));
  assert.equal(counted.length, 1, 'the redirect answers at the proxy: nothing to time');
  const plain = renderGateway(gw, { dir: '/tmp/portico-render', globalLines: [], routeMetrics: true });
  assert.doesNotMatch(plain.config, /portico_latency|txn\.pt/);
});

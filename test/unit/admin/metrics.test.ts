import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics, type GatewayDataPlaneReport } from '../../../src/metrics.js';

test('Metrics: setObjectCounts replaces the counts; kinds that disappear are dropped', async () => {
  const metrics = new Metrics({ processMetrics: false });
  metrics.setObjectCounts(new Map([['Gateway', 2], ['HTTPRoute', 5]]));
  metrics.setObjectCounts(new Map([['Gateway', 1]]));
  const text = await metrics.text();
  assert.match(text, /portico_objects_loaded\{kind="Gateway"\} 1/);
  assert.doesNotMatch(text, /HTTPRoute/);
  assert.match(metrics.contentType, /^text\/plain/);
});

test('Metrics: two instances in one process do not clash', async () => {
  const a = new Metrics();
  const b = new Metrics();
  a.invalidObjects.set(1);
  assert.match(await a.text(), /portico_invalid_objects 1/);
  assert.match(await b.text(), /portico_invalid_objects 0/);
});

test('Metrics: a data plane is read once per scrape and its reports become counters with Gateway API labels', async () => {
  const metrics = new Metrics({ processMetrics: false });
  let reads = 0;
  const responses = { '1xx': 0, '2xx': 4, '3xx': 0, '4xx': 1, '5xx': 2, other: 0 };
  const report: GatewayDataPlaneReport = {
    gateway: 'ns/gw',
    reloads: 3,
    runtimeUpdates: { endpoints: 2, maps: 1 },
    refusedConfigurations: { unsafe_value: 0, haproxy: 1 },
    restarts: 0,
    traffic: {
      series: [
        { kind: 'route', labels: { listener: 'http', route_kind: 'HTTPRoute', route: 'ns/a', rule: '0' }, counts: { requests: 7, responses, receivedBytes: 100, sentBytes: 900 } },
        { kind: 'backend', labels: { backend: 'ns/svc:80' }, counts: { requests: 7, responses, receivedBytes: 100, sentBytes: 900 } },
        { kind: 'port', labels: { port: '80' }, counts: { requests: 8, responses, receivedBytes: 110, sentBytes: 950 } },
      ],
      times: [{ labels: { listener: 'http', route_kind: 'HTTPRoute', route: 'ns/a', rule: '0' }, responseSeconds: 0.012 }],
      latency: { bucketsSeconds: [0.01, 0.1], series: [{ labels: { listener: 'http', route_kind: 'HTTPRoute', route: 'ns/a', rule: '0' }, cumulative: [3, 6], count: 7 }] },
    },
  };
  metrics.watchDataPlane({
    dataPlaneMetrics: () => {
      reads++;
      return Promise.resolve([report]);
    },
  });
  const text = await metrics.text();
  assert.equal(reads, 1, 'one read for every collector of the scrape');
  const route = 'gateway="ns/gw",listener="http",route_kind="HTTPRoute",route="ns/a",rule="0"';
  assert.match(text, new RegExp(`^portico_route_requests_total\\{${route}\\} 7$`, 'm'));
  assert.match(text, new RegExp(`^portico_route_responses_total\\{${route},code_class="5xx"\\} 2$`, 'm'));
  assert.match(text, new RegExp(`^portico_route_sent_bytes_total\\{${route}\\} 900$`, 'm'));
  assert.match(text, /^portico_backend_requests_total\{gateway="ns\/gw",backend="ns\/svc:80"\} 7$/m);
  assert.match(text, /^portico_port_requests_total\{gateway="ns\/gw",port="80"\} 8$/m);
  assert.match(text, new RegExp(`^portico_route_response_time_average_seconds\\{${route}\\} 0.012$`, 'm'));
  assert.doesNotMatch(text, /portico_route_total_time_average_seconds\{/, 'no value, no sample');
  assert.match(text, /^# TYPE portico_route_requests_total counter$/m);
  assert.match(text, /^# TYPE portico_route_response_latency_seconds histogram$/m);
  assert.match(text, new RegExp(`^portico_route_response_latency_seconds_bucket\\{${route},le="0.01"\\} 3$`, 'm'));
  assert.match(text, new RegExp(`^portico_route_response_latency_seconds_bucket\\{${route},le="0.1"\\} 6$`, 'm'));
  assert.match(text, new RegExp(`^portico_route_response_latency_seconds_bucket\\{${route},le="\\+Inf"\\} 7$`, 'm'));
  assert.match(text, new RegExp(`^portico_route_response_latency_seconds_count\\{${route}\\} 7$`, 'm'));
  assert.match(text, /^portico_haproxy_reloads_total\{gateway="ns\/gw"\} 3$/m);
  assert.match(text, /^portico_haproxy_runtime_updates_total\{gateway="ns\/gw",kind="maps"\} 1$/m);
  assert.match(text, /^portico_haproxy_refused_configurations_total\{gateway="ns\/gw",reason="haproxy"\} 1$/m);
  assert.match(text, /^portico_haproxy_restarts_total\{gateway="ns\/gw"\} 0$/m);
  await metrics.text();
  assert.equal(reads, 2, 'every scrape reads again');
});

test('Metrics: a data plane that fails to answer leaves its series empty, the scrape succeeds', async () => {
  const metrics = new Metrics({ processMetrics: false });
  metrics.watchDataPlane({ dataPlaneMetrics: () => Promise.reject(new Error('gone')) });
  assert.match(await metrics.text(), /# TYPE portico_route_requests_total counter/);
});

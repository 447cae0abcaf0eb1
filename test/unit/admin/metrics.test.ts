import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics } from '../../../src/metrics.js';

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

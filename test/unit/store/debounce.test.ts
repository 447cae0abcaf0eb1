import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Debouncer } from '../../../src/store/debounce.js';

test('Debouncer: a burst of triggers runs the function once, after the quiet window', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let runs = 0;
  const d = new Debouncer(() => runs++, { quietMs: 100 });
  for (let i = 0; i < 50; i++) {
    d.trigger();
    t.mock.timers.tick(10);
  }
  assert.equal(runs, 0);
  assert.equal(d.pending, true);
  t.mock.timers.tick(89); // 99 ms since the last trigger
  assert.equal(runs, 0);
  t.mock.timers.tick(1);
  assert.equal(runs, 1);
  assert.equal(d.pending, false);
});

test('Debouncer: maxWaitMs runs the function even while triggers keep coming', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let runs = 0;
  const d = new Debouncer(() => runs++, { quietMs: 100, maxWaitMs: 300 });
  for (let i = 0; i < 35; i++) {
    d.trigger();
    t.mock.timers.tick(50);
  }
  // 1750 ms of steady triggers: one run per 300 ms window.
  assert.ok(runs >= 5 && runs <= 6, `${runs} runs`);
});

test('Debouncer: cancel drops a pending run', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let runs = 0;
  const d = new Debouncer(() => runs++, { quietMs: 100, maxWaitMs: 200 });
  d.trigger();
  d.cancel();
  t.mock.timers.tick(1000);
  assert.equal(runs, 0);
});

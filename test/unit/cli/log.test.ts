import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, formatLogRecord, isLogLevel, LOG_LEVELS, silentLogger, textDestination } from '../../../src/log.js';

test('isLogLevel: the levels --log-level accepts', () => {
  for (const level of LOG_LEVELS) assert.equal(isLogLevel(level), true);
  assert.equal(isLogLevel('loud'), false);
});

test('createLogger: JSON lines at the chosen level and above', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } });
  logger.info('not shown');
  logger.warn({ kind: 'Deployment' }, 'shown');
  assert.equal(lines.length, 1);
  assert.equal(lines[0]?.msg, 'shown');
  assert.equal(lines[0]?.kind, 'Deployment');
  assert.equal(lines[0]?.name, 'portico');
});

test('silentLogger: logs nothing', () => {
  assert.equal(silentLogger().isLevelEnabled('fatal'), false);
});

// --log-format: the text formatter and how createLogger picks a format.

/** A destination that keeps what it is given, line by line, in the order written. */
function collect(): { lines: string[]; destination: { write(s: string): void } } {
  const lines: string[] = [];
  return { lines, destination: { write: (s: string) => void lines.push(s) } };
}

/** The line after its HH:MM:SS.mmm and the space after it; fails when the line does not start with one. */
function withoutClock(line: string | undefined): string {
  assert.match(line ?? '', /^\d\d:\d\d:\d\d\.\d{3} /);
  return (line ?? '').slice(13);
}

/** Local time 03:04:05.006 on some day, whatever the test machine's time zone. */
const AT = new Date(2025, 0, 2, 3, 4, 5, 6).getTime();

test('formatLogRecord: local time, level, message, then the other fields in order', () => {
  const line = formatLogRecord({ level: 30, time: AT, name: 'portico', gateway: 'default/web', port: 8080, ready: true, none: null, msg: 'listening' }, { color: false });
  assert.equal(line, '03:04:05.006 INFO  listening gateway=default/web port=8080 ready=true none=null\n');
});

test('formatLogRecord: values are quoted only when they hold spaces, quotes or other separators', () => {
  const line = formatLogRecord(
    { level: 30, time: AT, plain: 'a/b:c', space: 'two words', dq: 'say "hi"', sq: "it's", eq: 'a=b', nl: 'a\nb', empty: '', tab: 'a\tb', msg: 'm' },
    { color: false },
  );
  assert.equal(line, `03:04:05.006 INFO  m plain=a/b:c space="two words" dq="say \\"hi\\"" sq="it's" eq="a=b" nl="a\\nb" empty="" tab="a\\tb"\n`);
});

test('formatLogRecord: nested objects and arrays as compact JSON; a logger name other than portico is kept', () => {
  const line = formatLogRecord({ level: 40, time: AT, name: 'other', ref: { kind: 'Gateway', names: ['a', 'b c'] }, list: [1, 2], msg: 'warned' }, { color: false });
  assert.equal(line, '03:04:05.006 WARN  warned name=other ref={"kind":"Gateway","names":["a","b c"]} list=[1,2]\n');
});

test('formatLogRecord: an err field gives its message inline, its other fields, and its stack on indented lines', () => {
  const line = formatLogRecord(
    { level: 60, time: AT, err: { type: 'Error', message: 'bind failed', stack: 'Error: bind failed\n    at listen (net.js:1:1)', code: 'EADDRINUSE' }, msg: 'cannot start' },
    { color: false },
  );
  assert.equal(line, '03:04:05.006 FATAL cannot start err="bind failed" err.code=EADDRINUSE\n    Error: bind failed\n        at listen (net.js:1:1)\n');
  // Something that is not a serialized error stays an ordinary field.
  assert.equal(formatLogRecord({ level: 50, time: AT, err: 'just text', msg: 'x' }, { color: false }), '03:04:05.006 ERROR x err="just text"\n');
});

test('formatLogRecord: every level by name, aligned; a message over several lines stays indented', () => {
  const names = [10, 20, 30, 40, 50, 60].map((level) => formatLogRecord({ level, time: AT, msg: 'm' }, { color: false }));
  assert.deepEqual(names, [
    '03:04:05.006 TRACE m\n',
    '03:04:05.006 DEBUG m\n',
    '03:04:05.006 INFO  m\n',
    '03:04:05.006 WARN  m\n',
    '03:04:05.006 ERROR m\n',
    '03:04:05.006 FATAL m\n',
  ]);
  assert.equal(formatLogRecord({ level: 30, time: AT, msg: 'first\nsecond', k: 1 }, { color: false }), '03:04:05.006 INFO  first\n    second k=1\n');
  assert.equal(formatLogRecord({ level: 30, time: AT, k: 1 }, { color: false }), '03:04:05.006 INFO  k=1\n', 'no message');
});

test('formatLogRecord: colour codes around the level only when asked', () => {
  assert.equal(formatLogRecord({ level: 50, time: AT, msg: 'm' }, { color: true }), '03:04:05.006 \x1b[31mERROR\x1b[0m m\n');
  assert.equal(formatLogRecord({ level: 30, time: AT, msg: 'm' }, { color: true }), '03:04:05.006 \x1b[32mINFO\x1b[0m  m\n');
});

test('createLogger: text on a terminal, coloured unless NO_COLOR is set', () => {
  const tty = collect();
  createLogger({ destination: tty.destination, isTTY: true, env: {} }).warn({ n: 1 }, 'careful');
  assert.equal(withoutClock(tty.lines[0]), '\x1b[33mWARN\x1b[0m  careful n=1\n');

  const noColor = collect();
  createLogger({ destination: noColor.destination, isTTY: true, env: { NO_COLOR: '1' } }).warn('careful');
  assert.equal(withoutClock(noColor.lines[0]), 'WARN  careful\n');

  // An empty NO_COLOR counts as unset (no-color.org).
  const empty = collect();
  createLogger({ destination: empty.destination, isTTY: true, env: { NO_COLOR: '' } }).warn('careful');
  assert.equal(withoutClock(empty.lines[0]), '\x1b[33mWARN\x1b[0m  careful\n');
});

test('createLogger: --log-format text on a pipe is text without colour', () => {
  const out = collect();
  createLogger({ destination: out.destination, format: 'text', isTTY: false, env: {} }).error({ err: new Error('boom') }, 'failed');
  const text = out.lines.join('');
  assert.ok(withoutClock(text).startsWith('ERROR failed err=boom\n    Error: boom\n        at '), text);
  assert.ok(!text.includes('\x1b'), 'no escape codes');
});

test('createLogger: JSON lines when auto is not on a terminal, or when json is asked on one, in the same shape as before', () => {
  for (const options of [{}, { format: 'auto' as const, isTTY: false }, { format: 'json' as const, isTTY: true }]) {
    const out = collect();
    createLogger({ ...options, destination: out.destination, env: {} }).info({ a: 1 }, 'x');
    assert.equal(out.lines.length, 1);
    assert.match(out.lines[0] ?? '', /^\{"level":30,"time":\d+,"name":"portico","a":1,"msg":"x"\}\n$/, JSON.stringify(options));
  }
});

test('createLogger: a text line is written before the log call returns, as JSON lines are', () => {
  const out = collect();
  const logger = createLogger({ destination: out.destination, format: 'text', env: {} });
  logger.fatal('last words');
  assert.equal(out.lines.length, 1);
  assert.match(out.lines[0] ?? '', / FATAL last words\n$/);
});

test('textDestination: a line that is not a JSON object passes through untouched', () => {
  const out = collect();
  const destination = textDestination(out.destination, { color: false });
  destination.write('not json\n');
  destination.write('[1,2]\n');
  assert.deepEqual(out.lines, ['not json\n', '[1,2]\n']);
});

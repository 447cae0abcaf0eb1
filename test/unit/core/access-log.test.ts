import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessLogSettings, parseLogFilter, parseLogFormat, sinkPathProblem } from '../../../src/graph/access-log.js';
import { filterAccepts, parseAccessLine, sinksFor } from '../../../src/haproxy/access-log-lines.js';

test('parseLogFormat: literal text and Envoy operators, with header alternatives and lengths', () => {
  const parsed = parseLogFormat('[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH):40%" %RESPONSE_CODE%\n', 'f');
  assert.deepEqual(parsed, {
    parts: [
      { text: '[' },
      { op: 'START_TIME' },
      { text: '] "' },
      { op: 'REQ', header: ':method' },
      { text: ' ' },
      { op: 'REQ', header: 'x-envoy-original-path', alternative: ':path', maxLength: 40 },
      { text: '" ' },
      { op: 'RESPONSE_CODE' },
    ],
  });
});

test('parseLogFormat: refuses what Portico cannot fill, naming it', () => {
  const problem = (f: string) => {
    const r = parseLogFormat(f, 'f');
    return 'problem' in r ? r.problem : undefined;
  };
  assert.match(problem('%RESPONSE_FLAGS%') ?? '', /%RESPONSE_FLAGS% is not supported/);
  assert.match(problem('100% sure') ?? '', /starts no command operator/);
  assert.match(problem('%START_TIME(%s)%') ?? '', /START_TIME% takes no argument/);
  assert.match(problem('%REQ(:STATUS)%') ?? '', /names no header/);
  assert.match(problem('%RESP(:method)%') ?? '', /names no header/);
  assert.match(problem('%REQ(a?b?c)%') ?? '', /more than one alternative/);
  assert.match(problem("%REQ(x-a'b)%") ?? '', /names no header Portico can log/);
  assert.match(problem('%RESPONSE_CODE:3%') ?? '', /is a number/);
  assert.match(problem('a\nb') ?? '', /control character/);
  assert.equal(problem('%BYTES_SENT%\n'), undefined, 'a final newline is allowed');
});

test('parseLogFilter: the filters Portico evaluates, and the others refused by path', () => {
  assert.deepEqual(parseLogFilter({ orFilter: [{ statusCodeFilter: { op: 'GE', value: 500 } }, { headerFilter: { header: { name: 'X-Debug', value: 'on' } } }] }, 'filter'), {
    or: [{ status: { op: 'GE', value: 500 } }, { header: { name: 'x-debug', type: 'Exact', value: 'on' } }],
  });
  assert.deepEqual(parseLogFilter({ andFilter: [{ notHealthCheckFilter: true }, { durationFilter: { op: 'LE', value: 10 } }] }, 'filter'), { and: [{ notHealthCheck: true }, { durationMs: { op: 'LE', value: 10 } }] });
  assert.deepEqual(parseLogFilter({ grpcStatusFilter: { statuses: ['OK'] } }, 'filter'), { problem: 'filter.grpcStatusFilter is not supported by Portico (statusCodeFilter, durationFilter, headerFilter, notHealthCheckFilter, andFilter, orFilter are)' });
  assert.match((parseLogFilter({ headerFilter: { header: { name: 'x', type: 'RegularExpression', value: '(?<=a)b' } } }, 'filter') as { problem: string }).problem, /filter\.headerFilter\.header\.value/);
});

test('sinkPathProblem: standard streams always; files only inside --access-log-dir', () => {
  assert.equal(sinkPathProblem('/dev/stdout', undefined, 'p'), undefined);
  assert.equal(sinkPathProblem('/dev/stderr', '/var/log/portico', 'p'), undefined);
  assert.match(sinkPathProblem('/var/log/portico/a.log', undefined, 'p') ?? '', /--access-log-dir/);
  assert.equal(sinkPathProblem('/var/log/portico/a.log', '/var/log/portico', 'p'), undefined);
  assert.match(sinkPathProblem('/var/log/portico/../../etc/passwd', '/var/log/portico', 'p') ?? '', /not a file inside/);
  assert.match(sinkPathProblem('/var/log/portico-other/a.log', '/var/log/portico', 'p') ?? '', /not a file inside/);
  assert.match(sinkPathProblem('a.log', '/var/log/portico', 'p') ?? '', /not a file inside/);
  assert.match(sinkPathProblem('/var/log/portico', '/var/log/portico', 'p') ?? '', /not a file inside/);
});

test('accessLogSettings: one format per port, several sinks; grpc and OpenTelemetry sinks refused', () => {
  const json = { status: '%RESPONSE_CODE%', nested: { n: 1, ok: true, none: null } };
  const r = accessLogSettings([{ fileSink: { path: '/dev/stdout', jsonFormat: json } }, { fileSink: { path: '/dev/stderr', jsonFormat: json }, filter: { statusCodeFilter: { op: 'GE', value: 400 } } }], 'a', undefined);
  assert.ok(!('problem' in r));
  assert.deepEqual(r.sinks, [{ path: '/dev/stdout' }, { path: '/dev/stderr', filter: { status: { op: 'GE', value: 400 } } }]);
  assert.deepEqual(r.format, { type: 'json', fields: [['status', { parts: [{ op: 'RESPONSE_CODE' }] }], ['nested', { object: [['n', { constant: 1 }], ['ok', { constant: true }], ['none', { constant: null }]] }]] });
  const two = accessLogSettings([{ fileSink: { path: '/dev/stdout', stringFormat: 'a' } }, { fileSink: { path: '/dev/stderr', stringFormat: 'b' } }], 'a', undefined);
  assert.deepEqual(two, { problem: 'a[1].fileSink: Portico writes one format per port, and a[0] has another' });
  assert.deepEqual(accessLogSettings([{ grpcService: { logName: 'x' } }], 'a', undefined), { problem: 'a[0].grpcService is not supported by Portico (fileSink is)' });
  assert.deepEqual(accessLogSettings([{ fileSink: { path: '/dev/stdout', jsonFormat: { a: [1] } } }], 'a', undefined), { problem: 'a[0].fileSink.jsonFormat.a must be a string, a number, a boolean or an object' });
});

test('parseAccessLine and filters: status, duration, flags, and/or; other lines are not access lines', () => {
  const line = parseAccessLine('@abc\t503\t12\t-1\t{"x":1}\twith a tab');
  assert.deepEqual(line, { id: 'abc', status: 503, durationMs: 12, flags: '-1', text: '{"x":1}\twith a tab' });
  assert.equal(parseAccessLine('[NOTICE]   (1) : haproxy version is 2.6'), undefined);
  assert.equal(parseAccessLine('@abc\t503'), undefined);
  if (!line) return;
  assert.equal(filterAccepts({ status: { op: 'GE', value: 500 } }, line), true);
  assert.equal(filterAccepts({ status: { op: 'LE', value: 499 } }, line), false);
  assert.equal(filterAccepts({ durationMs: { op: 'EQ', value: 12 } }, line), true);
  assert.equal(filterAccepts({ flag: 0 }, line), false);
  assert.equal(filterAccepts({ flag: 1 }, line), true);
  assert.equal(filterAccepts({ notFlag: 0 }, line), true);
  assert.equal(filterAccepts({ and: [{ flag: 1 }, { notFlag: 1 }] }, line), false);
  assert.equal(filterAccepts({ or: [{ flag: 0 }, { durationMs: { op: 'GE', value: 10 } }] }, line), true);
  assert.deepEqual(sinksFor(line, [{ path: '/a' }, { path: '/b', filter: { status: { op: 'EQ', value: 200 } } }]), ['/a']);
});

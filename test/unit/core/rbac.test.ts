import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMatchExpressions } from '../../../src/graph/rbac.js';

const show = (d: ReturnType<typeof compileMatchExpressions>): string =>
  typeof d === 'string' ? d : d.map((all) => all.map((l) => `${l.negate ? '!' : ''}${l.test.kind}(${'name' in l.test ? `${l.test.name}=` : ''}${l.test.value ?? ''})`).join(' & ')).join(' | ');

test('compileMatchExpressions: the supported attributes, each as one test', () => {
  assert.equal(show(compileMatchExpressions(["cidr('10.1.2.3/8').containsIP(source.address)"], 'm')), 'sourceCidr(10.1.2.3/8)');
  assert.equal(show(compileMatchExpressions(["cidr('2001:db8::/32').containsIP(ip(source.address))"], 'm')), 'sourceCidr(2001:db8::/32)');
  assert.equal(show(compileMatchExpressions(["source.address == '192.0.2.1'"], 'm')), 'sourceCidr(192.0.2.1/32)');
  assert.equal(show(compileMatchExpressions(["request.headers['X-Team'] == 'ops'"], 'm')), 'header(x-team=ops)');
  assert.equal(show(compileMatchExpressions(["'x-team' in request.headers"], 'm')), 'header(x-team=)');
  assert.equal(show(compileMatchExpressions(["'GET' == request.method"], 'm')), 'method(GET)');
  assert.equal(show(compileMatchExpressions(["request.url_path == '/a'", "request.path == '/a?b'", "request.url_path.startsWith('/b')"], 'm')), 'path(/a) | pathQuery(/a?b) | pathPrefix(/b)');
});

test('compileMatchExpressions: negations go down to the tests (De Morgan), && distributes over ||', () => {
  assert.equal(show(compileMatchExpressions(["!(request.method == 'GET' || request.method == 'HEAD')"], 'm')), '!method(GET) & !method(HEAD)');
  assert.equal(show(compileMatchExpressions(["!(request.method == 'GET' && request.url_path == '/a')"], 'm')), '!method(GET) | !path(/a)');
  assert.equal(show(compileMatchExpressions(["(request.method == 'GET' || request.method == 'HEAD') && request.headers['a'] != 'b'"], 'm')), 'method(GET) & !header(a=b) | method(HEAD) & !header(a=b)');
  assert.equal(show(compileMatchExpressions(['true'], 'm')), '');
  assert.deepEqual(compileMatchExpressions(['false'], 'm'), []);
});

test('compileMatchExpressions: anything else is refused with the expression named', () => {
  assert.match(show(compileMatchExpressions(["request.size > 10"], 'spec.rbac.policy.matchExpressions')), /^spec\.rbac\.policy\.matchExpressions\[0\] "request.size > 10": the function > is not supported$/);
  assert.match(show(compileMatchExpressions(["request.host == 'a'"], 'm')), /comparisons of request.host are not supported/);
  assert.match(show(compileMatchExpressions(["source.address == 'not-an-ip'"], 'm')), /not an IP address/);
  assert.match(show(compileMatchExpressions(["cidr('10.0.0.0/99').containsIP(source.address)"], 'm')), /containsIP is supported as/);
  assert.match(show(compileMatchExpressions(["request.headers['a b'] == 'c'"], 'm')), /header name literal/);
  assert.match(show(compileMatchExpressions(['request.method == ('], 'm')), /not a valid CEL expression/);
  const wide = Array.from({ length: 7 }, (_, i) => `(request.method == 'M${i}A' || request.method == 'M${i}B')`).join(' && ');
  assert.match(show(compileMatchExpressions([wide.replace(/M(\d)([AB])/g, (_, d, x) => `X${'ABCDEFGHIJ'[Number(d)]}${x}`)], 'm')), /more than 64 alternatives/);
});

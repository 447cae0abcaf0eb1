import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haproxyRuleProblem } from '../../../src/haproxy/capabilities.js';
import { regexProblem } from '../../../src/api/regex.js';
import type { RuleChecker } from '../../../src/api/data-plane.js';

test('regexProblem: RE2 syntax in printable ASCII passes; what PCRE2 refuses or reads differently does not', () => {
  for (const ok of ['^v[0-9]+$', '/items/[0-9]+', '(?i)abc', '[[:alpha:]]+', '\\x41', 'a\\\\p', '(?P<x>a)|b{2,1000}']) assert.equal(regexProblem(ok, 'path'), undefined, ok);
  const refused: [string, RegExp][] = [
    ['/(?<=a+)b', /not valid RE2 syntax/],
    ['\\u0041', /not valid RE2 syntax/],
    ['(a)\\1', /not valid RE2 syntax/],
    ['a{1001}', /not valid RE2 syntax/],
    ['é', /printable ASCII/],
    ['\\pL', /Unicode class/],
    ['\\x{263a}', /Unicode class/],
    ['\\xff', /above 0x7f/],
  ];
  for (const [source, why] of refused) assert.match(regexProblem(source, 'path') ?? '', why, source);
});

test('haproxyRuleProblem: filters it cannot carry out fail closed; matches it cannot evaluate drop the rule', () => {
  const rule = (r: object) => haproxyRuleProblem(r as Parameters<RuleChecker>[0], 'HTTPRoute');
  assert.deepEqual(rule({ filters: [{ type: 'ExternalAuth', externalAuth: {} }] }), { message: 'filter type ExternalAuth is not supported', answer500: true });
  assert.equal(rule({ sessionPersistence: { type: 'Cookie', sessionName: 'sid', absoluteTimeout: '1h' } }), undefined);
  assert.equal(rule({ sessionPersistence: { type: 'Header', sessionName: 'x-session' } }), undefined);
  assert.deepEqual(rule({ sessionPersistence: { type: 'Header', sessionName: "x'(s)" } }), {
    message: `sessionPersistence.sessionName "x'(s)": a session header name may hold letters, digits and -_. only (at most 64)`,
    answer500: true,
  });
  assert.match(rule({ sessionPersistence: { sessionName: 'a b' } })?.message ?? '', /is not a cookie name/);
  const split = rule({ sessionPersistence: {}, backendRefs: [{ name: 'a', filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x', value: 'y' }] } }] }] });
  assert.match(split?.message ?? '', /backendRefs carry filters/);
  const regex = rule({ matches: [{ path: { type: 'RegularExpression', value: '/(?<=a)b' } }] });
  assert.equal(regex?.answer500, undefined);
  assert.match(regex?.message ?? '', /^path: regular expression/);
  const long = 'v'.repeat(4096);
  const headers = Array.from({ length: 4 }, (_, i) => ({ name: `x-${i}`, value: long }));
  assert.match(rule({ matches: [{ headers }] })?.message ?? '', /too long to route \(\d+ bytes once encoded; at most 12000\)/);
  assert.equal(rule({ matches: [{ headers: headers.slice(0, 2) }] }), undefined, 'two such headers fit');
  assert.match(rule({ matches: [{ headers: [{ name: 'x', value: 'a\ud800' }] }] })?.message ?? '', /not valid UTF-8/);
  assert.equal(rule({ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }), undefined);
});

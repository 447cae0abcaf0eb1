import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareHostnameSpecificity, hostnameMatches, intersectHostnames } from '../../../src/api/hostnames.js';

test('hostnameMatches: exact and wildcard', () => {
  assert.equal(hostnameMatches('foo.example.com', 'foo.example.com'), true);
  assert.equal(hostnameMatches('*.example.com', 'foo.example.com'), true);
  assert.equal(hostnameMatches('*.example.com', 'a.b.example.com'), true);
  assert.equal(hostnameMatches('*.example.com', 'example.com'), false);
  assert.equal(hostnameMatches('*.example.com', 'fooexample.com'), false);
  assert.equal(hostnameMatches('*.example.com', '*.a.example.com'), true);
  assert.equal(hostnameMatches('*.a.example.com', '*.example.com'), false);
  assert.equal(hostnameMatches('foo.example.com', '*.example.com'), false);
});

test('intersectHostnames follows the HTTPRoute hostname rules', () => {
  assert.deepEqual(intersectHostnames(undefined, undefined), { anyHost: true, hostnames: [] });
  assert.deepEqual(intersectHostnames('a.example.com', []), { anyHost: false, hostnames: ['a.example.com'] });
  assert.deepEqual(intersectHostnames(undefined, ['x.org']), { anyHost: false, hostnames: ['x.org'] });
  assert.deepEqual(intersectHostnames('*.example.com', ['a.example.com', 'x.org']), { anyHost: false, hostnames: ['a.example.com'] });
  // A route wildcard wider than the listener narrows to the listener hostname.
  assert.deepEqual(intersectHostnames('a.example.com', ['*.example.com']), { anyHost: false, hostnames: ['a.example.com'] });
  assert.deepEqual(intersectHostnames('a.example.com', ['b.example.com']), { anyHost: false, hostnames: [] });
  assert.deepEqual(intersectHostnames('*.example.com', ['*.foo.example.com']), { anyHost: false, hostnames: ['*.foo.example.com'] });
});

test('compareHostnameSpecificity: exact, then longer wildcard, then any', () => {
  const sorted = ['*', '*.example.com', 'a.example.com', '*.b.example.com', undefined].sort(compareHostnameSpecificity);
  assert.deepEqual(sorted, ['a.example.com', '*.b.example.com', '*.example.com', '*', undefined]);
});

test('withArticle reads acronyms letter by letter', async () => {
  const { withArticle } = await import('../../../src/graph/words.js');
  assert.deepEqual(['HTTPRoute', 'HTTPS', 'GRPCRoute', 'TCPRoute', 'UDPRoute', 'TLS'].map(withArticle), [
    'an HTTPRoute',
    'an HTTPS',
    'a GRPCRoute',
    'a TCPRoute',
    'a UDPRoute',
    'a TLS',
  ]);
});

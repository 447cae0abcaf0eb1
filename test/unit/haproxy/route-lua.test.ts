import { test } from 'node:test';
import assert from 'node:assert/strict';
import { luaString, routeLua } from '../../../src/haproxy/route-lua.js';

test('luaString: quotes and backslashes escaped, control characters as three-digit escapes', () => {
  assert.equal(luaString('/tmp/a"b\\c'), '"/tmp/a\\"b\\\\c"');
  // "\0101" reads as newline then "1"; a two-digit "\101" would read as "e".
  assert.equal(luaString('x\n1'), '"x\\0101"');
});

test('routeLua: the groups map is named by its path, as a Lua string', () => {
  assert.match(routeLua('/run/p/groups.map'), /^local groups = Map\.new\("\/run\/p\/groups\.map", Map\._str\)$/m);
});

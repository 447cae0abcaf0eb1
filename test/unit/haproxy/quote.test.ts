import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatWord, isFetchArgSafe, literalFormat, mapField, UnsafeValueError, word } from '../../../src/haproxy/quote.js';
import { durationMs } from '../../../src/api/durations.js';

test('word: bare when safe, single-quoted otherwise, double-quoted with escapes around single quotes', () => {
  assert.equal(word('/api/v1'), '/api/v1');
  assert.equal(word('a b#c'), "'a b#c'");
  assert.equal(word(`it's "x" \\ $HOME`), `"it's \\"x\\" \\\\ \\$HOME"`);
  assert.throws(() => word('a\nb'), UnsafeValueError);
  assert.throws(() => word('a\rb'), UnsafeValueError);
  assert.throws(() => word('a\u0000b'), UnsafeValueError);
});

test('word never yields text that ends the line or starts a comment outside quotes', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      let out: string;
      try {
        out = word(s);
      } catch (e) {
        return e instanceof UnsafeValueError;
      }
      if (out.includes('\n') || out.includes('\r')) return false;
      // Bare words contain no quote, space or comment character.
      if (!out.startsWith("'") && !out.startsWith('"')) return !/[\s#'"\\]/.test(out);
      return out.endsWith(out[0] as string) && out.length >= 2;
    }),
  );
});

test('literalFormat doubles % so no %[expression] can be injected', () => {
  assert.equal(literalFormat('100%[src]'), '100%%[src]');
  assert.equal(formatWord('a %[src]'), "'a %%[src]'");
});

test('isFetchArgSafe and mapField refuse what they cannot carry', () => {
  assert.equal(isFetchArgSafe('x-tenant'), true);
  assert.equal(isFetchArgSafe('x)y'), false);
  assert.equal(isFetchArgSafe("x'y"), false);
  assert.equal(mapField('1|/api/'), '1|/api/');
  assert.throws(() => mapField('a b'), UnsafeValueError);
  assert.throws(() => mapField('a#b'), UnsafeValueError);
});

test('durationMs converts Gateway API durations', () => {
  assert.equal(durationMs('1h'), 3_600_000);
  assert.equal(durationMs('2m30s'), 150_000);
  assert.equal(durationMs('500ms'), 500);
  assert.equal(durationMs('1s500ms'), 1500);
  assert.equal(durationMs('abc'), undefined);
  assert.equal(durationMs(''), undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAddressPool, parseHostPort } from '../../../src/cli/options.js';

test('parseHostPort: IPv4, host names, bracketed IPv6, port 0', () => {
  assert.deepEqual(parseHostPort('127.0.0.1:9901'), { ok: true, value: { host: '127.0.0.1', port: 9901 } });
  assert.deepEqual(parseHostPort('localhost:0'), { ok: true, value: { host: 'localhost', port: 0 } });
  assert.deepEqual(parseHostPort('0.0.0.0:65535'), { ok: true, value: { host: '0.0.0.0', port: 65535 } });
  assert.deepEqual(parseHostPort('[::1]:9901'), { ok: true, value: { host: '::1', port: 9901 } });
});

test('parseHostPort: refuses what is not HOST:PORT, saying why', () => {
  const why = (text: string): string => {
    const r = parseHostPort(text);
    assert.equal(r.ok, false, text);
    return r.ok ? '' : r.message;
  };
  assert.equal(why('9901'), '"9901" is not HOST:PORT: missing ":PORT"');
  assert.match(why(':9901'), /missing HOST/);
  assert.match(why('127.0.0.1:65536'), /PORT must be a number from 0 to 65535/);
  assert.match(why('127.0.0.1:http'), /PORT must be/);
  assert.match(why('::1:9901'), /brackets/);
  assert.match(why('[127.0.0.1]:80'), /not an IPv6 address/);
  assert.match(why('bad_host!:80'), /neither an IP address nor a host name/);
});

test('checkAddressPool: CIDR and FIRST-LAST, IPv4 and IPv6; refuses nonsense with the reason', () => {
  for (const ok of ['127.0.10.0/24', '10.0.0.1-10.0.0.9', 'fd00::/120', 'fd00::1-fd00::ff']) {
    assert.deepEqual(checkAddressPool(ok), { ok: true, value: ok }, ok);
  }
  for (const bad of ['10.0.0.0/33', 'nonsense', '10.0.0.9-10.0.0.1', '10.0.0.1-fd00::1', '300.0.0.0/8']) {
    const r = checkAddressPool(bad);
    assert.equal(r.ok, false, bad);
    assert.match(r.ok ? '' : r.message, /address pool/, bad);
  }
});

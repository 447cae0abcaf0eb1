import assert from 'node:assert/strict';
import net from 'node:net';
import { test, type TestContext } from 'node:test';
import {
  canonicalHeaderName,
  closePayload,
  connectWebSocket,
  encodeWebSocketFrame,
  parseClosePayload,
  parseGoDuration,
  requestJson,
  startEcho,
  websocketAccept,
  WebSocketFrameParser,
  WebSocketMessageAssembler,
  WebSocketProtocolError,
  WsOpcode,
  type EchoBody,
  type EchoOptions,
  type EchoServer,
} from '../../support/echo-server.js';
import { waitFor } from '../../support/fs-wait.js';

async function echo(t: TestContext, options: Partial<EchoOptions> = {}): Promise<EchoServer> {
  const server = await startEcho({ name: 'infra-backend-v1', ...options });
  t.after(() => server.close());
  return server;
}

/** Writes raw bytes on a fresh connection and collects everything until the server closes it. */
function rawExchange(port: number, bytes: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.end(bytes);
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP

test('echo: an HTTP/1.1 request is answered 200 with the upstream JSON shape', async (t) => {
  const server = await echo(t, { namespace: 'ns-a' });
  assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  const res = await requestJson(`${server.url}/p?q=1`, { headers: { 'x-test': 'one' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.deepEqual(res.json, {
    path: '/p?q=1',
    host: `127.0.0.1:${server.port}`,
    method: 'GET',
    proto: 'HTTP/1.1',
    headers: { 'X-Test': ['one'], Connection: ['close'] },
    namespace: 'ns-a',
    ingress: '',
    service: '',
    pod: 'infra-backend-v1',
    sni: '',
    httpPort: String(server.port),
    bodyLength: 0,
  });
  assert.equal(server.requests, 1);
});

test('echo: defaults to namespace gateway-conformance-infra and counts body bytes', async (t) => {
  const server = await echo(t);
  const body = 'x'.repeat(1_000_000);
  const res = await requestJson(`${server.url}/upload`, { method: 'POST', body });
  assert.equal(res.json?.namespace, 'gateway-conformance-infra');
  assert.equal(res.json?.method, 'POST');
  assert.equal(res.json?.bodyLength, 1_000_000);
  assert.deepEqual(res.json?.headers['Content-Length'], ['1000000']);
});

test('echo: the Host header and the raw request target are reported as received', async (t) => {
  const server = await echo(t);
  const res = await requestJson(server.url, { host: 'foo.example.com:8080', path: '/a//b/../c%2Fd?x=1&x=2&y=%20' });
  assert.equal(res.json?.host, 'foo.example.com:8080');
  assert.equal(res.json?.path, '/a//b/../c%2Fd?x=1&x=2&y=%20');
  assert.equal(res.json?.headers.Host, undefined, 'Host is reported as host, not among the headers (as Go does)');
});

test('echo: repeated headers are lists in arrival order under Go-canonical names', async (t) => {
  const server = await echo(t);
  const res = await requestJson(server.url, { headers: { 'x-multi': ['a', 'b'], 'X-UPPER-case': 'u', accept: '*/*' } });
  assert.deepEqual(res.json?.headers['X-Multi'], ['a', 'b']);
  assert.deepEqual(res.json?.headers['X-Upper-Case'], ['u']);
  assert.deepEqual(res.json?.headers.Accept, ['*/*']);
  // Interleaved with other headers and in differing case (Node's client cannot send that).
  const raw = await rawExchange(server.port, 'GET / HTTP/1.1\r\nhost: raw\r\nX-Multi: a\r\nx-other: 1\r\nx-MULTI: b, c\r\nX-Multi: d\r\nConnection: close\r\n\r\n');
  const body = JSON.parse(raw.toString().split('\r\n\r\n')[1] ?? '') as EchoBody;
  assert.deepEqual(body.headers, { 'X-Multi': ['a', 'b, c', 'd'], 'X-Other': ['1'], Connection: ['close'] });
  assert.equal(body.host, 'raw');
});

test('canonicalHeaderName: as Go textproto.CanonicalMIMEHeaderKey', () => {
  assert.equal(canonicalHeaderName('x-forwarded-for'), 'X-Forwarded-For');
  assert.equal(canonicalHeaderName('CONTENT-TYPE'), 'Content-Type');
  assert.equal(canonicalHeaderName('www-authenticate'), 'Www-Authenticate');
  assert.equal(canonicalHeaderName('a--b'), 'A--B');
  assert.equal(canonicalHeaderName('x_under'), 'X_under');
  assert.equal(canonicalHeaderName('bad name'), 'bad name', 'non-token names are left alone');
});

test('echo: x-echo-delay holds the answer back; a client timeout gives up first', async (t) => {
  const server = await echo(t);
  const started = performance.now();
  const res = await requestJson(server.url, { headers: { 'x-echo-delay': '150' } });
  assert.equal(res.status, 200);
  assert.ok(performance.now() - started >= 140, 'answered after the delay');

  await assert.rejects(requestJson(server.url, { headers: { 'x-echo-delay': '20000' }, timeoutMs: 50 }), /timed out after 50 ms/);
  // The server is still fine (and close() below does not wait for the abandoned delay).
  assert.equal((await requestJson(server.url)).status, 200);

  const bad = await requestJson(server.url, { headers: { 'x-echo-delay': 'soon' } });
  assert.equal(bad.status, 400);
  assert.match((bad.json as unknown as { message: string }).message, /x-echo-delay/);
});

test('echo: upstream ?delay=<Go duration> also delays; an invalid one is a 500', async (t) => {
  const server = await echo(t);
  const started = performance.now();
  const res = await requestJson(`${server.url}/request-timeout?delay=0.1s`);
  assert.equal(res.status, 200);
  assert.ok(performance.now() - started >= 90);
  assert.equal(res.json?.path, '/request-timeout?delay=0.1s');
  assert.equal((await requestJson(`${server.url}/?delay=soon`)).status, 500);
});

test('parseGoDuration: milliseconds from Go duration strings', () => {
  assert.equal(parseGoDuration('1s'), 1000);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('500us'), 0.5);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('-2s'), -2000);
  assert.equal(parseGoDuration(''), undefined);
  assert.equal(parseGoDuration('10'), undefined);
  assert.equal(parseGoDuration('1x'), undefined);
});

test('echo: x-echo-status sets the status and keeps the JSON body', async (t) => {
  const server = await echo(t);
  const res = await requestJson(server.url, { headers: { 'x-echo-status': '418' } });
  assert.equal(res.status, 418);
  assert.equal(res.json?.pod, 'infra-backend-v1');
  const noContent = await requestJson(server.url, { headers: { 'x-echo-status': '204' } });
  assert.equal(noContent.status, 204);
  assert.equal(noContent.text, '');
  for (const bad of ['42', '700', 'teapot']) {
    assert.equal((await requestJson(server.url, { headers: { 'x-echo-status': bad } })).status, 400, bad);
  }
});

test('echo: x-echo-set-header adds response headers (repeatable, comma lists, repeats joined)', async (t) => {
  const server = await echo(t);
  const res = await requestJson(server.url, {
    headers: { 'x-echo-set-header': ['X-Header-Set: set-value', 'X-Header-Add: a, X-Other:o', 'x-header-add: b'] },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers['x-header-set'], 'set-value');
  assert.equal(res.headers['x-header-add'], 'a,b');
  assert.equal(res.headers['x-other'], 'o');
  assert.deepEqual(res.json?.headers['X-Echo-Set-Header']?.length, 3);

  assert.equal((await requestJson(server.url, { headers: { 'x-echo-set-header': 'Content-Length: 1' } })).status, 400);
  assert.equal((await requestJson(server.url, { headers: { 'x-echo-set-header': 'bad name: v' } })).status, 400);
});

test('echo: x-echo-fail-first answers 503 to the first n requests of each x-echo-key', async (t) => {
  const server = await echo(t);
  const ask = (key: string) => requestJson(server.url, { headers: { 'x-echo-fail-first': '2', 'x-echo-key': key } });
  assert.equal((await ask('k1')).status, 503);
  assert.equal((await ask('k2')).status, 503, 'keys count separately');
  const second = await ask('k1');
  assert.equal(second.status, 503);
  assert.equal(second.json?.pod, 'infra-backend-v1', 'failures still carry the echo body');
  assert.equal((await ask('k1')).status, 200);
  assert.equal((await ask('k1')).status, 200);
  assert.equal((await ask('k2')).status, 503);
  assert.equal((await ask('k2')).status, 200);
  assert.equal(server.requests, 7);

  const noKey = await requestJson(server.url, { headers: { 'x-echo-fail-first': '1' } });
  assert.equal(noKey.status, 400);
});

test('echo: h2c with prior knowledge on the same port as HTTP/1.1', async (t) => {
  const server = await echo(t);
  const res = await requestJson(`${server.url}/h2?x=y`, {
    http2: true,
    host: 'h2.example.com',
    method: 'POST',
    body: 'hello',
    headers: { 'x-multi': ['1', '2'], 'x-echo-set-header': 'X-From: backend' },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers['x-from'], 'backend');
  assert.equal(res.json?.proto, 'HTTP/2.0');
  assert.equal(res.json?.host, 'h2.example.com');
  assert.equal(res.json?.path, '/h2?x=y');
  assert.equal(res.json?.method, 'POST');
  assert.equal(res.json?.bodyLength, 5);
  assert.deepEqual(res.json?.headers['X-Multi'], ['1', '2']);
  assert.equal(
    Object.keys(res.json?.headers ?? {}).some((name) => name.startsWith(':')),
    false,
    'no pseudo-headers among the headers',
  );
  // A large h2 body, and HTTP/1 still served afterwards on the same port.
  const big = await requestJson(server.url, { http2: true, method: 'PUT', body: Buffer.alloc(300_000, 1) });
  assert.equal(big.json?.bodyLength, 300_000);
  assert.equal((await requestJson(server.url)).json?.proto, 'HTTP/1.1');
  assert.equal(server.requests, 3);
});

test("echo: protocol 'h2c' answers HTTP/1 with 400; 'http1' does not speak HTTP/2", async (t) => {
  const h2c = await echo(t, { protocol: 'h2c' });
  assert.equal((await requestJson(h2c.url, { http2: true })).json?.proto, 'HTTP/2.0');
  const refused = await requestJson(h2c.url);
  assert.equal(refused.status, 400);
  assert.match(refused.text, /h2c/);

  const h1 = await echo(t, { protocol: 'http1' });
  assert.equal((await requestJson(h1.url)).json?.proto, 'HTTP/1.1');
  await assert.rejects(requestJson(h1.url, { http2: true, timeoutMs: 2000 }));
});

test('echo: an HTTP/1 request split into tiny packets is not mistaken for HTTP/2', async (t) => {
  const server = await echo(t);
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    // "P" and "PR" are prefixes of the HTTP/2 preface too: the server must wait for more.
    socket.setNoDelay(true);
    const request = 'PRIX / HTTP/1.1\r\nHost: split\r\nConnection: close\r\n\r\n';
    const send = (i: number) => {
      if (i >= request.length) return;
      socket.write(request[i] ?? '', () => setImmediate(() => send(i + 1)));
    };
    send(0);
  });
  // llhttp rejects the unknown method, which shows the bytes reached the HTTP/1 parser in order.
  assert.match(reply, /^HTTP\/1\.1 400 Bad Request/);
  const ok = await rawExchange(server.port, 'GET /raw HTTP/1.1\r\nHost: raw\r\nConnection: close\r\n\r\n');
  assert.match(ok.toString(), /^HTTP\/1\.1 200 OK[\s\S]*"path": "\/raw"/);
});

test('startEcho: loopback only', async () => {
  await assert.rejects(startEcho({ name: 'x', host: '0.0.0.0' }), /not a loopback address/);
  await assert.rejects(startEcho({ name: 'x', host: '192.168.1.1' }), /not a loopback address/);
});

test('close() ends open connections and frees the port', async () => {
  const server = await startEcho({ name: 'closing' });
  const ws = await connectWebSocket(server.url);
  // Two requests the server holds back (their failures are expected once it closes).
  const pending = assert.rejects(requestJson(server.url, { headers: { 'x-echo-delay': '30000' } }), /socket hang up|ECONNRESET/);
  const pendingH2 = assert.rejects(requestJson(server.url, { http2: true, headers: { 'x-echo-delay': '30000' } }));
  await waitFor('both held requests to arrive', () => server.requests === 3, 5000);
  await server.close();
  await server.close(); // idempotent
  await ws.ended;
  await pending;
  await pendingH2;
  // The same port can be bound again.
  const again = net.createServer();
  await new Promise<void>((resolve, reject) => {
    again.once('error', reject);
    again.listen(server.port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => again.close(() => resolve()));
});

// ---------------------------------------------------------------------------------------------
// WebSocket framing (RFC 6455 §5.7 examples)

test('websocketAccept: the RFC 6455 example', () => {
  assert.equal(websocketAccept('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('encodeWebSocketFrame: the RFC 6455 examples', () => {
  const hello = Buffer.from('Hello');
  assert.deepEqual(encodeWebSocketFrame(WsOpcode.text, hello), Buffer.from([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]));
  assert.deepEqual(
    encodeWebSocketFrame(WsOpcode.text, hello, { mask: Buffer.from([0x37, 0xfa, 0x21, 0x3d]) }),
    Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]),
  );
  assert.deepEqual(encodeWebSocketFrame(WsOpcode.text, Buffer.from('Hel'), { fin: false }), Buffer.from([0x01, 0x03, 0x48, 0x65, 0x6c]));
  assert.deepEqual(encodeWebSocketFrame(WsOpcode.continuation, Buffer.from('lo')), Buffer.from([0x80, 0x02, 0x6c, 0x6f]));
  assert.deepEqual(encodeWebSocketFrame(WsOpcode.ping, hello), Buffer.from([0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]));
  assert.deepEqual(encodeWebSocketFrame(WsOpcode.binary, Buffer.alloc(256)).subarray(0, 4), Buffer.from([0x82, 0x7e, 0x01, 0x00]));
  assert.deepEqual(
    encodeWebSocketFrame(WsOpcode.binary, Buffer.alloc(65536)).subarray(0, 10),
    Buffer.from([0x82, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]),
  );
  assert.equal(encodeWebSocketFrame(WsOpcode.binary, Buffer.alloc(125)).length, 127);
  assert.equal(encodeWebSocketFrame(WsOpcode.binary, Buffer.alloc(65535)).length, 65535 + 4);
});

test('WebSocketFrameParser: decodes frames fed one byte at a time, masked and unmasked', () => {
  const masked = Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
  const parser = new WebSocketFrameParser({ expectMasked: true });
  const frames = [];
  for (const byte of masked) frames.push(...parser.push(Buffer.from([byte])));
  assert.deepEqual(frames, [{ fin: true, opcode: WsOpcode.text, payload: Buffer.from('Hello'), masked: true }]);

  const client = new WebSocketFrameParser({ expectMasked: false });
  const sizes = [0, 125, 126, 65535, 65536];
  const stream = Buffer.concat(sizes.map((n) => encodeWebSocketFrame(WsOpcode.binary, Buffer.alloc(n, n % 251))));
  const decoded = [];
  for (let i = 0; i < stream.length; i += 1000) decoded.push(...client.push(stream.subarray(i, i + 1000)));
  assert.deepEqual(
    decoded.map((f) => f.payload.length),
    sizes,
  );
  assert.ok(decoded.every((f, i) => f.payload.equals(Buffer.alloc(sizes[i] ?? 0, (sizes[i] ?? 0) % 251))));
  // Round trip of a randomly masked frame.
  const server = new WebSocketFrameParser({ expectMasked: true });
  const payload = Buffer.from('round trip ✓');
  assert.deepEqual(server.push(encodeWebSocketFrame(WsOpcode.text, payload, { mask: true }))[0]?.payload, payload);
});

test('WebSocketFrameParser: protocol errors carry their close codes', () => {
  const code = (bytes: Buffer, expectMasked = true) => {
    try {
      new WebSocketFrameParser({ expectMasked }).push(bytes);
      return undefined;
    } catch (err) {
      assert.ok(err instanceof WebSocketProtocolError);
      return err.closeCode;
    }
  };
  assert.equal(code(encodeWebSocketFrame(WsOpcode.text, Buffer.from('x'))), 1002, 'unmasked client frame');
  assert.equal(code(encodeWebSocketFrame(WsOpcode.text, Buffer.from('x'), { mask: true }), false), 1002, 'masked server frame');
  assert.equal(code(Buffer.from([0xc1, 0x80, 0, 0, 0, 0])), 1002, 'RSV1 set');
  assert.equal(code(Buffer.from([0x83, 0x80, 0, 0, 0, 0])), 1002, 'reserved opcode');
  assert.equal(code(Buffer.from([0x09, 0x80, 0, 0, 0, 0])), 1002, 'fragmented ping');
  assert.equal(code(Buffer.from([0x89, 0xfe, 0x00, 0x7e])), 1002, 'ping over 125 bytes');
  assert.equal(code(Buffer.from([0x82, 0xfe, 0x00, 0x05])), 1002, 'length not minimal');
  assert.equal(code(Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 1, 0, 1])), 1009, 'over 64 KiB: refused before the payload arrives');
  assert.equal(code(Buffer.from([0x82, 0xff, 0x80, 0, 0, 0, 0, 1, 0, 0])), 1002, '64-bit length with its top bit set');
});

test('WebSocketMessageAssembler: fragments, interleaved control frames and sequence errors', () => {
  const assembler = new WebSocketMessageAssembler();
  const frame = (opcode: number, text: string, fin = true) => ({ fin, opcode, payload: Buffer.from(text), masked: true });
  assert.equal(assembler.push(frame(WsOpcode.text, 'Hel', false)), undefined);
  assert.deepEqual(assembler.push(frame(WsOpcode.ping, 'p')), { kind: 'control', opcode: WsOpcode.ping, payload: Buffer.from('p') });
  assert.deepEqual(assembler.push(frame(WsOpcode.continuation, 'lo')), { kind: 'message', opcode: WsOpcode.text, data: Buffer.from('Hello') });
  assert.throws(() => new WebSocketMessageAssembler().push(frame(WsOpcode.continuation, 'x')), { closeCode: 1002 });
  const open = new WebSocketMessageAssembler();
  open.push(frame(WsOpcode.binary, 'a', false));
  assert.throws(() => open.push(frame(WsOpcode.binary, 'b')), { closeCode: 1002 });
  const invalidUtf8 = { fin: true, opcode: WsOpcode.text, payload: Buffer.from([0xc3, 0x28]), masked: true };
  assert.throws(() => new WebSocketMessageAssembler().push(invalidUtf8), { closeCode: 1007 });
  const small = new WebSocketMessageAssembler(4);
  small.push(frame(WsOpcode.binary, 'abc', false));
  assert.throws(() => small.push(frame(WsOpcode.continuation, 'de')), { closeCode: 1009 });
});

test('close payloads: codes and reasons', () => {
  assert.deepEqual(parseClosePayload(Buffer.alloc(0)), { reason: '' });
  assert.deepEqual(parseClosePayload(closePayload(1000, 'bye')), { code: 1000, reason: 'bye' });
  assert.deepEqual(parseClosePayload(closePayload(4000)), { code: 4000, reason: '' });
  assert.throws(() => parseClosePayload(Buffer.from([0x03])), { closeCode: 1002 });
  for (const bad of [999, 1005, 1006, 1015, 2999, 5000]) assert.throws(() => parseClosePayload(closePayload(bad)), { closeCode: 1002 }, String(bad));
});

// ---------------------------------------------------------------------------------------------
// WebSocket against the server

test('echo: WebSocket handshake, then text and binary frames are echoed back', async (t) => {
  const server = await echo(t);
  const ws = await connectWebSocket(`${server.url}/ws`, { host: 'ws.example.com' });
  assert.equal(ws.headers.upgrade, 'websocket');
  ws.send('hello, echo ✓');
  assert.deepEqual(await ws.next(), { type: 'text', data: Buffer.from('hello, echo ✓'), text: 'hello, echo ✓' });
  const binary = Buffer.from([0, 1, 2, 253, 254, 255]);
  ws.send(binary);
  const back = await ws.next();
  assert.equal(back.type, 'binary');
  assert.deepEqual(back.data, binary);
  const max = Buffer.alloc(64 * 1024, 7);
  ws.send(max);
  assert.deepEqual((await ws.next()).data, max);
  ws.sendFrame(WsOpcode.ping, Buffer.from('are you there'));
  assert.deepEqual(await ws.next(), { type: 'pong', data: Buffer.from('are you there'), text: 'are you there' });
  ws.sendFrame(WsOpcode.text, Buffer.from('frag'), { fin: false });
  ws.sendFrame(WsOpcode.continuation, Buffer.from('mented'));
  assert.equal((await ws.next()).text, 'fragmented');
  const closed = await ws.close(1000, 'done');
  assert.equal(closed?.type, 'close');
  assert.equal(closed?.code, 1000);
  assert.equal(server.requests, 1);
});

test('echo: WebSocket protocol violations close the connection with the right code', async (t) => {
  const server = await echo(t);
  const unmasked = await connectWebSocket(server.url);
  unmasked.sendFrame(WsOpcode.text, Buffer.from('x'), { mask: false });
  const first = await unmasked.next();
  assert.deepEqual([first.type, first.code], ['close', 1002]);
  await unmasked.ended;

  const tooBig = await connectWebSocket(server.url);
  tooBig.sendFrame(WsOpcode.binary, Buffer.alloc(64 * 1024 + 1));
  const second = await tooBig.next();
  assert.deepEqual([second.type, second.code], ['close', 1009]);
  await tooBig.ended;
});

test('echo: WebSocket handshakes the server refuses', async (t) => {
  const server = await echo(t);
  const version = await rawExchange(
    server.port,
    'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n',
  );
  assert.match(version.toString(), /^HTTP\/1\.1 426 [\s\S]*Sec-WebSocket-Version: 13/);
  const badKey = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n');
  assert.match(badKey.toString(), /^HTTP\/1\.1 400 /);
  const h2cUpgrade = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n');
  assert.match(h2cUpgrade.toString(), /^HTTP\/1\.1 400 /);
});

test('echo: WebSocket frames that arrive with the handshake are echoed', async (t) => {
  const server = await echo(t);
  const reply = await new Promise<Buffer>((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    const handshake = 'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
    // handshake, a text frame and a close frame in one write
    socket.write(
      Buffer.concat([
        Buffer.from(handshake),
        encodeWebSocketFrame(WsOpcode.text, Buffer.from('early'), { mask: true }),
        encodeWebSocketFrame(WsOpcode.close, closePayload(1001), { mask: true }),
      ]),
    );
  });
  const text = reply.toString('latin1');
  const headerEnd = text.indexOf('\r\n\r\n') + 4;
  assert.match(text.slice(0, headerEnd), /^HTTP\/1\.1 101 Switching Protocols\r\n[\s\S]*Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/);
  const frames = new WebSocketFrameParser({ expectMasked: false }).push(reply.subarray(headerEnd));
  assert.deepEqual(
    frames.map((f) => [f.opcode, f.payload]),
    [
      [WsOpcode.text, Buffer.from('early')],
      [WsOpcode.close, closePayload(1001)],
    ],
  );
});

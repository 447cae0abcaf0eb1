import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../../../src/providers/kubernetes/kubeconfig.js';
import { describeAnswer, HttpTransport, withQuery } from '../../../../src/providers/kubernetes/transport.js';

async function server(t: TestContext, handler: http.RequestListener): Promise<HttpTransport> {
  const srv = http.createServer(handler);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  const transport = new HttpTransport(kc);
  t.after(() => {
    transport.close();
    srv.closeAllConnections();
    srv.close();
  });
  return transport;
}

test('withQuery leaves out undefined values and encodes the rest', () => {
  assert.equal(withQuery('/p', { a: 1, b: undefined, c: 'x y', d: true }), '/p?a=1&c=x+y&d=true');
  assert.equal(withQuery('/p', {}), '/p');
});

test('HttpTransport.request sends the token and JSON, and parses the JSON answer', async (t) => {
  const seen: { method?: string; url?: string; auth?: string; type?: string; body: string }[] = [];
  const transport = await server(t, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body });
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', message: 'the object has been modified' }));
    });
  });
  const response = await transport.request({ method: 'PUT', path: '/apis/g/v1/x/status', query: { fieldManager: 'portico' }, body: { a: 1 } });
  assert.equal(response.status, 409);
  assert.equal(describeAnswer(response), '409: the object has been modified');
  assert.deepEqual(seen, [{ method: 'PUT', url: '/apis/g/v1/x/status?fieldManager=portico', auth: 'Bearer secret-token', type: 'application/json', body: '{"a":1}' }]);
});

test('HttpTransport.request rejects when nothing answers', async () => {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:1', skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  const transport = new HttpTransport(kc);
  await assert.rejects(transport.request({ method: 'GET', path: '/api' }), /ECONNREFUSED/);
  transport.close();
});

test('HttpTransport.watch splits events across chunks and tells how the stream ended', async (t) => {
  let watchUrl = '';
  const transport = await server(t, (req, res) => {
    watchUrl = req.url ?? '';
    if (req.url?.includes('refuse')) {
      res.writeHead(410, { 'content-type': 'application/json' });
      res.end('{"kind":"Status","code":410}');
      return;
    }
    if (req.url?.includes('hang')) {
      res.writeHead(200);
      res.flushHeaders();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"type":"ADDED","object":{"metadata":{"na');
    res.write('me":"a"}}}\n{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}}\n');
    res.end('\n');
  });
  const events: unknown[] = [];
  const ended = await transport.watch('/api/v1/services', { resourceVersion: '5', allowWatchBookmarks: true }, (e) => events.push(e)).done;
  assert.deepEqual(ended, { type: 'closed' });
  assert.equal(watchUrl, '/api/v1/services?resourceVersion=5&allowWatchBookmarks=true&watch=true');
  assert.deepEqual(events, [
    { type: 'ADDED', object: { metadata: { name: 'a' } } },
    { type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } },
  ]);

  assert.deepEqual(await transport.watch('/refuse', {}, () => undefined).done, { type: 'status', status: 410, body: { kind: 'Status', code: 410 } });

  const idle = await transport.watch('/hang', {}, () => undefined, { idleTimeoutMs: 50 }).done;
  assert.equal(idle.type, 'error');

  const aborted = transport.watch('/hang', {}, () => undefined);
  aborted.abort();
  assert.deepEqual(await aborted.done, { type: 'aborted' });
});

test('loadKubeConfig: a file, else in-cluster, else a clear error', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'config');
  writeFileSync(path.join(dir, 'tok'), 'from-file\n');
  const kubeconfig = (user: string) =>
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: ${Buffer.from('CA').toString('base64')}}}]\nusers: [{name: u, user: ${user}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`;
  writeFileSync(file, kubeconfig('{token: t}'));
  const fromFile = loadKubeConfig(file, {});
  assert.equal(fromFile.getCurrentCluster()?.server, 'https://10.0.0.1:6443');
  const options: https.RequestOptions = {};
  await fromFile.applyToHTTPSOptions(options);
  assert.equal(String(options.ca), 'CA');
  assert.deepEqual(options.headers, { authorization: 'Bearer t' });

  // A token file is read on every use: rotated tokens are picked up.
  writeFileSync(file, kubeconfig('{tokenFile: tok}'));
  const rotating = loadKubeConfig(file, {});
  writeFileSync(path.join(dir, 'tok'), 'rotated\n');
  const again: https.RequestOptions = {};
  await rotating.applyToHTTPSOptions(again);
  assert.deepEqual(again.headers, { authorization: 'Bearer rotated' });

  writeFileSync(file, kubeconfig('{exec: {command: aws}}'));
  assert.throws(() => loadKubeConfig(file, {}), /uses exec, which Portico does not run; use a token or a client certificate/);

  const sa = path.join(dir, 'sa');
  mkdirSync(sa);
  writeFileSync(path.join(sa, 'ca.crt'), 'CLUSTER-CA');
  writeFileSync(path.join(sa, 'token'), 'sa-token');
  const inCluster = loadKubeConfig(undefined, { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, sa);
  assert.equal(inCluster.getCurrentCluster()?.server, 'https://10.96.0.1:443');
  const pod: https.RequestOptions = {};
  await inCluster.applyToHTTPSOptions(pod);
  assert.equal(String(pod.ca), 'CLUSTER-CA');
  assert.deepEqual(pod.headers, { authorization: 'Bearer sa-token' });
  assert.throws(() => loadKubeConfig(undefined, {}), /no --kubeconfig given, and not running in a cluster/);
});

// `portico run` as a real process: watching files, seen through its admin API.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { getJson, projectRoot, runCli, startRun, tempDir, waitFor, type RunningProcess } from './support.js';

const GW = '/apis/gateway.networking.k8s.io/v1';

const route = (name: string, prefix: string): string => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
  namespace: default
spec:
  parentRefs: [{name: web}]
  rules:
    - matches: [{path: {type: PathPrefix, value: ${prefix}}}]
      backendRefs: [{name: echo, port: 80}]
`;

interface Obj {
  metadata: { name: string; generation: number; uid: string; resourceVersion: string };
  spec: { listeners?: { port: number }[] };
  status?: { conditions?: { type: string; status: string; observedGeneration?: number }[]; parents?: unknown[]; addresses?: { value: string }[] };
}

async function started(t: { after(fn: () => Promise<unknown>): void }, args: string[]): Promise<RunningProcess> {
  const portico = await startRun(args);
  t.after(() => portico.stop());
  await waitFor('readiness', async () => (await fetch(`${portico.url}/readyz`)).status === 200, 15000);
  return portico;
}

test('portico run: serves the example with Portico status, and picks up edits, new files, deletions within 1 s', async (t) => {
  const dir = tempDir(t);
  cpSync(path.join(projectRoot, 'examples/basic'), dir, { recursive: true });
  const portico = await started(t, ['-f', dir]);
  const get = (p: string) => getJson(`${portico.url}${p}`);

  // The Gateway with the status Portico computed.
  const gw = (await get(`${GW}/namespaces/default/gateways/web`)).body as unknown as Obj;
  assert.equal(gw.metadata.generation, 1);
  assert.equal(gw.status?.conditions?.find((c) => c.type === 'Programmed')?.status, 'True');
  assert.match(gw.status?.addresses?.[0]?.value ?? '', /^127\.0\.10\./);
  assert.equal(((await get(`${GW}/namespaces/default/httproutes/echo`)).body as unknown as Obj).status?.parents?.length, 1);
  assert.deepEqual(portico.logs.filter((l) => l.level >= 50), [], 'no errors logged');

  // Edit: the listener port changes → generation 2, status observes it.
  const gatewayFile = path.join(dir, 'gateway.yaml');
  writeFileSync(gatewayFile, readFileSync(gatewayFile, 'utf8').replace('port: 8080', 'port: 8081'));
  const edited = await waitFor('the edit', async () => {
    const obj = (await get(`${GW}/namespaces/default/gateways/web`)).body as unknown as Obj;
    return obj.metadata.generation === 2 && obj;
  });
  assert.equal(edited.spec.listeners?.[0]?.port, 8081);
  assert.equal(edited.metadata.uid, gw.metadata.uid);
  assert.equal(edited.status?.conditions?.find((c) => c.type === 'Accepted')?.observedGeneration, 2);

  // New file.
  writeFileSync(path.join(dir, 'more.yaml'), route('more', '/more'));
  await waitFor('the new file', async () => (await get(`${GW}/namespaces/default/httproutes/more`)).status === 200);

  // New subdirectory with a file in it.
  mkdirSync(path.join(dir, 'team', 'a'), { recursive: true });
  writeFileSync(path.join(dir, 'team', 'a', 'deep.yaml'), route('deep', '/deep'));
  await waitFor('the file in a new subdirectory', async () => (await get(`${GW}/namespaces/default/httproutes/deep`)).status === 200);

  // Saved by rename, as many editors do.
  writeFileSync(path.join(dir, 'team', 'a', '.deep.yaml.swp'), route('deep', '/deeper'));
  renameSync(path.join(dir, 'team', 'a', '.deep.yaml.swp'), path.join(dir, 'team', 'a', 'deep.yaml'));
  await waitFor('the rename save', async () => {
    const obj = (await get(`${GW}/namespaces/default/httproutes/deep`)).body as unknown as Obj;
    return obj.metadata.generation === 2;
  });

  // Deleted file.
  rmSync(path.join(dir, 'more.yaml'));
  await waitFor('the deletion', async () => (await get(`${GW}/namespaces/default/httproutes/more`)).status === 404);

  const list = (await get(`${GW}/httproutes`)).body as { kind: string; items: Obj[] };
  assert.equal(list.kind, 'List');
  assert.deepEqual(list.items.map((o) => o.metadata.name), ['deep', 'echo']);

  assert.equal(await portico.stop(), 0, 'SIGTERM: clean exit 0');
});

test('portico run: admin API routes on a real process', async (t) => {
  const dir = tempDir(t);
  cpSync(path.join(projectRoot, 'examples/basic'), dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'secret.yaml'),
    'apiVersion: v1\nkind: Secret\nmetadata: {name: tls, namespace: default}\ntype: Opaque\ndata: {password: c2VjcmV0}\n',
  );
  const portico = await started(t, ['-f', dir]);
  const get = (p: string) => getJson(`${portico.url}${p}`);

  assert.equal((await get(`${GW}/gatewayclasses/portico`)).body.kind, 'GatewayClass');
  assert.equal((await get('/apis/gateway.networking.k8s.io/v1beta1/gatewayclasses/portico')).body.apiVersion, 'gateway.networking.k8s.io/v1beta1');
  assert.equal((await get('/api/v1/namespaces/default')).body.kind, 'Namespace');
  assert.equal(((await get('/api/v1/namespaces/default/services')).body.items as unknown[]).length, 1);
  assert.equal(((await get('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices')).body.items as unknown[]).length, 1);
  // A Secret is shown by name and type only: no values, not even its keys.
  const secret = (await get('/api/v1/namespaces/default/secrets/tls')).body;
  assert.equal(secret.data, undefined);
  assert.equal(secret.type, 'Opaque');
  assert.doesNotMatch(JSON.stringify(secret), /c2VjcmV0|password/);

  const missing = await get(`${GW}/namespaces/default/gateways/nope`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.kind, 'Status');
  assert.equal(missing.body.reason, 'NotFound');

  assert.equal((await fetch(`${portico.url}${GW}/gateways`, { method: 'DELETE' })).status, 405);
  assert.equal(await (await fetch(`${portico.url}/healthz`)).text(), 'ok\n');
  const metrics = await (await fetch(`${portico.url}/metrics`)).text();
  assert.match(metrics, /^portico_objects_loaded\{kind="Gateway"\} 1$/m);
  assert.match(metrics, /^portico_translations_total\{result="success"\} \d+$/m);

  assert.equal(await portico.stop('SIGINT'), 0, 'SIGINT: clean exit 0');
  assert.ok(portico.logs.some((l) => l.msg === 'stopped'));
});

test('portico run: a problem in a file is logged once, and fixing it loads the object', async (t) => {
  const dir = tempDir(t);
  cpSync(path.join(projectRoot, 'examples/basic'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'bad.yaml'), route('bad', 'no-leading-slash'));
  const portico = await started(t, ['-f', dir]);
  const errors = () => portico.logs.filter((l) => l.level >= 50).map((l) => l.msg);
  assert.equal(errors().length, 1);
  assert.match(errors()[0] ?? '', /bad\.yaml:1 {2}HTTPRoute default\/bad {2}spec\.rules\[0\]\.matches\[0\]\.path/);
  assert.equal((await getJson(`${portico.url}${GW}/namespaces/default/httproutes/bad`)).status, 404);
  assert.match(await (await fetch(`${portico.url}/metrics`)).text(), /^portico_invalid_objects 1$/m);

  // An unrelated edit does not repeat the problem in the log.
  writeFileSync(path.join(dir, 'other.yaml'), route('other', '/other'));
  await waitFor('the other route', async () => (await getJson(`${portico.url}${GW}/namespaces/default/httproutes/other`)).status === 200);
  assert.equal(errors().length, 1);

  writeFileSync(path.join(dir, 'bad.yaml'), route('bad', '/fixed'));
  await waitFor('the fixed route', async () => (await getJson(`${portico.url}${GW}/namespaces/default/httproutes/bad`)).status === 200);
});

test('portico run: bad flag values exit 2 before starting', async () => {
  const badAdmin = await runCli(['run', '-f', 'examples/basic', '--admin', 'localhost']);
  assert.equal(badAdmin.code, 2);
  assert.match(badAdmin.stderr, /not HOST:PORT/);
  const badPool = await runCli(['run', '-f', 'examples/basic', '--address-pool', '10.0.0.0/99']);
  assert.equal(badPool.code, 2);
});

// `portico translate`: the pipeline offline, printed.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments, parse } from 'yaml';
import { projectRoot, runCli, tempDir } from './support.js';

const example = path.join(projectRoot, 'examples/basic');

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string; generation?: number; uid?: string };
  status: { conditions?: { type: string; status: string; lastTransitionTime: string }[]; addresses?: { value: string }[]; parents?: unknown[] };
}

test('portico translate -o status: owned objects with their status, by kind then namespace/name', async () => {
  const result = await runCli(['translate', '-f', example, '-o', 'status', '--now', '2025-01-01T00:00:00Z']);
  assert.equal(result.code, 0, result.stderr);
  const docs = parseAllDocuments(result.stdout).map((d) => d.toJS() as Doc);
  assert.deepEqual(
    docs.map((d) => `${d.kind} ${d.metadata.name}`),
    ['GatewayClass portico', 'Gateway web', 'HTTPRoute echo'],
  );
  const [cls, gw, route] = docs;
  assert.equal(cls?.status.conditions?.find((c) => c.type === 'Accepted')?.status, 'True');
  assert.equal(gw?.metadata.generation, 1);
  assert.equal(gw?.metadata.uid, undefined);
  assert.match(gw?.status.addresses?.[0]?.value ?? '', /^127\.0\.10\.\d+$/);
  assert.equal(gw?.status.conditions?.find((c) => c.type === 'Programmed')?.status, 'True');
  assert.equal(gw?.status.conditions?.[0]?.lastTransitionTime, '2025-01-01T00:00:00Z');
  assert.equal(route?.status.parents?.length, 1);
  assert.doesNotMatch(result.stdout, /[&*]a\d/, 'no YAML aliases');
});

test('portico translate: the address pool decides Gateway addresses', async () => {
  const result = await runCli(['translate', '-f', example, '--address-pool', '10.1.2.3-10.1.2.3']);
  // 10.1.2.3 is neither loopback nor necessarily local, but it is the pool: it is handed out.
  const gw = parseAllDocuments(result.stdout).map((d) => d.toJS() as Doc).find((d) => d.kind === 'Gateway');
  assert.equal(gw?.status.addresses?.[0]?.value, '10.1.2.3');
});

test('portico translate -o ir: the IR as YAML', async () => {
  const result = await runCli(['translate', '-f', example, '-o', 'ir']);
  assert.equal(result.code, 0, result.stderr);
  const ir = parse(result.stdout) as { gateways: { name: string; ports: { port: number }[] }[] };
  assert.deepEqual(ir.gateways.map((g) => g.name), ['default/web']);
  assert.equal(ir.gateways[0]?.ports[0]?.port, 8080);
});

test('portico translate: problems go to stderr, output covers the rest, exit 1', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'broken.yaml'), 'kind: [\n');
  const result = await runCli(['translate', '-f', example, '-f', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /broken\.yaml:\d+: /);
  assert.equal(parseAllDocuments(result.stdout).length, 3);
});

test('portico translate: -o haproxy prints each Gateway\'s haproxy.cfg and maps; bad flags exit 2', async () => {
  const haproxy = await runCli(['translate', '-f', example, '-o', 'haproxy']);
  assert.equal(haproxy.code, 0);
  assert.match(haproxy.stdout, /^# ==> \/var\/lib\/portico\/default_web\/haproxy\.cfg <==$/m);
  assert.match(haproxy.stdout, /^frontend p8080$/m);
  assert.match(haproxy.stdout, /^v[0-9a-z]+\|\/ p8080_r[0-9a-z]+$/m);
  const badPool = await runCli(['translate', '-f', example, '--address-pool', '10.0.0.0/99']);
  assert.equal(badPool.code, 2);
  assert.match(badPool.stderr, /address pool/);
  const badOutput = await runCli(['translate', '-f', example, '-o', 'json']);
  assert.equal(badOutput.code, 2);
});

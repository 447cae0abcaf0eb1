// `portico get` as a user runs it, against a real `portico run` (status only, no HAProxy).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { freePort } from '../support/free-port.js';
import { oneRouteManifests } from '../support/manifests.js';
import { runCli, startRun, tempDir, waitFor } from './support.js';

/** The one-route setup, a second Gateway in another namespace, and hostnames and a creation time on the route. */
function manifests(): string {
  return (
    oneRouteManifests({ gateway: 'web', listenerPort: 8080, service: 'echo', servicePort: 80, echoPort: 9000 }).replace(
      'metadata: {name: echo, namespace: default}\nspec:\n  parentRefs',
      "metadata: {name: echo, namespace: default, creationTimestamp: '2020-01-01T00:00:00Z'}\nspec:\n  hostnames: [echo.example.com]\n  parentRefs",
    ) +
    `---
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: team-a}
spec:
  gatewayClassName: portico
  listeners: [{name: http, protocol: HTTP, port: 8081}, {name: alt, protocol: HTTP, port: 8082}]
`
  );
}

test('portico get: tables, YAML and JSON from a running instance; NotFound and an unreachable server exit 1', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'objects.yaml'), manifests());
  const portico = await startRun(['-f', dir]);
  t.after(() => portico.stop());
  await waitFor('readiness', async () => (await fetch(`${portico.url}/readyz`)).status === 200, 15000);
  const get = (...args: string[]) => runCli(['get', '--server', portico.url, ...args]);

  // The Gateways of the default namespace.
  const gateways = await get('gateways');
  assert.equal(gateways.code, 0, gateways.stderr);
  assert.equal(gateways.stderr, '');
  const lines = gateways.stdout.split('\n');
  assert.match(lines[0] ?? '', /^NAME {3}CLASS {5}ADDRESS {8,}PROGRAMMED {3}AGE$/);
  assert.match(lines[1] ?? '', /^web {4}portico {3}127\.0\.10\.\d+ +True {9}<unknown>$/);
  assert.deepEqual(lines.slice(2), ['']);

  // One route as YAML, with the status Portico computed.
  const yaml = await get('httproute', 'echo', '-o', 'yaml');
  assert.equal(yaml.code, 0, yaml.stderr);
  const route = parse(yaml.stdout) as { kind: string; metadata: { name: string; namespace: string }; spec: { hostnames: string[] }; status: { parents: { conditions: { type: string; status: string }[] }[] } };
  assert.equal(route.kind, 'HTTPRoute');
  assert.deepEqual([route.metadata.namespace, route.metadata.name], ['default', 'echo']);
  assert.deepEqual(route.spec.hostnames, ['echo.example.com']);
  assert.equal(route.status.parents[0]?.conditions.find((c) => c.type === 'Accepted')?.status, 'True');

  // Every namespace, wide.
  const wide = await get('gtw', '-A', '-o', 'wide');
  assert.equal(wide.code, 0, wide.stderr);
  const rows = wide.stdout.trimEnd().split('\n').map((line) => line.split(/ {3,}/));
  assert.deepEqual(rows[0], ['NAMESPACE', 'NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE', 'ACCEPTED', 'LISTENERS', 'ROUTES']);
  assert.deepEqual(
    rows.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[6], r[7], r[8]]),
    [
      ['default', 'web', 'portico', 'True', 'True', 'http:HTTP/8080', '1'],
      ['team-a', 'edge', 'portico', 'True', 'True', 'http:HTTP/8081,alt:HTTP/8082', '0'],
    ],
  );

  // Routes: hostnames, parents accepted out of parentRefs, an age from the creation time.
  const routes = await get('httproutes');
  assert.equal(routes.code, 0, routes.stderr);
  assert.match(routes.stdout, /^NAME {3}HOSTNAMES {10}PARENTS {3}AGE\necho {3}echo\.example\.com {3}1\/1 {7}\d+y\d*d?\n$/);

  // A list as JSON, as the admin API serves it.
  const json = await get('gateways', '-n', 'team-a', '-o', 'json');
  assert.equal(json.code, 0, json.stderr);
  const list = JSON.parse(json.stdout) as { kind: string; items: { metadata: { name: string } }[] };
  assert.equal(list.kind, 'List');
  assert.deepEqual(list.items.map((i) => i.metadata.name), ['edge']);

  // Nothing there is not an error.
  const empty = await get('gateways', '-n', 'nowhere');
  assert.deepEqual(empty, { code: 0, stdout: '', stderr: 'No resources found in nowhere namespace.\n' });

  // A missing object.
  const missing = await get('httproute', 'nope');
  assert.deepEqual(missing, { code: 1, stdout: '', stderr: 'Error from server (NotFound): httproutes.gateway.networking.k8s.io "nope" not found\n' });

  // A kind Portico does not serve is a usage error.
  const unknown = await get('pods');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no resource type "pods"/);
});

test('portico get: an admin API that cannot be reached exits 1 naming the URL', async () => {
  const port = await freePort();
  const r = await runCli(['get', 'gateways', '--server', `http://127.0.0.1:${port}`]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`^error: cannot reach the Portico admin API at http://127\\.0\\.0\\.1:${port}: connect ECONNREFUSED 127\\.0\\.0\\.1:${port} `));
});

// `portico explain` as a user runs it: from files, and from a running `portico run` (status only).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { oneRouteManifests } from '../support/manifests.js';
import { runCli, startRun, tempDir, waitFor } from './support.js';

const manifests = () =>
  oneRouteManifests({ gateway: 'web', listenerPort: 8080, service: 'echo', servicePort: 80, echoPort: 9000 }) +
  `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: beta, namespace: default}
spec:
  parentRefs: [{name: web}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /hello}, headers: [{name: x-beta, value: "1"}]}]
    backendRefs: [{name: echo, port: 80}]
`;

test('portico explain: from files and from a running instance; the sample request; usage errors', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'objects.yaml'), manifests());
  const files = await runCli(['explain', 'httproute', 'echo', '-f', dir, '--request', 'GET http://anything.example:8080/hello', '-H', 'x-beta:1']);
  assert.equal(files.code, 0, files.stderr);
  assert.match(files.stdout, /^HTTPRoute default\/echo\n/);
  assert.match(files.stdout, /attached to listener http \(port 8080, HTTP\) for any host/);
  assert.match(files.stdout, /HTTPRoute default\/beta rule 0 \(PathPrefix \/hello, header x-beta=1\)/, 'the rule that comes first');
  assert.match(files.stdout, /Gateway default\/web listener http: HTTPRoute default\/beta rule 0 \(another route\)/, 'the header sends it elsewhere');

  const portico = await startRun(['-f', dir]);
  t.after(() => portico.stop());
  await waitFor('readiness', async () => (await fetch(`${portico.url}/readyz`)).status === 200, 15000);
  const served = await runCli(['explain', 'httproutes', 'echo', '--server', portico.url, '--request', 'http://anything.example:8080/hello']);
  assert.equal(served.code, 0, served.stderr);
  assert.match(served.stdout, /Gateway default\/web listener http: HTTPRoute default\/echo rule 0 → default\/echo:80/);

  const missing = await runCli(['explain', 'httproute', 'nope', '-f', dir]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /HTTPRoute default\/nope is not among the objects read/);
  for (const [args, message] of [
    [['explain', 'gateway', 'web', '-f', dir], /not a route kind/],
    [['explain', 'httproute', 'echo'], /-f PATH, or a running instance with --server URL/],
    [['explain', 'httproute', 'echo', '-f', dir, '--request', 'GET nowhere'], /--request: "nowhere" is not a URL/],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
});

// `portico validate` as a user runs it: exit codes and the problem format.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { projectRoot, runCli, tempDir } from './support.js';

test('portico validate: the basic example is valid (exit 0, summary on stderr, nothing on stdout)', async () => {
  const result = await runCli(['validate', '-f', path.join(projectRoot, 'examples/basic')]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^ok: 6 valid objects in 3 files$/m);
});

test('portico validate: every problem on stdout as "file:document  Kind namespace/name  field.path: message", exit 1', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    path.join(dir, 'a.yaml'),
    [
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: Gateway',
      'metadata: {name: web}',
      'spec:',
      '  gatewayClassName: portico',
      '  listeners: [{name: http, protocol: HTTP, port: 80}]',
      '---',
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: Gateway',
      'metadata: {name: bad, namespace: team}',
      'spec:',
      '  gatewayClassName: portico',
      '  listeners: [{name: http, protocol: HTTP, port: 0}]',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: app}',
      '---',
      'metadata: {name: nokind}',
      '---',
      'broken: [yaml',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: app2}',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'b.yaml'),
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: web, namespace: default}\nspec:\n  gatewayClassName: other\n  listeners: [{name: http, protocol: HTTP, port: 81}]\n',
  );
  // Relative paths, as a user would type them: messages name files as given.
  const result = await runCli(['validate', '-f', 'a.yaml', '-f', 'b.yaml'], { cwd: dir });
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 4, result.stdout);
  // In file order: document 2, document 4, the broken YAML near line 21.
  assert.match(lines[0] ?? '', /^a\.yaml:2 {2}Gateway team\/bad {2}spec\.listeners\[0\]\.port: \S.*$/);
  assert.equal(lines[1], 'a.yaml:4  apiVersion, kind: required');
  assert.match(lines[2] ?? '', /^a\.yaml:2[12]: \S.*$/, 'YAML syntax error: file:LINE: message');
  assert.equal(lines[3], 'b.yaml:1  Gateway default/web  duplicate: already defined at a.yaml:1, which is kept; this one is ignored');
  // The unknown kind is one warning, not a problem, whatever the number of objects.
  assert.equal(result.stderr.match(/Deployment/g)?.length, 1);
  assert.match(result.stderr, /^warning: skipping Deployment \(apps\/v1\): Portico does not use this kind; 2 found, first at a\.yaml:3$/m);
  assert.match(result.stderr, /^4 problems; 1 valid object in 2 files$/m);
});

test('portico validate: --gateway-api-channel standard refuses experimental-only fields', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    path.join(dir, 'route.yaml'),
    [
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: HTTPRoute',
      'metadata: {name: r}',
      'spec:',
      '  parentRefs: [{name: web}]',
      '  rules:',
      '    - backendRefs: [{name: echo, port: 80}]',
      '      retry: {attempts: 2}',
    ].join('\n'),
  );
  const experimental = await runCli(['validate', '-f', dir]);
  assert.equal(experimental.code, 0, experimental.stdout + experimental.stderr);
  const standard = await runCli(['validate', '--gateway-api-channel', 'standard', '-f', dir]);
  // Like the API server, an unknown field is dropped with a warning, not refused.
  assert.match(standard.stderr, /retry/);
});

test('portico validate: usage errors exit 2', async (t) => {
  const dir = tempDir(t);
  const missing = await runCli(['validate', '-f', path.join(dir, 'nope.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.yaml: no such file or directory/);
  const noFiles = await runCli(['validate']);
  assert.equal(noFiles.code, 2);
  assert.match(noFiles.stderr, /-f, --filename/);
  const badChannel = await runCli(['validate', '-f', dir, '--gateway-api-channel', 'beta']);
  assert.equal(badChannel.code, 2);
  assert.match(badChannel.stderr, /standard, experimental/);
});

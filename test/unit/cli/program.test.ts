import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/program.js';

const root = (() => {
  // test/unit/cli → project root, from source or from dist/test/unit/cli.
  const here = path.dirname(fileURLToPath(import.meta.url));
  return here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '../../../..') : path.resolve(here, '../../..');
})();

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    waitForStop: () => Promise.resolve('SIGTERM'),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

test('main: --help prints usage on stdout and exits 0', async () => {
  const r = await cli('--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: portico/);
  for (const command of ['run', 'get', 'validate', 'translate']) assert.match(r.stdout, new RegExp(`^  ${command} `, 'm'));
  const run = await cli('run', '--help');
  assert.equal(run.code, 0);
  assert.match(run.stdout, /--admin <host:port>.*\n.*default: 127\.0\.0\.1:9901/);
});

test('main: --version prints the package version', async () => {
  const r = await cli('--version');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+/);
});

test('main: usage errors exit 2 with a clear message', async () => {
  const cases: [string[], RegExp][] = [
    [['run', '-f', '.', '--admin', 'nope'], /--admin.*"nope" is not HOST:PORT: missing ":PORT"/],
    [['run', '-f', '.', '--address-pool', '10.0.0.0/40'], /--address-pool.*invalid address pool/],
    [['run', '-f', '.', '--health', 'nope'], /--health.*"nope" is not HOST:PORT/],
    [['run', '-f', '.', '--gateway-ports', '80,0'], /--gateway-ports.*invalid port range "0"/],
    [['run', '-f', '.', '--gateway-addresses', 'local,nowhere'], /--gateway-addresses.*"loopback", or "local"/],
    [['run', '-f', '.', '--log-level', 'loud'], /--log-level.*use one of trace, debug/],
    [['run', '-f', '.', '--log-format', 'pretty'], /--log-format.*Allowed choices are auto, json, text/],
    [['controller', '--log-format', 'yaml'], /--log-format.*Allowed choices are auto, json, text/],
    [['run'], /required option '-f, --filename <path\.\.\.>' not specified/],
    [['validate', '-f', '.', '--gateway-api-channel', 'alpha'], /Allowed choices are standard, experimental/],
    [['get'], /missing required argument 'kind'/],
    [['get', 'pods'], /Portico serves no resource type "pods"/],
    [['get', 'gtw', '-o', 'table'], /Allowed choices are wide, yaml, json/],
    [['get', 'gtw', '-n', 'Team_A'], /--namespace.*"Team_A" is not a valid name/],
    [['get', 'gtw', 'web', '-A'], /cannot be retrieved by name across all namespaces/],
    [['get', 'gtw', '--server', '127.0.0.1:9901'], /--server "127\.0\.0\.1:9901" is not an http:\/\/ or https:\/\/ URL/],
    [['translate', '-f', '.', '--now', 'yesterday'], /RFC 3339/],
    [['controller', '--deployment-mode', 'cloud'], /Allowed choices are host, per-gateway, shared/],
    [['dataplane', '--controller', 'https://c', '--token-file', 't'], /give one of --gateway \(per-gateway mode\) and --gateway-class \(shared mode\)/],
    [['dataplane', '--gateway', 'a/b', '--gateway-class', 'c', '--controller', 'https://c', '--token-file', 't'], /give one of --gateway/],
    [['dataplane', '--gateway-class', 'Bad_Class', '--controller', 'https://c', '--token-file', 't'], /--gateway-class.*"Bad_Class" is not a valid name: lower-case letters, digits, '-' and '\.', at most 253/],
    [['controller', '--deployment-mode', 'per-gateway', '--dataplane-tls-cert', 'c.pem'], /--dataplane-tls-cert and --dataplane-tls-key go together/],
    [['dataplane', '--gateway', 'web', '--controller', 'https://x', '--token-file', 't'], /--gateway "web" is not namespace\/name/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /Usage: portico/],
  ];
  for (const [argv, message] of cases) {
    const r = await cli(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, message, argv.join(' '));
  }
});

test('main: translate -o haproxy renders the configuration', async () => {
  const r = await cli('translate', '-f', path.join(root, 'examples/basic'), '-o', 'haproxy');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^backend p8080_r[0-9a-z]+$/m);
});

test('main: a path that does not exist exits 2 for every command', async () => {
  for (const command of ['run', 'validate', 'translate']) {
    const r = await cli(command, '-f', '/nonexistent/portico/objects.yaml');
    assert.equal(r.code, 2, command);
    assert.equal(r.stderr, 'error: /nonexistent/portico/objects.yaml: no such file or directory\n', command);
  }
});

test('main: validate in-process on the basic example', async () => {
  const r = await cli('validate', '-f', path.join(root, 'examples/basic'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /ok: 6 valid objects in 3 files/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CliIO } from '../../../src/cli/io.js';
import { checkClusterFlag, checkDuration, checkNamespace, checkObjectName } from '../../../src/cli/options.js';
import { main } from '../../../src/cli/program.js';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), waitForStop: () => Promise.resolve('SIGTERM') };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

test('controller --help lists its options, sharing those of run', async () => {
  const r = await cli('controller', '--help');
  assert.equal(r.code, 0);
  for (const option of [
    '--kubeconfig <file>',
    '--namespace <namespace>',
    '--admin <host:port>',
    '--address-pool <pool>',
    '--state-dir <dir>',
    '--data-plane <kind>',
    '--haproxy <path>',
    '--health <host:port>',
    '--gateway-addresses <list>',
    '--gateway-ports <list>',
    '--leader-election-namespace <namespace>',
    '--leader-election-id <name>',
    '--no-leader-election',
    '--identity <id>',
  ]) {
    assert.ok(r.stdout.includes(option), `${option} in:\n${r.stdout}`);
  }
  assert.match((await cli('--help')).stdout, /^ {2}controller /m);
});

test('controller: usage errors exit 2', async () => {
  const saved = process.env.KUBERNETES_SERVICE_HOST;
  delete process.env.KUBERNETES_SERVICE_HOST;
  try {
    const cases: [string[], RegExp][] = [
      [['controller', '--namespace', 'Not_A_Namespace'], /--namespace.*"Not_A_Namespace" is not a valid name/],
      [['controller', '--leader-election-id', 'a..b'], /--leader-election-id.*not a valid name/],
      [['controller', '--admin', 'nope'], /--admin.*not HOST:PORT/],
      [['controller', '--data-plane', 'nginx'], /Allowed choices are haproxy, none/],
      [['controller', '--data-plane', 'none'], /no --kubeconfig given, and not running in a cluster/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, message, argv.join(' '));
    }
  } finally {
    if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
  }
});

test('checkNamespace and checkObjectName follow the Kubernetes name rules', () => {
  assert.equal(checkNamespace('portico-system').ok, true);
  for (const bad of ['', 'Caps', '-lead', 'trail-', 'a'.repeat(64), 'dot.ted']) assert.equal(checkNamespace(bad).ok, false, bad);
  assert.equal(checkObjectName('portico-leader').ok, true);
  assert.equal(checkObjectName('portico.leader.x').ok, true);
  for (const bad of ['', 'a..b', '.a', 'A', 'a'.repeat(254)]) assert.equal(checkObjectName(bad).ok, false, bad);
});

test('controller: --cluster and --cluster-grace-period errors name the flag or the file', async () => {
  const cases: [string[], RegExp][] = [
    [['controller', '--cluster', 'west'], /--cluster.*"west" is not NAME=KUBECONFIG/],
    [['controller', '--cluster', 'West=/x'], /--cluster.*cluster name "West" is not valid/],
    [['controller', '--cluster', 'west='], /--cluster.*cluster west: no kubeconfig file after "="/],
    [['controller', '--cluster', 'west=/nonexistent/kubeconfig'], /--cluster west=\/nonexistent\/kubeconfig: cannot read the kubeconfig: .*ENOENT/],
    [['controller', '--cluster', 'west=/nonexistent/a', '--cluster', 'west=/nonexistent/b'], /--cluster west is given twice/],
    [['controller', '--cluster-grace-period', 'soon'], /--cluster-grace-period.*"soon" is not a duration/],
  ];
  for (const [argv, message] of cases) {
    const r = await cli(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, message, argv.join(' '));
  }
});

test('checkClusterFlag splits at the first "=" and checks the name', () => {
  assert.deepEqual(checkClusterFlag('west=/etc/k=1'), { ok: true, value: { name: 'west', kubeconfig: '/etc/k=1' } });
  assert.deepEqual(checkDuration('1m30s'), { ok: true, value: 90_000 });
});

/**
 * deploy/ without an API server: its CRDs are crds/standard's (one source of truth, copied by
 * scripts/sync-deploy-crds.sh), the kustomization lists every manifest, and the names and flags
 * agree with the code. test/kube/deploy.test.ts applies it all to a real API server.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { KINDS, STATUS_KINDS } from '../../../src/api/kinds.js';
import type { CliIO } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/program.js';
import { CONTROLLER_NAME } from '../../../src/api/kinds.js';
import { projectRoot } from '../../e2e/support.js';
import { DEPLOY_DIR, deployFiles, LEADER_ELECTION_ID, PORTICO_NAMESPACE, PORTICO_SERVICE_ACCOUNT } from '../../support/kube-deploy.js';

const SOURCES = [path.join(projectRoot, 'crds/standard'), path.join(projectRoot, 'crds/portico')];
const DEPLOY_CRDS = path.join(DEPLOY_DIR, 'crds');
const FIX = 'run `bash scripts/sync-deploy-crds.sh`';

interface Rule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

function manifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(path.join(DEPLOY_DIR, file), 'utf8')).map((d) => d.toJS() as Manifest);
}

const yamlFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

test('deploy/crds holds exactly the CRDs of crds/standard and crds/portico, byte for byte', () => {
  const sourceOf = new Map(SOURCES.flatMap((dir) => yamlFiles(dir).map((f) => [f, path.join(dir, f)] as const)));
  const wanted = [...sourceOf.keys()].sort();
  assert.deepEqual(
    yamlFiles(DEPLOY_CRDS).filter((f) => f !== 'kustomization.yaml'),
    wanted,
    `deploy/crds/ has other files than crds/standard/ and crds/portico/: ${FIX}`,
  );
  for (const file of wanted) {
    assert.ok(readFileSync(path.join(DEPLOY_CRDS, file)).equals(readFileSync(sourceOf.get(file) as string)), `deploy/crds/${file} differs from its source: ${FIX}`);
  }
  const kustomization = parse(readFileSync(path.join(DEPLOY_CRDS, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  assert.deepEqual(kustomization.resources, wanted, `deploy/crds/kustomization.yaml does not list them all: ${FIX}`);
});

test('deploy/kustomization.yaml lists every manifest of deploy/, and nothing that is not there', () => {
  const listed = deployFiles().map((f) => path.relative(DEPLOY_DIR, f));
  // deploy/per-gateway/ is an overlay of its own (checked below); deploy/multicluster/ holds the
  // RBAC of multi-cluster mode, applied apart (docs/multicluster.md); deploy/grafana/ a dashboard
  // to import into Grafana (grafana-dashboard.test.ts): none is part of deploy/.
  const present = readdirSync(DEPLOY_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ya?ml|json)$/.test(f) && path.basename(f) !== 'kustomization.yaml' && !['per-gateway/', 'multicluster/', 'grafana/'].some((d) => f.startsWith(d)))
    .sort();
  assert.deepEqual([...listed].sort(), present);
  assert.equal(new Set(listed).size, listed.length, 'no file listed twice');
});

test('the GatewayClass is the one Portico serves', () => {
  const [gatewayClass] = manifests('gatewayclass.yaml');
  assert.equal(gatewayClass?.kind, 'GatewayClass');
  assert.equal(gatewayClass?.spec?.controllerName, CONTROLLER_NAME);
});

test('the ClusterRole reads every kind Portico reads and writes the status of every kind it reports on', () => {
  const role = manifests('rbac.yaml').find((m) => m.kind === 'ClusterRole');
  assert.ok(role?.rules);
  const allows = (group: string, resource: string, verb: string): boolean =>
    role.rules?.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb) && !r.resourceNames) ?? false;
  for (const kind of KINDS) {
    for (const verb of ['get', 'list', 'watch']) assert.ok(allows(kind.group, kind.plural, verb), `${verb} ${kind.group}/${kind.plural}`);
    if (STATUS_KINDS.includes(kind.kind as never)) assert.ok(allows(kind.group, `${kind.plural}/status`, 'update'), `update ${kind.plural}/status`);
  }
  // The installed Gateway API bundle version (GatewayClass SupportedVersion), and which kinds exist.
  for (const verb of ['list', 'watch']) assert.ok(allows('apiextensions.k8s.io', 'customresourcedefinitions', verb), `${verb} customresourcedefinitions`);
  // Never a wildcard, never a verb that changes a spec or deletes.
  for (const rule of role.rules) {
    assert.ok(![...rule.apiGroups, ...rule.resources, ...rule.verbs].includes('*'), JSON.stringify(rule));
    const writes = rule.verbs.filter((v) => !['get', 'list', 'watch'].includes(v));
    if (writes.length) assert.ok(rule.resources.every((r) => r.endsWith('/status')) && writes.every((v) => v === 'update' || v === 'patch'), JSON.stringify(rule));
  }
});

test('the Deployment runs `portico controller` as the ServiceAccount, with flags the command knows', async () => {
  const [deployment] = manifests('deployment.yaml');
  assert.equal(deployment?.kind, 'Deployment');
  assert.equal(deployment.metadata.namespace, PORTICO_NAMESPACE);
  const pod = (deployment.spec?.template as { spec: { serviceAccountName: string; containers: { args: string[] }[] } }).spec;
  assert.equal(pod.serviceAccountName, PORTICO_SERVICE_ACCOUNT);
  const args = pod.containers[0]?.args ?? [];
  assert.equal(args[0], 'controller');
  // The Lease the Role lets it update is the one it is told to use.
  assert.ok(args.includes(`--leader-election-id=${LEADER_ELECTION_ID}`), args.join(' '));
  const leaseRule = manifests('rbac.yaml')
    .find((m) => m.kind === 'Role')
    ?.rules?.find((r) => r.resourceNames);
  assert.deepEqual(leaseRule?.resourceNames, [LEADER_ELECTION_ID]);

  await assertControllerFlags(args);
});

test('deploy/per-gateway: its kustomization lists its files; the controller flags it sets are ones the command knows', async () => {
  const dir = path.join(DEPLOY_DIR, 'per-gateway');
  const kustomization = parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[]; patches: { path: string }[] };
  const listed = [...kustomization.resources.filter((r) => r !== '../'), ...kustomization.patches.map((p) => p.path)].sort();
  const present = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
  assert.deepEqual(listed, present);
  const patch = parse(readFileSync(path.join(dir, 'controller.yaml'), 'utf8')) as { path: string; value: unknown }[];
  const args = patch.find((p) => p.path.endsWith('/args'))?.value as string[];
  assert.ok(args.includes('--deployment-mode=per-gateway'));
  await assertControllerFlags(args);
});

/** Every argument after `controller` is written --flag=value with a flag `portico controller --help` lists. */
async function assertControllerFlags(args: readonly string[]): Promise<void> {
  let help = '';
  const io: CliIO = { stdout: (s) => void (help += s), stderr: (s) => void (help += s), waitForStop: () => Promise.resolve('SIGTERM') };
  assert.equal(await main(['controller', '--help'], io), 0, help);
  for (const arg of args.slice(1)) {
    const flag = /^(--[a-z-]+)(=|$)/.exec(arg)?.[1];
    assert.ok(flag, `${arg} is written --flag=value`);
    assert.match(help, new RegExp(`^\\s+${flag}\\b`, 'm'), `portico controller knows ${flag}`);
  }
}

test('deploy/multicluster: the config cluster role writes ServiceImports and slices; the workload role reads, and writes ServiceExport status only', () => {
  const roleOf = (file: string) => manifests(file).find((m) => m.kind === 'ClusterRole');
  const allows = (role: Manifest | undefined, group: string, resource: string, verb: string): boolean =>
    role?.rules?.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb)) ?? false;
  const config = roleOf('multicluster/config-cluster.yaml');
  for (const verb of ['create', 'patch', 'delete']) {
    assert.ok(allows(config, 'multicluster.x-k8s.io', 'serviceimports', verb), `config: ${verb} serviceimports`);
    assert.ok(allows(config, 'discovery.k8s.io', 'endpointslices', verb), `config: ${verb} endpointslices`);
  }
  assert.ok(allows(config, 'multicluster.x-k8s.io', 'serviceimports/status', 'patch'));
  const workload = roleOf('multicluster/workload-cluster.yaml');
  for (const [group, resource] of [['multicluster.x-k8s.io', 'serviceexports'], ['', 'services'], ['discovery.k8s.io', 'endpointslices']] as const) {
    for (const verb of ['get', 'list', 'watch']) assert.ok(allows(workload, group, resource, verb), `workload: ${verb} ${resource}`);
  }
  assert.ok(allows(workload, 'multicluster.x-k8s.io', 'serviceexports/status', 'patch'));
  const writes = workload?.rules?.filter((r) => r.verbs.some((v) => !['get', 'list', 'watch'].includes(v))).flatMap((r) => r.resources);
  assert.deepEqual(writes, ['serviceexports/status'], 'the workload role writes nothing else');
});

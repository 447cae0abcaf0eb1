/**
 * deploy/ (per-gateway mode) and deploy/host/ (host mode) without an API server: their CRDs are
 * crds/standard's (one source of truth, copied by scripts/sync-deploy-crds.sh), the kustomizations
 * list every manifest and kustomize builds them unchanged, and the names and flags agree with the
 * code. test/kube/deploy.test.ts applies them to a real API server.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { KINDS, STATUS_KINDS } from '../../../src/api/kinds.js';
import type { CliIO } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/program.js';
import { CONTROLLER_NAME } from '../../../src/api/kinds.js';
import { projectRoot } from '../../e2e/support.js';
import { DEPLOY_DIR, DEPLOY_HOST_DIR, deployFiles, LEADER_ELECTION_ID, PORTICO_NAMESPACE, PORTICO_SERVICE_ACCOUNT } from '../../support/kube-deploy.js';

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

/** Paths relative to deploy/, sorted. */
const relative = (files: readonly string[]): string[] => files.map((f) => path.relative(DEPLOY_DIR, f)).sort();
/** The manifests present under deploy/ (relative paths), kustomization files aside. */
const presentManifests = (): string[] =>
  readdirSync(DEPLOY_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ya?ml|json)$/.test(f) && path.basename(f) !== 'kustomization.yaml')
    .sort();
const under = (dirs: readonly string[]) => (f: string): boolean => dirs.some((d) => f.startsWith(d));

test('deploy/kustomization.yaml lists every manifest of deploy/ but host mode\'s, and nothing that is not there', () => {
  const listed = deployFiles();
  // deploy/host/ is host mode, listing deploy/base/ as deploy/ does (checked below);
  // deploy/multicluster/ holds the RBAC of multi-cluster mode, applied apart
  // (docs/multicluster.md); deploy/grafana/ a dashboard to import into Grafana
  // (grafana-dashboard.test.ts): none is part of deploy/.
  const present = presentManifests().filter((f) => !under(['host/', 'multicluster/', 'grafana/'])(f));
  assert.deepEqual(relative(listed), present);
  assert.equal(new Set(listed).size, listed.length, 'no file listed twice');
});

test('deploy/host/ lists deploy/base/ and its own files, nothing else and nothing that is not there', () => {
  const listed = relative(deployFiles(DEPLOY_HOST_DIR));
  const present = presentManifests();
  assert.deepEqual(
    listed.filter(under(['host/'])),
    present.filter(under(['host/'])),
  );
  // What it shares with deploy/ is all of deploy/base/ (with the CRDs) and only that.
  assert.deepEqual(
    listed.filter((f) => !under(['host/'])(f)),
    present.filter(under(['base/', 'crds/'])),
  );
  assert.deepEqual(
    relative(deployFiles()).filter(under(['base/', 'crds/'])),
    present.filter(under(['base/', 'crds/'])),
    'deploy/ lists the same base',
  );
  assert.equal(new Set(listed).size, listed.length, 'no file listed twice');
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

// deployFiles() reads kustomization.yaml files the way the tests need; kustomize itself must agree,
// or the tests would check objects other than the ones `kubectl apply -k` installs.
test('`kubectl kustomize` builds deploy/ and deploy/host/ into exactly the objects of their files, unchanged', { skip: kubectl ? false : 'kubectl is not on PATH' }, () => {
  for (const dir of [DEPLOY_DIR, DEPLOY_HOST_DIR]) {
    const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.status, 0, `kubectl kustomize ${dir}: ${run.stderr}`);
    const built = parseAllDocuments(run.stdout).map((d) => d.toJS() as Manifest);
    const fromFiles = deployFiles(dir).flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as Manifest | null)).filter((m): m is Manifest => m !== null);
    const key = (m: Manifest): string => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
    assert.deepEqual(built.map(key).sort(), fromFiles.map(key).sort(), dir);
    const byKey = new Map(fromFiles.map((m) => [key(m), m]));
    for (const object of built) assert.deepEqual(object, byKey.get(key(object)), `${key(object)} as written in ${path.relative(projectRoot, dir)}`);
  }
});

test('the GatewayClass is the one Portico serves', () => {
  const [gatewayClass] = manifests('base/gatewayclass.yaml');
  assert.equal(gatewayClass?.kind, 'GatewayClass');
  assert.equal(gatewayClass?.spec?.controllerName, CONTROLLER_NAME);
});

test('the ClusterRole reads every kind Portico reads and writes the status of every kind it reports on', () => {
  const role = manifests('base/rbac.yaml').find((m) => m.kind === 'ClusterRole');
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

interface Port {
  name: string;
  containerPort: number;
  hostPort?: number;
}
interface PodSpec {
  serviceAccountName: string;
  hostNetwork?: boolean;
  dnsPolicy?: string;
  affinity?: unknown;
  containers: { image: string; args: string[]; ports: Port[]; securityContext: { allowPrivilegeEscalation: boolean; capabilities: { drop: string[]; add?: string[] } } }[];
}
interface DeploymentSpec {
  selector: { matchLabels: Record<string, string> };
  strategy?: unknown;
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
}

/** The controller Deployment of a file, after the checks every mode shares: `portico controller` as the ServiceAccount, with the Lease the Role names and flags the command knows. */
async function controllerDeployment(file: string): Promise<{ metadata: Manifest['metadata']; spec: DeploymentSpec; args: string[] }> {
  const [deployment, ...others] = manifests(file);
  assert.equal(others.length, 0, `${file} holds one object`);
  assert.equal(deployment?.kind, 'Deployment');
  assert.equal(deployment.metadata.namespace, PORTICO_NAMESPACE);
  const spec = deployment.spec as unknown as DeploymentSpec;
  const pod = spec.template.spec;
  assert.equal(pod.serviceAccountName, PORTICO_SERVICE_ACCOUNT);
  assert.equal(pod.containers.length, 1);
  const args = pod.containers[0]?.args ?? [];
  assert.equal(args[0], 'controller');
  // The Lease the Role lets it update is the one it is told to use.
  assert.ok(args.includes(`--leader-election-id=${LEADER_ELECTION_ID}`), args.join(' '));
  const leaseRule = manifests('base/rbac.yaml')
    .find((m) => m.kind === 'Role')
    ?.rules?.find((r) => r.resourceNames);
  assert.deepEqual(leaseRule?.resourceNames, [LEADER_ELECTION_ID]);
  for (const [key, value] of Object.entries(spec.selector.matchLabels)) assert.equal(spec.template.metadata.labels[key], value, `${file}: the selector matches the pod: ${key}`);
  await assertControllerFlags(args);
  return { metadata: deployment.metadata, spec, args };
}

test('deploy/deployment.yaml: `portico controller --deployment-mode=per-gateway`, off the node\'s network, without capabilities, reached through the channel Service', async () => {
  const { spec, args } = await controllerDeployment('deployment.yaml');
  const pod = spec.template.spec;
  const container = pod.containers[0];
  assert.ok(container);
  assert.ok(args.includes('--deployment-mode=per-gateway'), args.join(' '));
  assert.equal(pod.hostNetwork, undefined);
  assert.equal(pod.dnsPolicy, undefined);
  assert.equal(pod.affinity, undefined);
  assert.equal(spec.strategy, undefined, 'the default rolling update: nothing holds a node port');
  assert.ok(container.ports.every((p) => p.hostPort === undefined), JSON.stringify(container.ports));
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'] });
  // The node's addresses and ports mean nothing to a controller that serves no traffic itself.
  assert.ok(!args.some((a) => a.startsWith('--gateway-')), args.join(' '));

  // The data planes are told a URL that reaches the channel: the Service, its port, the pod's.
  const [service, ...others] = manifests('channel-service.yaml');
  assert.equal(others.length, 0);
  assert.equal(service?.kind, 'Service');
  const serviceSpec = service.spec as { selector: Record<string, string>; ports: { name: string; port: number; targetPort: number }[] };
  const servicePort = serviceSpec.ports.find((p) => p.name === 'channel');
  assert.ok(servicePort);
  const flag = (name: string): string | undefined => args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  assert.equal(flag('--dataplane-controller-url'), `https://${service.metadata.name}.${service.metadata.namespace ?? ''}.svc:${servicePort.port}`);
  assert.equal(flag('--dataplane-listen'), `0.0.0.0:${servicePort.targetPort}`);
  assert.ok(container.ports.some((p) => p.name === 'channel' && p.containerPort === servicePort.targetPort), JSON.stringify(container.ports));
  assert.deepEqual(serviceSpec.selector, spec.selector.matchLabels, 'the Service selects the controller pods');
  // The data planes run the controller's image unless told otherwise.
  assert.equal(flag('--dataplane-image'), container.image);
});

test('deploy/host/deployment.yaml: host mode, on the node\'s network, binding low ports through NET_BIND_SERVICE', async () => {
  const { spec, args } = await controllerDeployment('host/deployment.yaml');
  const pod = spec.template.spec;
  const container = pod.containers[0];
  assert.ok(container);
  // No --deployment-mode: host is the command's default.
  assert.ok(!args.some((a) => a.startsWith('--deployment-mode')), args.join(' '));
  assert.match(await controllerHelp(), /^\s+--deployment-mode <mode> .*default: "host"\)$/m);
  assert.ok(!args.some((a) => a.startsWith('--dataplane')), args.join(' '));
  assert.equal(pod.hostNetwork, true);
  assert.equal(pod.dnsPolicy, 'ClusterFirstWithHostNet');
  assert.ok(container.ports.every((p) => p.hostPort === p.containerPort), JSON.stringify(container.ports));
  assert.equal(container.securityContext.allowPrivilegeEscalation, true);
  assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
  assert.ok(args.includes('--gateway-addresses=local') && args.includes('--gateway-ports=80,443,1024-65535'), args.join(' '));
});

test('both modes install one Deployment of one name, so that applying the other mode replaces it; only host mode\'s namespace allows privileged pods', async () => {
  const perGateway = await controllerDeployment('deployment.yaml');
  const host = await controllerDeployment('host/deployment.yaml');
  assert.deepEqual(perGateway.metadata, host.metadata);
  assert.deepEqual(perGateway.spec.selector, host.spec.selector);
  const [namespace] = manifests('namespace.yaml');
  const [hostNamespace] = manifests('host/namespace.yaml');
  assert.equal(namespace?.metadata.name, PORTICO_NAMESPACE);
  assert.equal(hostNamespace?.metadata.name, PORTICO_NAMESPACE);
  const labels = (m: Manifest | undefined): Record<string, string> => (m?.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
  assert.deepEqual(
    Object.keys(labels(namespace)).filter((k) => k.startsWith('pod-security.kubernetes.io/')),
    [],
  );
  assert.equal(labels(hostNamespace)['pod-security.kubernetes.io/enforce'], 'privileged');
});

async function controllerHelp(): Promise<string> {
  let help = '';
  const io: CliIO = { stdout: (s) => void (help += s), stderr: (s) => void (help += s), waitForStop: () => Promise.resolve('SIGTERM') };
  assert.equal(await main(['controller', '--help'], io), 0, help);
  return help;
}

/** Every argument after `controller` is written --flag=value with a flag `portico controller --help` lists. */
async function assertControllerFlags(args: readonly string[]): Promise<void> {
  const help = await controllerHelp();
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

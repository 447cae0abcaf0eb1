/**
 * charts/portico through the real helm (.cache/helm/bin/helm, built by scripts/helm.sh): it lints,
 * renders what deploy/ installs (per-gateway mode what deploy/ holds, host mode what deploy/host/
 * holds, each controller Deployment field for field), turns each value into the flag or field it stands for,
 * refuses values it cannot use with a message, and keeps deploy/'s CRDs and RBAC rules. Without
 * the binary the helm tests skip themselves.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { CONTROLLER_NAME } from '../../../src/api/kinds.js';
import type { CliIO } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/program.js';
import { projectRoot } from '../../e2e/support.js';
import { DEPLOY_DIR, DEPLOY_HOST_DIR, deployFiles, LEADER_ELECTION_ID, PORTICO_NAMESPACE, PORTICO_SERVICE_ACCOUNT } from '../../support/kube-deploy.js';

const CHART = path.join(projectRoot, 'charts/portico');
const HELM = path.join(projectRoot, '.cache/helm/bin/helm');
/** The version scripts/helm.sh builds. */
const HELM_VERSION = 'v4.3.2';
const RELEASE = 'portico';
const MODES = ['per-gateway', 'shared', 'host'] as const;
const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
const noHelm = existsSync(HELM) ? false : `${path.relative(projectRoot, HELM)} is missing: run \`bash scripts/helm.sh\` (it needs a Go toolchain)`;
const SYNC = 'run `bash scripts/sync-deploy-crds.sh`';

interface Rule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}
interface Container {
  name: string;
  image: string;
  imagePullPolicy: string;
  args: string[];
  env: unknown[];
  ports: { name: string; containerPort: number; hostPort?: number }[];
  readinessProbe: unknown;
  livenessProbe: unknown;
  resources?: unknown;
  securityContext: { allowPrivilegeEscalation: boolean; capabilities: { drop: string[]; add?: string[] } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  serviceAccountName: string;
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  dnsPolicy?: string;
  terminationGracePeriodSeconds?: number;
  imagePullSecrets?: { name: string }[];
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  affinity?: {
    podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }[] };
    [key: string]: unknown;
  };
  securityContext: unknown;
  containers: Container[];
  volumes: { name: string; emptyDir?: unknown; secret?: { secretName: string; defaultMode?: number } }[];
}
interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  strategy?: unknown;
  template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace: string }[];
  spec?: Record<string, unknown>;
}

// Helm's own configuration, cache and data live in a directory of this test, not in the user's.
const helmHome = mkdtempSync(path.join(tmpdir(), 'portico-helm-'));
after(() => rmSync(helmHome, { recursive: true, force: true }));
const helmEnv = {
  ...process.env,
  HELM_CONFIG_HOME: path.join(helmHome, 'config'),
  HELM_CACHE_HOME: path.join(helmHome, 'cache'),
  HELM_DATA_HOME: path.join(helmHome, 'data'),
};

interface HelmRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function helm(args: readonly string[]): HelmRun {
  // --include-crds prints about 2 MB, above spawnSync's default buffer.
  const run = spawnSync(HELM, args, { encoding: 'utf8', env: helmEnv, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let valuesFiles = 0;
/** `-f FILE` for values that --set cannot spell briefly (maps, lists of maps). */
function valuesFile(values: Record<string, unknown>): string[] {
  const file = path.join(helmHome, `values-${++valuesFiles}.json`);
  writeFileSync(file, JSON.stringify(values));
  return ['-f', file];
}

/** `helm template` of the chart as release "portico" in portico-system; `args` are --set NAME=VALUE, -f FILE, .... */
function template(args: readonly string[] = [], release = RELEASE): HelmRun {
  return helm(['template', release, CHART, '--namespace', PORTICO_NAMESPACE, ...args]);
}

function render(args: readonly string[] = [], release = RELEASE): Manifest[] {
  const run = template(args, release);
  assert.equal(run.status, 0, `helm template ${args.join(' ')}: ${run.stderr}`);
  return parseAllDocuments(run.stdout).flatMap((doc) => {
    assert.deepEqual(doc.errors, [], 'helm rendered valid YAML');
    const value = doc.toJS() as Manifest | null;
    return value === null ? [] : [value];
  });
}

/** The one object of that kind (and name, when given). */
function one(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  assert.equal(found.length, 1, `one ${kind} ${name ?? ''}, got ${found.length}`);
  return found[0] as Manifest;
}

function deploymentSpec(manifests: readonly Manifest[]): DeploymentSpec {
  return one(manifests, 'Deployment').spec as unknown as DeploymentSpec;
}

function controller(spec: DeploymentSpec): Container {
  assert.equal(spec.template.spec.containers.length, 1);
  return spec.template.spec.containers[0] as Container;
}

/** The value after `flag` in args (written `--flag value`), asserting it is there exactly once. */
function flagValue(args: readonly string[], flag: string): string | undefined {
  const at = args.flatMap((a, i) => (a === flag ? [i] : []));
  assert.ok(at.length <= 1, `${flag} given ${at.length} times: ${args.join(' ')}`);
  return at[0] === undefined ? undefined : args[at[0] + 1];
}

function failure(args: readonly string[]): string {
  const run = template(args);
  assert.notEqual(run.status, 0, `helm template ${args.join(' ')} should fail; it rendered:\n${run.stdout}`);
  return run.stderr;
}

const manifestsOf = (files: readonly string[]): Manifest[] =>
  files.flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Manifest));
/** deploy/ (per-gateway mode) as `kubectl apply -k deploy/` installs it. */
const deployManifests = (): Manifest[] => manifestsOf(deployFiles());
/** deploy/host/ (host mode) as `kubectl apply -k deploy/host/` installs it. */
const hostDeployManifests = (): Manifest[] => manifestsOf(deployFiles(DEPLOY_HOST_DIR));
/** What the chart holds of a deploy/ directory's objects: Helm makes the Namespace, and the CRDs come with --include-crds. */
const withoutNamespaceAndCrds = (ms: readonly Manifest[]): Manifest[] => ms.filter((m) => m.kind !== 'Namespace' && m.kind !== 'CustomResourceDefinition');

/**
 * The fields the chart's controller Deployment shares with deploy/'s (per-gateway mode) or
 * deploy/host/'s, compared as they are. The rest differs by design and is checked apart: the
 * image (the chart's is the appVersion's), the labels (the chart adds its own), the arguments
 * (written otherwise), the affinity (a value of the chart).
 */
function assertSameController(spec: DeploymentSpec, deploySpec: DeploymentSpec): void {
  const pod = spec.template.spec;
  const deployPod = deploySpec.template.spec;
  for (const field of ['hostNetwork', 'dnsPolicy', 'automountServiceAccountToken', 'terminationGracePeriodSeconds', 'securityContext', 'volumes', 'serviceAccountName'] as const) {
    assert.deepEqual(pod[field], deployPod[field], `pod ${field}`);
  }
  assert.deepEqual(spec.replicas, deploySpec.replicas);
  assert.deepEqual(spec.strategy, deploySpec.strategy);
  const container = controller(spec);
  assert.equal(deployPod.containers.length, 1);
  const deployContainer = deployPod.containers[0] as Container;
  for (const field of ['name', 'imagePullPolicy', 'env', 'ports', 'readinessProbe', 'livenessProbe', 'resources', 'securityContext', 'volumeMounts'] as const) {
    assert.deepEqual(container[field], deployContainer[field], `container ${field}`);
  }
}

const yamlFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

test('Chart.yaml: apiVersion v2, chart portico 0.1.0, appVersion package.json\'s version', () => {
  const chart = parse(readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  assert.equal(chart.apiVersion, 'v2');
  assert.equal(chart.name, 'portico');
  assert.equal(chart.version, '0.1.0');
  assert.equal(chart.appVersion, PACKAGE_VERSION, 'appVersion follows package.json (and is the default image tag)');
});

test('charts/portico/crds holds exactly the CRDs of deploy/crds, byte for byte', () => {
  const deployCrds = yamlFiles(path.join(DEPLOY_DIR, 'crds')).filter((f) => f !== 'kustomization.yaml');
  const chartCrds = path.join(CHART, 'crds');
  // Every file there is installed by Helm, whatever its name.
  assert.deepEqual(readdirSync(chartCrds).sort(), deployCrds, `charts/portico/crds/ has other files than deploy/crds/: ${SYNC}`);
  for (const file of deployCrds) {
    assert.ok(readFileSync(path.join(chartCrds, file)).equals(readFileSync(path.join(DEPLOY_DIR, 'crds', file))), `charts/portico/crds/${file} differs from deploy/crds/${file}: ${SYNC}`);
  }
});

test(`helm is ${HELM_VERSION}, the version scripts/helm.sh builds`, { skip: noHelm }, () => {
  const run = helm(['version', '--template', '{{.Version}}']);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, HELM_VERSION);
});

// helm lint renders in "lint mode", where `fail` only logs: refused values are checked with
// helm template below.
test('helm lint passes, --strict too, in every deployment mode', { skip: noHelm }, () => {
  for (const mode of MODES) {
    for (const strict of [[], ['--strict']]) {
      const run = helm(['lint', CHART, ...strict, '--set', `deploymentMode=${mode}`]);
      assert.equal(run.status, 0, `helm lint ${strict.join(' ')} (${mode}):\n${run.stdout}${run.stderr}`);
      assert.match(run.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      assert.doesNotMatch(run.stdout, /\[(WARNING|ERROR)\]/, run.stdout);
    }
  }
});

test("default values: deploy/'s objects without the Namespace, labelled; host mode deploy/host/'s; the CRDs with --include-crds", { skip: noHelm }, () => {
  const manifests = render();
  const kinds = (ms: readonly Manifest[]): string[] => ms.map((m) => m.kind).sort();
  // Named as deploy/ names them, so that its documentation and tests hold for the chart too.
  const names = (ms: readonly Manifest[]): string[] => ms.map((m) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`).sort();
  const fromDeploy = withoutNamespaceAndCrds(deployManifests());
  assert.deepEqual(names(manifests), names(fromDeploy));
  assert.deepEqual(kinds(manifests), ['ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'Deployment', 'GatewayClass', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
  const fromHostDeploy = withoutNamespaceAndCrds(hostDeployManifests());
  assert.deepEqual(names(render(['--set', 'deploymentMode=host'])), names(fromHostDeploy));
  assert.deepEqual(kinds(fromHostDeploy), ['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'GatewayClass', 'Role', 'RoleBinding', 'ServiceAccount'], 'host mode has no channel and no data plane RBAC');
  assert.deepEqual(names(render(['--set', 'deploymentMode=shared'])), names(fromDeploy), 'shared mode has the same channel and RBAC');
  assert.equal(one(manifests, 'ServiceAccount').metadata.name, PORTICO_SERVICE_ACCOUNT);

  const clusterScoped = new Set(['ClusterRole', 'ClusterRoleBinding', 'GatewayClass', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
  for (const m of manifests) {
    assert.equal(m.metadata.namespace, clusterScoped.has(m.kind) ? undefined : PORTICO_NAMESPACE, `${m.kind} ${m.metadata.name}`);
    assert.deepEqual(
      Object.fromEntries(Object.entries(m.metadata.labels ?? {}).filter(([k]) => k !== 'app.kubernetes.io/component')),
      {
        'app.kubernetes.io/name': 'portico',
        'app.kubernetes.io/instance': RELEASE,
        'app.kubernetes.io/version': PACKAGE_VERSION,
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': 'portico-0.1.0',
      },
      `labels of ${m.kind} ${m.metadata.name}`,
    );
  }

  const withCrds = render(['--include-crds']);
  const crdNames = withCrds.filter((m) => m.kind === 'CustomResourceDefinition').map((m) => m.metadata.name).sort();
  const deployCrdNames = deployManifests().filter((m) => m.kind === 'CustomResourceDefinition').map((m) => m.metadata.name).sort();
  assert.equal(deployCrdNames.length, 17);
  assert.deepEqual(crdNames, deployCrdNames);
  assert.deepEqual(kinds(withCrds.filter((m) => m.kind !== 'CustomResourceDefinition')), kinds(manifests));
});

test('default Deployment: `portico controller --deployment-mode per-gateway`, no host network, no capability', { skip: noHelm }, () => {
  const spec = deploymentSpec(render());
  const pod = spec.template.spec;
  const container = controller(spec);
  assert.equal(container.args[0], 'controller');
  assert.equal(flagValue(container.args, '--deployment-mode'), 'per-gateway');
  assert.equal(pod.hostNetwork, undefined);
  assert.equal(pod.dnsPolicy, undefined);
  assert.deepEqual(container.ports, [
    { name: 'health', containerPort: 9902, protocol: 'TCP' },
    { name: 'channel', containerPort: 9443, protocol: 'TCP' },
  ]);
  // The node's addresses and ports mean nothing to a controller that serves no traffic itself.
  assert.ok(!container.args.some((a) => a.startsWith('--gateway-')), container.args.join(' '));
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'] });
  assert.equal(spec.strategy, undefined, 'the default rolling update: nothing holds a node port');
  assert.equal(pod.affinity, undefined);
  assert.equal(container.image, `portico:${PACKAGE_VERSION}`);
  assert.equal(pod.serviceAccountName, PORTICO_SERVICE_ACCOUNT);
  assert.equal(spec.replicas, 1);
  assert.ok(container.args.includes('--log-level=info'), container.args.join(' '));
  for (const [key, value] of Object.entries(spec.selector.matchLabels)) assert.equal(spec.template.metadata.labels[key], value, `the selector matches the pod: ${key}`);
});

test('deploymentMode per-gateway is deploy/: the controller Deployment field for field, the data plane RBAC rules, the channel Service, the controller flags', { skip: noHelm }, () => {
  const manifests = render();
  const deploy = deployManifests();
  const deployDeployment = one(deploy, 'Deployment').spec as unknown as DeploymentSpec;
  assertSameController(deploymentSpec(manifests), deployDeployment);
  assert.equal(deploymentSpec(manifests).template.spec.affinity, deployDeployment.template.spec.affinity);
  assert.deepEqual(one(manifests, 'ClusterRole', 'portico-dataplanes').rules, one(deploy, 'ClusterRole', 'portico-dataplanes').rules);
  // The admission policy that holds the controller's writes to the data plane objects: the same, for the chart's ServiceAccount.
  assert.deepEqual(one(manifests, 'ValidatingAdmissionPolicy').spec, one(deploy, 'ValidatingAdmissionPolicy').spec);
  assert.deepEqual(one(manifests, 'ValidatingAdmissionPolicyBinding').spec, one(deploy, 'ValidatingAdmissionPolicyBinding').spec);
  const edge = render([], 'edge');
  assert.equal(
    (one(edge, 'ValidatingAdmissionPolicy').spec as { matchConditions: { expression: string }[] }).matchConditions[0]?.expression,
    `request.userInfo.username == 'system:serviceaccount:${PORTICO_NAMESPACE}:edge-portico'`,
    "under another release name, the policy names that release's ServiceAccount",
  );
  assert.equal((one(edge, 'ValidatingAdmissionPolicyBinding').spec as { policyName: string }).policyName, 'edge-portico-dataplanes');
  const binding = one(manifests, 'ClusterRoleBinding', 'portico-dataplanes');
  assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'portico-dataplanes' });
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: PORTICO_SERVICE_ACCOUNT, namespace: PORTICO_NAMESPACE }]);

  const spec = deploymentSpec(manifests);
  const service = one(manifests, 'Service').spec as { type: string; selector: Record<string, string>; ports: unknown[] };
  const deployService = one(deploy, 'Service').spec as typeof service;
  assert.equal(service.type, deployService.type);
  assert.deepEqual(service.ports, deployService.ports);
  assert.deepEqual(service.selector, spec.selector.matchLabels, 'the Service selects the controller pods');
  for (const [key, value] of Object.entries(deployService.selector)) assert.equal(service.selector[key], value, key);

  // deploy/deployment.yaml writes --flag=value and names its own image; the chart gives the mode
  // as two arguments, the data planes its image, and adds the log level.
  const container = controller(spec);
  assert.ok(container.args.includes(`--dataplane-controller-url=https://portico.${PORTICO_NAMESPACE}.svc:9443`), container.args.join(' '));
  assert.ok(container.args.includes(`--dataplane-image=portico:${PACKAGE_VERSION}`), container.args.join(' '));
  const normalized = (args: readonly string[]): string[] =>
    args
      .filter((a) => a !== '--log-level=info')
      .map((a) => (a.startsWith('--dataplane-image=') ? '--dataplane-image=IMAGE' : a))
      .join('\n')
      .replace('--deployment-mode\nper-gateway', '--deployment-mode=per-gateway')
      .split('\n');
  assert.deepEqual(normalized(container.args), normalized(controller(deployDeployment).args));
});

test('per-gateway values: the data plane image, the channel URL under any release name, the channel TLS Secret', { skip: noHelm }, () => {
  const args = (set: readonly string[], release = RELEASE): string[] => controller(deploymentSpec(render(set, release))).args;
  assert.ok(args(['--set', 'image.tag=1.2.3']).includes('--dataplane-image=portico:1.2.3'));
  assert.ok(args(['--set', 'dataplane.image=registry.example/portico-dataplane:7']).includes('--dataplane-image=registry.example/portico-dataplane:7'));

  // The controller's own default URL names a Service "portico"; under another release name the
  // chart's Service is named otherwise, and the URL (and so the certificate the controller makes)
  // must follow it.
  const edge = render([], 'edge');
  const serviceName = one(edge, 'Service').metadata.name;
  assert.equal(serviceName, 'edge-portico');
  assert.ok(controller(deploymentSpec(edge)).args.includes(`--dataplane-controller-url=https://${serviceName}.${PORTICO_NAMESPACE}.svc:9443`));

  const spec = deploymentSpec(render(['--set', 'dataplane.tlsSecret=channel-tls']));
  const container = controller(spec);
  assert.ok(container.args.includes(`--dataplane-controller-url=https://portico.${PORTICO_NAMESPACE}.svc:9443`), container.args.join(' '));
  const mount = container.volumeMounts.find((m) => m.name === 'channel-tls');
  assert.ok(mount, 'the TLS Secret is mounted');
  assert.deepEqual(mount, { name: 'channel-tls', mountPath: '/etc/portico/channel-tls', readOnly: true });
  for (const [flag, file] of [['--dataplane-tls-cert', 'tls.crt'], ['--dataplane-tls-key', 'tls.key'], ['--dataplane-tls-ca', 'ca.crt']] as const) {
    assert.ok(container.args.includes(`${flag}=${mount.mountPath}/${file}`), `${flag}: ${container.args.join(' ')}`);
  }
  assert.deepEqual(
    spec.template.spec.volumes.find((v) => v.name === 'channel-tls'),
    { name: 'channel-tls', secret: { secretName: 'channel-tls', defaultMode: 0o440 } },
  );
  const plain = controller(deploymentSpec(render()));
  assert.ok(!plain.args.some((a) => a.startsWith('--dataplane-tls')), plain.args.join(' '));
  assert.ok(!plain.volumeMounts.some((m) => m.name === 'channel-tls'));

  // Host mode has no channel: no data plane flag, Service or RBAC rules.
  for (const mode of ['host']) {
    const ms = render(['--set', `deploymentMode=${mode}`, '--set', 'dataplane.tlsSecret=channel-tls']);
    assert.ok(!controller(deploymentSpec(ms)).args.some((a) => a.startsWith('--dataplane')), mode);
    assert.deepEqual(ms.filter((m) => m.kind === 'Service' || m.metadata.name.endsWith('-dataplanes')), [], mode);
    assert.ok(!controller(deploymentSpec(ms)).ports.some((p) => p.name === 'channel'), mode);
  }
});

test('deploymentMode host is deploy/host/deployment.yaml: host network, node ports, capabilities, probes, args', { skip: noHelm }, () => {
  const spec = deploymentSpec(render(['--set', 'deploymentMode=host']));
  const deploySpec = one(hostDeployManifests(), 'Deployment').spec as unknown as DeploymentSpec;
  const pod = spec.template.spec;
  assert.equal(pod.hostNetwork, true);
  assertSameController(spec, deploySpec);
  const container = controller(spec);
  const deployContainer = controller(deploySpec);
  // deploy/host/ names the Deployment's pods with two labels; the chart adds its instance label.
  const antiAffinity = pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  assert.ok(antiAffinity, 'host mode keeps replicas on different nodes');
  assert.equal(antiAffinity.length, 1);
  assert.equal(antiAffinity[0]?.topologyKey, 'kubernetes.io/hostname');
  assert.deepEqual(antiAffinity[0]?.labelSelector.matchLabels, spec.selector.matchLabels);
  // The same flags in the same order, plus the mode and the log level.
  assert.equal(flagValue(container.args, '--deployment-mode'), 'host');
  const chartOnly = new Set(['--deployment-mode', 'host', '--log-level=info']);
  assert.deepEqual(
    container.args.filter((a) => !chartOnly.has(a)),
    deployContainer.args,
  );
});

test('the host network, and only it, comes with deploymentMode host; hostNetwork is not a value', { skip: noHelm }, () => {
  for (const mode of MODES) {
    const spec = deploymentSpec(render(['--set', `deploymentMode=${mode}`]));
    const container = controller(spec);
    assert.equal(spec.template.spec.hostNetwork === true, mode === 'host', mode);
    assert.equal(container.ports.some((p) => p.hostPort !== undefined), mode === 'host', mode);
    assert.equal(container.securityContext.capabilities.add?.includes('NET_BIND_SERVICE') ?? false, mode === 'host', mode);
    assert.equal(flagValue(container.args, '--deployment-mode'), mode);
  }
  assert.match(failure(['--set', 'hostNetwork=true']), /hostNetwork is not a value of this chart: .*exactly when deploymentMode is host/);
});

test('a deploymentMode other than per-gateway, shared or host fails with a message naming them', { skip: noHelm }, () => {
  assert.match(failure(['--set', 'deploymentMode=bogus']), /deploymentMode must be one of per-gateway, shared, host \(it is passed to the controller as --deployment-mode\); got "bogus"/);
  assert.match(failure(['--set', 'deploymentMode=Host']), /got "Host"/);
  assert.match(failure(['--set', 'deploymentMode=']), /got ""/);
});

test('image: the tag defaults to appVersion; repository, tag, pull policy and pull secrets are values', { skip: noHelm }, () => {
  assert.equal(controller(deploymentSpec(render(['--set', 'image.tag=1.2.3']))).image, 'portico:1.2.3');
  const spec = deploymentSpec(
    render(['--set', 'image.repository=registry.example/team/portico', '--set', 'image.tag=dev', '--set', 'image.pullPolicy=Always', '--set', 'imagePullSecrets[0].name=regcred']),
  );
  assert.equal(controller(spec).image, 'registry.example/team/portico:dev');
  assert.equal(controller(spec).imagePullPolicy, 'Always');
  assert.deepEqual(spec.template.spec.imagePullSecrets, [{ name: 'regcred' }]);
  assert.equal(deploymentSpec(render()).template.spec.imagePullSecrets, undefined);
});

test('watchNamespaces become --namespace flags; accessLogDir passes --access-log-dir and mounts an emptyDir there', { skip: noHelm }, () => {
  const plain = controller(deploymentSpec(render()));
  assert.ok(!plain.args.some((a) => a.startsWith('--namespace') || a.startsWith('--access-log-dir')), plain.args.join(' '));
  assert.deepEqual(plain.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);

  const spec = deploymentSpec(render(['--set', 'watchNamespaces={team-a,team-b}', '--set', 'accessLogDir=/var/log/portico']));
  const container = controller(spec);
  assert.deepEqual(
    container.args.filter((a) => a.startsWith('--namespace')),
    ['--namespace=team-a', '--namespace=team-b'],
  );
  assert.deepEqual(
    container.args.filter((a) => a.startsWith('--access-log-dir')),
    ['--access-log-dir=/var/log/portico'],
  );
  assert.deepEqual(container.volumeMounts, [
    { name: 'tmp', mountPath: '/tmp' },
    { name: 'access-logs', mountPath: '/var/log/portico' },
  ]);
  assert.deepEqual(spec.template.spec.volumes, [
    { name: 'tmp', emptyDir: {} },
    { name: 'access-logs', emptyDir: {} },
  ]);

  assert.match(failure(['--set', 'accessLogDir=logs']), /accessLogDir must be an absolute path/);
  // Two volumes on one mountPath: the API server would refuse the pod.
  assert.match(failure(['--set', 'accessLogDir=/tmp/']), /accessLogDir cannot be \/tmp/);
});

test('replicas, logLevel, extraArgs, resources and the pod scheduling values reach the Deployment', { skip: noHelm }, () => {
  const tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'gateway', effect: 'NoSchedule' }];
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'edge', operator: 'Exists' }] }] } } };
  const resources = { requests: { cpu: '250m', memory: '300Mi' } };
  const spec = deploymentSpec(
    render(
      valuesFile({
        deploymentMode: 'host',
        replicas: 3,
        logLevel: 'debug',
        extraArgs: ['--address-pool=192.0.2.0/28', '--gateway-ports=443'],
        // Helm merges maps into the defaults: null is how a user drops the default limits.
        resources: { ...resources, limits: null },
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations,
        affinity,
        podAnnotations: { 'example.com/scrape': 'true' },
        // A pod label may not take over a selector label: the Deployment would select nothing.
        podLabels: { team: 'edge', 'app.kubernetes.io/name': 'other' },
      }),
    ),
  );
  const pod = spec.template.spec;
  const container = controller(spec);
  assert.equal(spec.replicas, 3);
  assert.ok(container.args.includes('--log-level=debug'), container.args.join(' '));
  assert.ok(!container.args.includes('--log-level=info'), container.args.join(' '));
  assert.deepEqual(container.args.slice(-2), ['--address-pool=192.0.2.0/28', '--gateway-ports=443'], 'extra arguments last, so that they win');
  assert.deepEqual(container.resources, resources);
  assert.deepEqual(pod.nodeSelector, { 'kubernetes.io/os': 'linux' });
  assert.deepEqual(pod.tolerations, tolerations);
  assert.deepEqual(pod.affinity, affinity, "the user's affinity replaces host mode's anti-affinity");
  assert.deepEqual(spec.template.metadata.annotations, { 'example.com/scrape': 'true' });
  assert.equal(spec.template.metadata.labels.team, 'edge');
  for (const [key, value] of Object.entries(spec.selector.matchLabels)) assert.equal(spec.template.metadata.labels[key], value, `the selector matches the pod: ${key}`);

  assert.match(failure(['--set', 'logLevel=loud']), /logLevel must be one of trace, debug, info, warn, error, fatal, silent; got "loud"/);
});

test("the ClusterRole and the leader-election Role carry deploy/base/rbac.yaml's rules, bound to the chart's ServiceAccount", { skip: noHelm }, () => {
  const manifests = render();
  const deploy = deployManifests();
  assert.deepEqual(one(manifests, 'ClusterRole', 'portico').rules, one(deploy, 'ClusterRole', 'portico').rules);
  assert.deepEqual(one(manifests, 'Role').rules, one(deploy, 'Role').rules);

  const serviceAccount = one(manifests, 'ServiceAccount').metadata;
  for (const [binding, role, name] of [['ClusterRoleBinding', 'ClusterRole', 'portico'], ['RoleBinding', 'Role', 'portico-leader-election']] as const) {
    const b = one(manifests, binding, name);
    assert.deepEqual(b.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: role, name: one(manifests, role, name).metadata.name });
    assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: serviceAccount.namespace }]);
  }
  assert.equal(deploymentSpec(manifests).template.spec.serviceAccountName, serviceAccount.name);

  // The one Lease the Role lets the controller update is the one it is told to use, under any
  // release name.
  for (const [release, lease] of [[RELEASE, LEADER_ELECTION_ID], ['edge', 'edge-portico-leader']] as const) {
    const ms = render([], release);
    const leaseRule = one(ms, 'Role').rules?.find((r) => r.resourceNames);
    assert.deepEqual(leaseRule?.resourceNames, [lease], release);
    assert.ok(controller(deploymentSpec(ms)).args.includes(`--leader-election-id=${lease}`), release);
  }
});

test('the GatewayClass: "portico" for Portico\'s controllerName by default; renamed or left out by values', { skip: noHelm }, () => {
  const gatewayClass = one(render(), 'GatewayClass');
  assert.equal(gatewayClass.metadata.name, 'portico');
  assert.equal(gatewayClass.spec?.controllerName, CONTROLLER_NAME);
  assert.equal(one(render(['--set', 'gatewayClass.name=edge']), 'GatewayClass').metadata.name, 'edge');
  assert.deepEqual(
    render(['--set', 'gatewayClass.create=false']).filter((m) => m.kind === 'GatewayClass'),
    [],
  );
});

test('the rendered objects Portico reads (GatewayClass, Service) pass `portico validate` against the standard-channel CRDs, in every mode', { skip: noHelm }, async () => {
  for (const mode of MODES) {
    const run = template(['--set', `deploymentMode=${mode}`]);
    assert.equal(run.status, 0, run.stderr);
    const file = path.join(helmHome, `rendered-${mode}.yaml`);
    writeFileSync(file, run.stdout);
    let out = '';
    const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (out += s), waitForStop: () => Promise.resolve('SIGTERM') };
    assert.equal(await main(['validate', '--gateway-api-channel', 'standard', '-f', file], io), 0, `${mode}: ${out}`);
    const read = mode === 'host' ? 1 : 2;
    assert.match(out, new RegExp(`ok: ${read} valid objects? in 1 file`), `${mode}: ${out}`);
  }
});

test('every flag the chart passes is one `portico controller` knows', { skip: noHelm }, async () => {
  let help = '';
  const io: CliIO = { stdout: (s) => void (help += s), stderr: (s) => void (help += s), waitForStop: () => Promise.resolve('SIGTERM') };
  assert.equal(await main(['controller', '--help'], io), 0, help);
  for (const mode of MODES) {
    const args = controller(
      deploymentSpec(render(['--set', `deploymentMode=${mode}`, '--set', 'watchNamespaces={a}', '--set', 'accessLogDir=/var/log/portico', '--set', 'dataplane.tlsSecret=tls'])),
    ).args;
    for (const arg of args.filter((a) => a.startsWith('-'))) {
      const flag = /^(--[a-z-]+)(=|$)/.exec(arg)?.[1];
      assert.ok(flag, `${arg} is written --flag or --flag=value`);
      assert.match(help, new RegExp(`^\\s+${flag}\\b`, 'm'), `portico controller knows ${flag}`);
    }
  }
});

test("charts/portico/README.md's table lists every value of values.yaml, with its default", () => {
  const values = parse(readFileSync(path.join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  const readme = readFileSync(path.join(CHART, 'README.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const match of readme.matchAll(/^\| `([A-Za-z.]+)` \| (.*?) \| .* \|$/gm)) rows.set(match[1] as string, (match[2] as string).trim());

  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0;
  const listed: string[] = [];
  // A map is documented as one row (resources) or key by key (image.tag, gatewayClass.name).
  const walk = (prefix: string, value: unknown): void => {
    if (rows.has(prefix)) {
      listed.push(prefix);
      const shown = rows.get(prefix) as string;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        assert.equal(shown, `\`${value === '' ? '""' : String(value)}\``, `default of ${prefix}`);
      } else if (!isMap(value)) {
        assert.equal(shown, `\`${JSON.stringify(value)}\``, `default of ${prefix}`);
      }
      return;
    }
    assert.ok(isMap(value), `${prefix} is not in charts/portico/README.md's table`);
    for (const [key, child] of Object.entries(value)) walk(`${prefix}.${key}`, child);
  };
  for (const [key, value] of Object.entries(values)) walk(key, value);
  assert.deepEqual([...rows.keys()].sort(), listed.sort(), 'the table lists no value that values.yaml lacks');
});

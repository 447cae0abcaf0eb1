/**
 * deploy/ (per-gateway mode) and deploy/host/ (host mode) on a real API server: every object
 * installs (with kubectl as the README says, when kubectl is here, and by server-side apply from
 * the files), the CRDs become Established, the objects are stored as written, each mode's
 * controller pod passes the Pod Security level its namespace allows, kubectl switches an
 * installation from one mode to the other, and the portico ServiceAccount may do exactly what the
 * controller needs: read every kind it translates, write the status of the Gateway API objects,
 * hold its Lease in portico-system, in per-gateway mode keep the data plane objects, and nothing
 * more.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuthorizationV1Api, CoreV1Api, type KubeConfig, type V1ResourceAttributes } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { GATEWAY_GROUP as GROUP, KINDS, STATUS_KINDS as WRITES_STATUS } from '../../src/api/kinds.js';
import { projectRoot } from '../e2e/support.js';
import { waitFor } from '../support/fs-wait.js';
import { ensureKubeBinaries, startKubeApiserver, type KubeApiserver } from '../support/kube-apiserver.js';
import {
  applyDeploy,
  applyDeployRbac,
  canI,
  DEPLOY_DIR,
  DEPLOY_HOST_DIR,
  deployFiles,
  kubeConfigFor,
  LEADER_ELECTION_ID,
  PORTICO_NAMESPACE,
  PORTICO_SERVICE_ACCOUNT,
  PORTICO_USER,
  porticoCredentials,
  type PorticoCredentials,
} from '../support/kube-deploy.js';
import { enterPrivateNetwork } from '../support/private-network.js';

// A build needs the network outside; then the file runs itself inside a private network namespace
// (this line does not return outside it), where 127.0.0.1 and its ports are its own. Where no
// namespace can be made the file runs on the host: it needs no backend addresses.
const binaries = ensureKubeBinaries();
if (!('skip' in binaries)) await enterPrivateNetwork();

const APPS = 'apps';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

interface Answer {
  status: number;
  body: unknown;
}

/** One request as it goes over the wire (no client library in between), with a bearer token. */
function request(api: KubeApiserver, token: string, method: string, urlPath: string, body?: unknown, contentType = 'application/json'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      {
        host: '127.0.0.1',
        port: api.port,
        method,
        path: urlPath,
        ca: readFileSync(api.caFile),
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Opens a watch and resolves with the status of the answer's head (then closes it). */
function watchStatus(api: KubeApiserver, token: string, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: '127.0.0.1', port: api.port, path: `${urlPath}?watch=true&timeoutSeconds=10`, ca: readFileSync(api.caFile), headers: { authorization: `Bearer ${token}` } },
      (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`watch ${urlPath} timed out`)));
    // Once resolved, the error of the destroyed request changes nothing.
    req.on('error', reject);
  });
}

/** The paths where `expected` (the object as written in a file) and `actual` (as stored) differ; keys only in `actual` (defaults) are fine. */
function differences(actual: unknown, expected: unknown, at = ''): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${at}: ${JSON.stringify(actual)?.slice(0, 200)} instead of ${JSON.stringify(expected).slice(0, 200)}`];
    return expected.flatMap((item: unknown, i) => differences(actual[i], item, `${at}[${i}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return [`${at}: not an object`];
    return Object.entries(expected).flatMap(([key, value]) => differences((actual as Record<string, unknown>)[key], value, `${at}.${key}`));
  }
  return actual === expected ? [] : [`${at}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`];
}

/** Where each kind deploy/ holds is served. */
const LOCATIONS: Record<string, { prefix: string; plural: string; namespaced: boolean }> = {
  Namespace: { prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  ServiceAccount: { prefix: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  CustomResourceDefinition: { prefix: '/apis/apiextensions.k8s.io/v1', plural: 'customresourcedefinitions', namespaced: false },
  ClusterRole: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  Role: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  RoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  Service: { prefix: '/api/v1', plural: 'services', namespaced: true },
  GatewayClass: { prefix: `/apis/${GROUP}/v1`, plural: 'gatewayclasses', namespaced: false },
  ValidatingAdmissionPolicy: { prefix: '/apis/admissionregistration.k8s.io/v1', plural: 'validatingadmissionpolicies', namespaced: false },
  ValidatingAdmissionPolicyBinding: { prefix: '/apis/admissionregistration.k8s.io/v1', plural: 'validatingadmissionpolicybindings', namespaced: false },
};

interface PlainObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
}

function objectPath(object: PlainObject): string {
  const location = LOCATIONS[object.kind];
  assert.ok(location, `deploy/ holds a ${object.kind}, which this test does not know where to read`);
  const ns = location.namespaced ? `/namespaces/${object.metadata.namespace ?? 'default'}` : '';
  return `${location.prefix}${ns}/${location.plural}/${object.metadata.name}`;
}

/** The objects of deploy/ (or `dir`) parsed as plain YAML: keys exactly as written. */
function plainDeployObjects(dir?: string): PlainObject[] {
  return deployFiles(dir).flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJS() as PlainObject | null)
      .filter((o): o is PlainObject => o !== null),
  );
}

const kindPath = (group: string, plural: string, namespace?: string): string =>
  `${group ? `/apis/${group}/${KINDS.find((k) => k.plural === plural && k.group === group)?.versions[0] ?? 'v1'}` : '/api/v1'}${namespace ? `/namespaces/${namespace}` : ''}/${plural}`;

/** The kinds whose status Portico writes. */
const STATUS_KINDS = KINDS.filter((k) => (WRITES_STATUS as readonly string[]).includes(k.kind));
/** The kinds whose CRDs deploy/ installs: the Gateway API's and Portico's (not the Multi-Cluster Services'). */
const SHIPPED_CRD_KINDS = KINDS.filter((k) => k.source === 'gateway-api' || k.source === 'portico');

/** What the rules of a SelfSubjectRulesReview allow, one "verb group/resource[:name]" string each. */
function flattenRules(rules: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[]): Set<string> {
  const out = new Set<string>();
  for (const rule of rules) {
    for (const verb of rule.verbs) {
      for (const group of rule.apiGroups ?? ['']) {
        for (const resource of rule.resources ?? []) {
          for (const name of rule.resourceNames?.length ? rule.resourceNames : ['']) out.add(`${verb} ${group}/${resource}${name ? `:${name}` : ''}`);
        }
      }
    }
  }
  return out;
}

/**
 * The data plane objects of per-gateway and shared mode (the kinds src/runtime/data-plane-deployer.ts
 * writes), "group/plural": written by server-side apply (create, patch), read back, listed to sweep
 * leftovers, deleted.
 */
const DATA_PLANE_RESOURCES = ['/serviceaccounts', '/secrets', '/services', 'apps/deployments', 'policy/poddisruptionbudgets', 'autoscaling/horizontalpodautoscalers'];

/**
 * What the controller needs, from src/api/kinds.ts: the least the ServiceAccount must hold, and the
 * most it may. With dataPlanes, what per-gateway and shared mode add in every namespace (Gateways'
 * data planes live in theirs): the data plane objects, and `update` on the finalizers of their
 * owners, which blockOwnerDeletion asks for.
 */
function expectedRules(namespace: string, dataPlanes: boolean): Set<string> {
  const rules = new Set<string>();
  if (dataPlanes) {
    for (const resource of DATA_PLANE_RESOURCES) for (const verb of ['get', 'list', 'create', 'patch', 'delete']) rules.add(`${verb} ${resource}`);
    for (const owner of ['gateways', 'gatewayclasses']) rules.add(`update ${GROUP}/${owner}/finalizers`);
  }
  for (const kind of KINDS) for (const verb of ['get', 'list', 'watch']) rules.add(`${verb} ${kind.group}/${kind.plural}`);
  for (const kind of STATUS_KINDS) for (const verb of ['get', 'update', 'patch']) rules.add(`${verb} ${kind.group}/${kind.plural}/status`);
  for (const verb of ['get', 'list', 'watch']) rules.add(`${verb} apiextensions.k8s.io/customresourcedefinitions`);
  if (namespace === PORTICO_NAMESPACE) {
    rules.add('create coordination.k8s.io/leases');
    rules.add(`get coordination.k8s.io/leases:${LEADER_ELECTION_ID}`);
    rules.add(`update coordination.k8s.io/leases:${LEADER_ELECTION_ID}`);
  }
  return rules;
}

/** Granted to every authenticated user by the API server's bootstrap policy (system:basic-user). */
const BASIC_USER_RULES = ['create authorization.k8s.io/selfsubjectaccessreviews', 'create authorization.k8s.io/selfsubjectrulesreviews', 'create authentication.k8s.io/selfsubjectreviews'];

const condition = (type: string, reason: string) => ({ type, status: 'True', reason, message: '', observedGeneration: 1, lastTransitionTime: '2025-01-01T00:00:00Z' });

const built = 'skip' in binaries ? undefined : binaries;

/** Runs kubectl as the API server's admin, from the project root as the README does, until `done`; a failed command fails the test. */
function kubectlFor(api: KubeApiserver): { run: (...args: string[]) => string; done: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-kubectl-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
  const run = (...args: string[]): string => {
    const result = spawnSync('kubectl', [`--kubeconfig=${kubeconfig}`, `--cache-dir=${path.join(dir, 'cache')}`, ...args], {
      cwd: projectRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(result.status, 0, `kubectl ${args.join(' ')} failed (${String(result.status ?? result.error)}):\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  return { run, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts that kubectl's output says each object (kind.group/name) was applied: `suffix` is " (server dry run)" for a dry run. */
function assertApplied(output: string, objects: readonly string[], suffix = ''): void {
  const escape = (text: string): string => text.replace(/[.()]/g, '\\$&');
  for (const object of objects) assert.match(output, new RegExp(`^${escape(object)} serverside-applied${escape(suffix)}$`, 'm'), output);
}

/** Each object of deploy/base/ but the CRDs, as kubectl names it when it applies it. */
const BASE_APPLIED = [
  'serviceaccount/portico',
  'clusterrole.rbac.authorization.k8s.io/portico',
  'clusterrolebinding.rbac.authorization.k8s.io/portico',
  'role.rbac.authorization.k8s.io/portico-leader-election',
  'rolebinding.rbac.authorization.k8s.io/portico-leader-election',
  `gatewayclass.${GROUP}/portico`,
];
/** ... with what each mode adds to it. */
const PER_GATEWAY_APPLIED = ['namespace/portico-system', ...BASE_APPLIED, 'deployment.apps/portico', 'clusterrole.rbac.authorization.k8s.io/portico-dataplanes', 'clusterrolebinding.rbac.authorization.k8s.io/portico-dataplanes', 'service/portico', 'validatingadmissionpolicy.admissionregistration.k8s.io/portico-dataplanes', 'validatingadmissionpolicybinding.admissionregistration.k8s.io/portico-dataplanes'];
const HOST_APPLIED = ['namespace/portico-system', ...BASE_APPLIED, 'deployment.apps/portico'];

/** Every object of `dir` (default deploy/) is stored, and as written; the CRDs are Established. */
async function assertStoredAsWritten(api: KubeApiserver, dir?: string): Promise<void> {
  for (const object of plainDeployObjects(dir)) {
    const stored = await request(api, api.adminToken, 'GET', objectPath(object));
    const what = `${object.kind} ${object.metadata.name}`;
    assert.equal(stored.status, 200, `${what} is stored`);
    // Against the file parsed as plain YAML: nothing was lost on the way (a CRD's CEL rules).
    assert.deepEqual(differences(stored.body, object), [], `${what} is stored as written`);
    if (object.kind === 'CustomResourceDefinition') {
      const conditions = (stored.body as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
      assert.ok(conditions.some((c) => c.type === 'Established' && c.status === 'True'), `${what} is Established`);
    }
  }
}

interface StoredDeployment {
  spec: {
    selector: { matchLabels: Record<string, string> };
    strategy?: { type: string; rollingUpdate?: { maxSurge?: string | number; maxUnavailable?: string | number } };
    template: {
      spec: {
        serviceAccountName: string;
        hostNetwork?: boolean;
        dnsPolicy?: string;
        affinity?: unknown;
        containers: {
          image: string;
          args: string[];
          env: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
          readinessProbe: { httpGet: { path: string; port: string | number } };
          livenessProbe: { httpGet: { path: string; port: string | number } };
          ports: { name: string; containerPort: number; hostPort?: number }[];
          securityContext: { allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[]; add?: string[] } };
        }[];
      };
    };
  };
  status?: { replicas?: number };
}

/** The stored controller Deployment, its pod spec and its one container. */
async function storedController(api: KubeApiserver): Promise<{ deployment: StoredDeployment; pod: StoredDeployment['spec']['template']['spec']; container: StoredDeployment['spec']['template']['spec']['containers'][number] }> {
  const answer = await request(api, api.adminToken, 'GET', `/apis/apps/v1/namespaces/${PORTICO_NAMESPACE}/deployments/portico`);
  assert.equal(answer.status, 200);
  const deployment = answer.body as StoredDeployment;
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  assert.ok(container);
  return { deployment, pod, container };
}

async function storedNamespaceLabels(api: KubeApiserver): Promise<Record<string, string>> {
  const answer = await request(api, api.adminToken, 'GET', `/api/v1/namespaces/${PORTICO_NAMESPACE}`);
  assert.equal(answer.status, 200);
  return (answer.body as { metadata: { labels?: Record<string, string> } }).metadata.labels ?? {};
}

const podSecurityLabels = (labels: Record<string, string>): string[] => Object.keys(labels).filter((k) => k.startsWith('pod-security.kubernetes.io/'));

/** The stored Deployment is deploy/deployment.yaml's, per-gateway mode, and nothing of host mode's is left on it. */
async function assertPerGatewayDeployment(api: KubeApiserver): Promise<void> {
  const { deployment, pod, container } = await storedController(api);
  assert.equal(pod.serviceAccountName, PORTICO_SERVICE_ACCOUNT);
  assert.equal(pod.hostNetwork, undefined, 'off the node network');
  assert.equal(pod.dnsPolicy, 'ClusterFirst', "the API server's default");
  assert.equal(pod.affinity, undefined);
  assert.deepEqual(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, "the API server's default");
  assert.equal(container.image, 'portico:dev');
  assert.equal(container.args[0], 'controller');
  for (const arg of [
    '--deployment-mode=per-gateway',
    '--dataplane-image=portico:dev',
    '--dataplane-listen=0.0.0.0:9443',
    `--dataplane-controller-url=https://portico.${PORTICO_NAMESPACE}.svc:9443`,
    // The admin API stays on the pod's loopback; probes use the health-only port.
    '--admin=127.0.0.1:9901',
    '--health=0.0.0.0:9902',
    `--leader-election-id=${LEADER_ELECTION_ID}`,
  ]) {
    assert.ok(container.args.includes(arg), `${arg}: ${container.args.join(' ')}`);
  }
  assert.ok(!container.args.some((a) => a.startsWith('--gateway-')), container.args.join(' '));
  assert.equal(container.env.find((e) => e.name === 'POD_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath, 'metadata.namespace');
  assert.deepEqual([container.readinessProbe.httpGet.path, container.livenessProbe.httpGet.path], ['/readyz', '/healthz']);
  assert.deepEqual(
    container.ports.map((p) => [p.name, p.containerPort, p.hostPort]),
    [
      ['health', 9902, undefined],
      ['channel', 9443, undefined],
    ],
  );
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'] });
  // Stored, never run: no controller-manager makes its ReplicaSet, no kubelet its pod.
  assert.equal(deployment.status?.replicas, undefined);
}

/** The stored Deployment is deploy/host/deployment.yaml's: on the node's network, with its ports and capability. */
async function assertHostDeployment(api: KubeApiserver): Promise<void> {
  const { deployment, pod, container } = await storedController(api);
  assert.equal(pod.hostNetwork, true);
  assert.equal(pod.dnsPolicy, 'ClusterFirstWithHostNet');
  assert.deepEqual(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
  assert.ok(container.args.includes('--gateway-addresses=local') && container.args.includes('--gateway-ports=80,443,1024-65535'), container.args.join(' '));
  assert.ok(!container.args.some((a) => a.startsWith('--deployment-mode') || a.startsWith('--dataplane')), container.args.join(' '));
  // With hostNetwork the health port is the node's.
  assert.deepEqual(container.ports.map((p) => [p.name, p.containerPort, p.hostPort]), [['health', 9902, 9902]]);
  assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
  assert.equal(container.securityContext.allowPrivilegeEscalation, true);
}

/**
 * A namespace whose Pod Security admission enforces `level`, with a ServiceAccount portico (the
 * ServiceAccount admission plugin refuses a pod whose account is missing before Pod Security
 * looks at it).
 */
async function namespaceEnforcing(api: KubeApiserver, level: 'restricted' | 'baseline'): Promise<string> {
  const name = `enforces-${level}`;
  const made = await request(api, api.adminToken, 'POST', '/api/v1/namespaces', { metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': level } } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const account = await request(api, api.adminToken, 'POST', `/api/v1/namespaces/${name}/serviceaccounts`, { metadata: { name: PORTICO_SERVICE_ACCOUNT } });
  assert.equal(account.status, 201, JSON.stringify(account.body));
  return name;
}

/**
 * Creates, as a dry run, a pod of the controller Deployment in `file` (relative to deploy/) in
 * `namespace`: Pod Security admission judges a pod, not its Deployment, and no controller-manager
 * runs here to make one.
 */
async function dryRunControllerPod(api: KubeApiserver, file: string, namespace: string): Promise<Answer> {
  const [deployment] = parseAllDocuments(readFileSync(path.join(DEPLOY_DIR, file), 'utf8')).map((d) => d.toJS() as PlainObject);
  assert.equal(deployment?.kind, 'Deployment');
  const template = (deployment.spec as { template: { metadata: object; spec: object } }).template;
  return request(api, api.adminToken, 'POST', `/api/v1/namespaces/${namespace}/pods?dryRun=All`, { apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, name: 'portico-pod-security' }, spec: template.spec });
}

// The timeout only guards against a hung API server: a run takes about 10 s.
describe('deploy/ (per-gateway mode) on a real kube-apiserver', { skip: 'skip' in binaries ? binaries.skip : false, timeout: 180_000 }, () => {
  let api: KubeApiserver;
  let admin: KubeConfig;
  let portico: PorticoCredentials;

  before(async () => {
    assert.ok(built);
    api = await startKubeApiserver({ binaries: built });
    admin = kubeConfigFor(api);
  });
  after(async () => {
    await api?.stop();
  });

  it('installs with the commands of the README (kubectl apply --server-side -k); the API server takes deploy/host/ over it too', { skip: kubectl ? false : 'kubectl is not on PATH' }, () => {
    const { run, done } = kubectlFor(api);
    try {
      run('apply', '--server-side', '-k', 'deploy/crds');
      run('wait', '--for=condition=Established', `crd/gatewayclasses.${GROUP}`, '--timeout=60s');
      assertApplied(run('apply', '--server-side', '-k', 'deploy/'), PER_GATEWAY_APPLIED);
      // Host mode's objects, checked by the API server (validation, admission) without being
      // stored: the describe below installs it for real.
      assertApplied(run('apply', '--server-side', '--dry-run=server', '-k', 'deploy/host/'), HOST_APPLIED, ' (server dry run)');
    } finally {
      done();
    }
  });

  it('server-side applies every object of deploy/: the CRDs become Established, everything is stored as written, the controller in per-gateway mode', async () => {
    const applied = await applyDeploy(api);
    const crdFiles = applied.filter((d) => d.object.kind === 'CustomResourceDefinition').map((d) => path.basename(d.file));
    assert.deepEqual(crdFiles.sort(), SHIPPED_CRD_KINDS.map((k) => `${k.group}_${k.plural}.yaml`).sort(), 'deploy/ installs the CRD of every Gateway API and Portico kind Portico reads');
    await assertStoredAsWritten(api);
    await assertPerGatewayDeployment(api);
    // The channel Service selects the controller's pods and reaches their channel port.
    const service = (await request(api, api.adminToken, 'GET', `/api/v1/namespaces/${PORTICO_NAMESPACE}/services/portico`)).body as { spec: { selector: Record<string, string>; ports: { port: number; targetPort: number }[] } };
    const { deployment } = await storedController(api);
    assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
    assert.deepEqual(service.spec.ports.map((p) => [p.port, p.targetPort]), [[9443, 9443]]);
    assert.deepEqual(podSecurityLabels(await storedNamespaceLabels(api)), [], 'the namespace leaves Pod Security to the cluster');
  });

  it('the controller pod meets the "restricted" Pod Security Standard', async () => {
    const restricted = await namespaceEnforcing(api, 'restricted');
    const answer = await dryRunControllerPod(api, 'deployment.yaml', restricted);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
  });

  it('lets the portico ServiceAccount do what the controller needs', async () => {
    portico = await applyDeployRbac(api, { perGateway: true });
    assert.equal(portico.user, PORTICO_USER);
    const claims = JSON.parse(Buffer.from(portico.token.split('.')[1] ?? '', 'base64url').toString()) as { sub?: string };
    assert.equal(claims.sub, PORTICO_USER);
    const as = (method: string, urlPath: string, body?: unknown, contentType?: string) => request(api, portico.token, method, urlPath, body, contentType);

    // Every kind it reads: listed and watched cluster-wide, as its reflectors do.
    // A CRD applied again (by another field manager here) has its storage reinitialized, which
    // answers 429 "storage is (re)initializing" for a moment: only that is retried.
    const settled = <T>(what: string, call: () => Promise<T>, status: (answer: T) => number): Promise<T> =>
      waitFor(what, async () => {
        const answer = await call();
        return status(answer) === 429 ? undefined : answer;
      }, 30_000);
    // ServiceImports' CRD comes with a Multi-Cluster Services implementation, not with deploy/:
    // their permission is checked by the rules above, their listing needs the CRD.
    for (const kind of [...KINDS.filter((k) => k.source !== 'multicluster'), { group: 'apiextensions.k8s.io', plural: 'customresourcedefinitions' }]) {
      const collection = kindPath(kind.group, kind.plural);
      const list = await settled(`list ${collection}`, () => as('GET', collection), (a) => a.status);
      assert.equal(list.status, 200, `list ${collection}: ${JSON.stringify(list.body)}`);
      const watch = await settled(`watch ${collection}`, () => watchStatus(api, portico.token, collection), (s) => s);
      assert.equal(watch, 200, `watch ${collection}`);
    }

    // The status of each kind that has one: allowed by the authorizer for get, update and patch.
    for (const kind of STATUS_KINDS) {
      for (const verb of ['get', 'update', 'patch']) {
        assert.ok(await canI(portico.kubeConfig, { group: kind.group, resource: kind.plural, subresource: 'status', verb, namespace: APPS, name: 'any' }), `${verb} ${kind.plural}/status`);
      }
    }
    // ... and for real, on objects the admin made.
    await request(api, api.adminToken, 'POST', '/api/v1/namespaces', { metadata: { name: APPS } });
    const gatewayPath = `${kindPath(GROUP, 'gateways', APPS)}/web`;
    const routePath = `${kindPath(GROUP, 'httproutes', APPS)}/echo`;
    const classPath = `${kindPath(GROUP, 'gatewayclasses')}/portico`;
    assert.equal(
      (await request(api, api.adminToken, 'POST', kindPath(GROUP, 'gateways', APPS), { apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name: 'web' }, spec: { gatewayClassName: 'portico', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } })).status,
      201,
    );
    assert.equal(
      (await request(api, api.adminToken, 'POST', kindPath(GROUP, 'httproutes', APPS), { apiVersion: `${GROUP}/v1`, kind: 'HTTPRoute', metadata: { name: 'echo' }, spec: { parentRefs: [{ name: 'web' }] } })).status,
      201,
    );

    const gateway = await as('GET', `${gatewayPath}/status`);
    assert.equal(gateway.status, 200);
    const put = await as('PUT', `${gatewayPath}/status`, { ...(gateway.body as object), status: { conditions: [condition('Accepted', 'Accepted'), condition('Programmed', 'Programmed')] } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const patch = await as('PATCH', `${gatewayPath}/status`, { status: { addresses: [{ type: 'IPAddress', value: '192.0.2.1' }] } }, 'application/merge-patch+json');
    assert.equal(patch.status, 200, JSON.stringify(patch.body));
    const route = await as('GET', `${routePath}/status`);
    const routeStatus = {
      parents: [{ parentRef: { group: GROUP, kind: 'Gateway', name: 'web' }, controllerName: 'portico.dev/gateway-controller', conditions: [condition('Accepted', 'Accepted'), condition('ResolvedRefs', 'ResolvedRefs')] }],
    };
    assert.equal((await as('PUT', `${routePath}/status`, { ...(route.body as object), status: routeStatus })).status, 200);
    const gatewayClass = await as('GET', `${classPath}/status`);
    assert.equal((await as('PUT', `${classPath}/status`, { ...(gatewayClass.body as object), status: { conditions: [condition('Accepted', 'Accepted')] } })).status, 200);

    // The data plane objects, as the deployer keeps them in a Gateway's namespace: a Secret
    // server-side applied (create, then patch), read, listed and deleted.
    const secretPath = `/api/v1/namespaces/${APPS}/secrets/portico-web-token`;
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'portico-web-token', labels: { 'app.kubernetes.io/name': 'portico-dataplane', 'app.kubernetes.io/managed-by': 'portico' } }, type: 'Opaque', stringData: { token: 'a' } };
    const applySecret = () => as('PATCH', `${secretPath}?fieldManager=portico`, secret, 'application/apply-patch+yaml');
    assert.equal((await applySecret()).status, 201);
    assert.equal((await applySecret()).status, 200);
    assert.equal((await as('GET', secretPath)).status, 200);
    assert.equal((await as('GET', `/api/v1/namespaces/${APPS}/secrets?labelSelector=app.kubernetes.io/name%3Dportico-dataplane`)).status, 200);
    assert.equal((await as('DELETE', secretPath)).status, 200);

    // Its Lease in portico-system: created, read, renewed.
    const leases = `/apis/coordination.k8s.io/v1/namespaces/${PORTICO_NAMESPACE}/leases`;
    const now = new Date().toISOString().replace('Z', '000Z');
    const spec = { holderIdentity: 'portico-0', leaseDurationSeconds: 15, acquireTime: now, renewTime: now, leaseTransitions: 0 };
    const created = await as('POST', leases, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: LEADER_ELECTION_ID }, spec });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const lease = await as('GET', `${leases}/${LEADER_ELECTION_ID}`);
    assert.equal(lease.status, 200);
    const renewed = await as('PUT', `${leases}/${LEADER_ELECTION_ID}`, { ...(lease.body as object), spec: { ...spec, holderIdentity: '' } });
    assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
  });

  it('lets the portico ServiceAccount do nothing else', async () => {
    assert.ok(portico, 'the previous test made the credentials');
    // Everything RBAC grants it, namespace by namespace, is exactly what the controller needs.
    const rules = portico.kubeConfig.makeApiClient(AuthorizationV1Api);
    for (const namespace of [PORTICO_NAMESPACE, APPS, 'kube-system']) {
      const review = await rules.createSelfSubjectRulesReview({ body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } } });
      assert.equal(review.status?.incomplete, false);
      const granted = [...flattenRules(review.status?.resourceRules ?? [])].filter((r) => !BASIC_USER_RULES.includes(r)).sort();
      assert.deepEqual(granted, [...expectedRules(namespace, true)].sort(), `the rules in namespace ${namespace}`);
    }

    const forbidden: [string, V1ResourceAttributes][] = [
      ['update a Gateway (its spec)', { group: GROUP, resource: 'gateways', verb: 'update', namespace: APPS }],
      ['patch an HTTPRoute', { group: GROUP, resource: 'httproutes', verb: 'patch', namespace: APPS }],
      ['delete an HTTPRoute', { group: GROUP, resource: 'httproutes', verb: 'delete', namespace: APPS }],
      ['create a GatewayClass', { group: GROUP, resource: 'gatewayclasses', verb: 'create' }],
      // The data plane objects are written by server-side apply (patch), never replaced whole,
      // and no other kind of workload is made.
      ['update a Secret', { resource: 'secrets', verb: 'update', namespace: APPS }],
      ['update a Deployment', { group: 'apps', resource: 'deployments', verb: 'update', namespace: APPS }],
      ['watch Deployments', { group: 'apps', resource: 'deployments', verb: 'watch', namespace: APPS }],
      ['create a DaemonSet', { group: 'apps', resource: 'daemonsets', verb: 'create', namespace: APPS }],
      ['create a ConfigMap', { resource: 'configmaps', verb: 'create', namespace: PORTICO_NAMESPACE }],
      ['create a Role', { group: 'rbac.authorization.k8s.io', resource: 'roles', verb: 'create', namespace: APPS }],
      ['read Leases elsewhere', { group: 'coordination.k8s.io', resource: 'leases', verb: 'get', namespace: 'kube-system', name: LEADER_ELECTION_ID }],
      ['list Leases', { group: 'coordination.k8s.io', resource: 'leases', verb: 'list', namespace: PORTICO_NAMESPACE }],
      ['delete its Lease', { group: 'coordination.k8s.io', resource: 'leases', verb: 'delete', namespace: PORTICO_NAMESPACE, name: LEADER_ELECTION_ID }],
      ['emit Events', { resource: 'events', verb: 'create', namespace: PORTICO_NAMESPACE }],
      ['update a CRD', { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verb: 'update' }],
      ['create Pods', { resource: 'pods', verb: 'create', namespace: PORTICO_NAMESPACE }],
      ['mint ServiceAccount tokens', { resource: 'serviceaccounts', subresource: 'token', verb: 'create', namespace: PORTICO_NAMESPACE, name: PORTICO_SERVICE_ACCOUNT }],
      ['impersonate', { resource: 'users', verb: 'impersonate', name: 'portico-admin' }],
      ['bind ClusterRoles', { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'bind' }],
    ];
    for (const [what, attributes] of forbidden) assert.equal(await canI(portico.kubeConfig, attributes), false, `may not ${what}`);

    // And for real: each refused with 403 (before the object's existence is even looked at).
    const as = (method: string, urlPath: string, body?: unknown, contentType?: string) => request(api, portico.token, method, urlPath, body, contentType);
    const gatewayPath = `${kindPath(GROUP, 'gateways', APPS)}/web`;
    const gateway = (await as('GET', gatewayPath)).body as { spec: object };
    const leases = (namespace: string) => `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
    const refused: [string, Promise<Answer>][] = [
      ['PUT a Gateway spec', as('PUT', gatewayPath, { ...gateway, spec: { ...gateway.spec, listeners: [{ name: 'http', protocol: 'HTTP', port: 8080 }] } })],
      ['PATCH a Gateway', as('PATCH', gatewayPath, { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json')],
      ['DELETE an HTTPRoute', as('DELETE', `${kindPath(GROUP, 'httproutes', APPS)}/echo`)],
      ['POST a Gateway', as('POST', kindPath(GROUP, 'gateways', APPS), { apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name: 'other' }, spec: { gatewayClassName: 'portico', listeners: [] } })],
      ['PUT a Secret', as('PUT', `/api/v1/namespaces/${APPS}/secrets/s`, { metadata: { name: 's' }, stringData: { a: 'b' } })],
      ['POST a Pod', as('POST', `/api/v1/namespaces/${APPS}/pods`, { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } })],
      ['POST a DaemonSet', as('POST', `/apis/apps/v1/namespaces/${APPS}/daemonsets`, { metadata: { name: 'd' } })],
      ['POST a ConfigMap', as('POST', `/api/v1/namespaces/default/configmaps`, { metadata: { name: 'c' } })],
      ['GET a Lease in kube-system', as('GET', `${leases('kube-system')}/${LEADER_ELECTION_ID}`)],
      ['POST a Lease in default', as('POST', leases('default'), { metadata: { name: LEADER_ELECTION_ID }, spec: {} })],
      ['LIST Leases in portico-system', as('GET', leases(PORTICO_NAMESPACE))],
      ['DELETE its Lease', as('DELETE', `${leases(PORTICO_NAMESPACE)}/${LEADER_ELECTION_ID}`)],
      ['POST an Event', as('POST', `/api/v1/namespaces/${PORTICO_NAMESPACE}/events`, { metadata: { name: 'e' }, involvedObject: {} })],
      ['DELETE a CRD', as('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.${GROUP}`)],
      ['PATCH a Namespace', as('PATCH', `/api/v1/namespaces/${APPS}`, { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json')],
    ];
    for (const [what, answer] of refused) {
      const { status, body } = await answer;
      assert.equal(status, 403, `${what}: ${status} ${JSON.stringify(body)}`);
      assert.match(String((body as { message?: string }).message), new RegExp(`User "${PORTICO_USER}" cannot`));
    }

    // RBAC cannot limit `create` to a name: another Lease can be created in portico-system, but
    // not read or renewed afterwards.
    const other = await as('POST', leases(PORTICO_NAMESPACE), { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'someone-else' }, spec: {} });
    assert.equal(other.status, 201);
    assert.equal((await as('GET', `${leases(PORTICO_NAMESPACE)}/someone-else`)).status, 403);
    assert.equal((await as('PUT', `${leases(PORTICO_NAMESPACE)}/someone-else`, other.body)).status, 403);

    // The admin's view agrees: nothing was changed by the refused requests.
    const core = admin.makeApiClient(CoreV1Api);
    assert.deepEqual((await core.listNamespacedSecret({ namespace: APPS })).items.map((s) => s.metadata?.name), []);
    assert.deepEqual((await core.listNamespacedPod({ namespace: APPS })).items.map((p) => p.metadata?.name), []);
    assert.deepEqual((await core.listNamespacedConfigMap({ namespace: 'default' })).items.map((c) => c.metadata?.name), []);
  });

  it("the admission policy holds the ServiceAccount's Secret and Deployment writes to what the deployer makes: no token for another ServiceAccount, no pod as one, nothing of others deleted", async () => {
    assert.ok(portico, 'an earlier test made the credentials');
    const as = (method: string, urlPath: string, body?: unknown) => request(api, portico.token, method, urlPath, body);
    const managed = { 'app.kubernetes.io/managed-by': 'portico' };
    const secret = (name: string, extra: object) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, labels: managed }, ...extra });
    // A token of kube-system's ServiceAccounts, minted by asking for it: what RBAC alone would allow.
    const mint = secret('minted', { type: 'kubernetes.io/service-account-token', metadata: { name: 'minted', labels: managed, annotations: { 'kubernetes.io/service-account.name': 'default' } } });
    const refusal = await waitFor('the policy to refuse a token Secret', async () => {
      const answer = await as('POST', '/api/v1/namespaces/kube-system/secrets', mint);
      return answer.status === 201 ? undefined : answer;
    }, 30_000);
    // The API server answers a policy's denial 422 Invalid.
    assert.equal(refusal.status, 422, JSON.stringify(refusal.body));
    assert.match(String((refusal.body as { message?: string }).message), /ValidatingAdmissionPolicy 'portico-dataplanes'.*type Opaque or kubernetes\.io\/tls/);
    const dataPlaneDeployment = (name: string, pod: Record<string, unknown>) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: managed },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { serviceAccountName: name, automountServiceAccountToken: false, containers: [{ name: 'dataplane', image: 'portico:dev' }], ...pod } },
      },
    });
    const refused: [string, string, unknown, RegExp][] = [
      ['a Secret without the label', `/api/v1/namespaces/${APPS}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain' }, type: 'Opaque' }, /labelled app\.kubernetes\.io\/managed-by=portico/],
      ['a pod as another ServiceAccount', `/apis/apps/v1/namespaces/kube-system/deployments`, dataPlaneDeployment('grab', { serviceAccountName: 'default' }), /ServiceAccount of its own name/],
      ['a pod with the token mounted', `/apis/apps/v1/namespaces/${APPS}/deployments`, dataPlaneDeployment('mounted', { automountServiceAccountToken: true }), /without its token/],
      ['a projected token', `/apis/apps/v1/namespaces/${APPS}/deployments`, dataPlaneDeployment('projected', { volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] }), /no ServiceAccount token/],
      ['a host path', `/apis/apps/v1/namespaces/${APPS}/deployments`, dataPlaneDeployment('host', { volumes: [{ name: 'root', hostPath: { path: '/' } }] }), /no host path/],
      ['the host network', `/apis/apps/v1/namespaces/${APPS}/deployments`, dataPlaneDeployment('net', { hostNetwork: true }), /host's network/],
      // (A privileged container is refused by this API server itself, started with --allow-privileged=false, before the policy sees it.)
    ];
    for (const [what, path, body, message] of refused) {
      const answer = await as('POST', path, body);
      assert.equal(answer.status, 422, `${what}: ${JSON.stringify(answer.body)}`);
      assert.match(String((answer.body as { message?: string }).message), message, what);
    }
    // Someone else's Secret stays, even though RBAC lets the ServiceAccount delete Secrets.
    assert.equal((await request(api, api.adminToken, 'POST', `/api/v1/namespaces/${APPS}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tenant' }, stringData: { a: 'b' } })).status, 201);
    const deleted = await as('DELETE', `/api/v1/namespaces/${APPS}/secrets/tenant`);
    assert.equal(deleted.status, 422, JSON.stringify(deleted.body));
    // What the deployer makes still goes through: a labelled Opaque Secret, a Deployment like its own.
    assert.equal((await as('POST', `/api/v1/namespaces/${APPS}/secrets`, secret('portico-web-token', { type: 'Opaque', stringData: { token: 'a' } }))).status, 201);
    assert.equal((await as('POST', `/apis/apps/v1/namespaces/${APPS}/deployments`, dataPlaneDeployment('portico-web', {}))).status, 201);
    assert.equal((await as('DELETE', `/api/v1/namespaces/${APPS}/secrets/portico-web-token`)).status, 200);
    assert.equal((await as('DELETE', `/apis/apps/v1/namespaces/${APPS}/deployments/portico-web`)).status, 200);
    assert.equal((await request(api, api.adminToken, 'DELETE', `/api/v1/namespaces/${APPS}/secrets/tenant`)).status, 200);
  });
});

describe('deploy/host/ (host mode) on a real kube-apiserver', { skip: 'skip' in binaries ? binaries.skip : false, timeout: 180_000 }, () => {
  let api: KubeApiserver;

  before(async () => {
    assert.ok(built);
    api = await startKubeApiserver({ binaries: built });
  });
  after(async () => {
    await api?.stop();
  });

  it('installs with kubectl apply --server-side -k deploy/host/; kubectl switches it to deploy/ and back, leaving only what deploy/ adds', { skip: kubectl ? false : 'kubectl is not on PATH' }, async () => {
    const { run, done } = kubectlFor(api);
    try {
      run('apply', '--server-side', '-k', 'deploy/crds');
      run('wait', '--for=condition=Established', `crd/gatewayclasses.${GROUP}`, '--timeout=60s');
      assertApplied(run('apply', '--server-side', '-k', 'deploy/host/'), HOST_APPLIED);
      await assertStoredAsWritten(api, DEPLOY_HOST_DIR);
      await assertHostDeployment(api);

      // Server-side apply drops the fields its field manager no longer writes: nothing of host
      // mode is left on the Deployment or the namespace.
      assertApplied(run('apply', '--server-side', '-k', 'deploy/'), PER_GATEWAY_APPLIED);
      await assertStoredAsWritten(api);
      await assertPerGatewayDeployment(api);
      assert.deepEqual(podSecurityLabels(await storedNamespaceLabels(api)), []);

      assertApplied(run('apply', '--server-side', '-k', 'deploy/host/'), HOST_APPLIED);
      await assertStoredAsWritten(api, DEPLOY_HOST_DIR);
      await assertHostDeployment(api);
      // kubectl apply deletes nothing: what only deploy/ has stays until deleted, as the README says.
      const perGatewayOnly = plainDeployObjects().filter((o) => !plainDeployObjects(DEPLOY_HOST_DIR).some((h) => h.kind === o.kind && h.metadata.name === o.metadata.name));
      assert.deepEqual(perGatewayOnly.map((o) => `${o.kind}/${o.metadata.name}`).sort(), ['ClusterRole/portico-dataplanes', 'ClusterRoleBinding/portico-dataplanes', 'Service/portico', 'ValidatingAdmissionPolicy/portico-dataplanes', 'ValidatingAdmissionPolicyBinding/portico-dataplanes']);
      for (const object of perGatewayOnly) assert.equal((await request(api, api.adminToken, 'GET', objectPath(object))).status, 200, `${object.kind} ${object.metadata.name} stays`);
      run('delete', '-f', 'deploy/rbac-dataplanes.yaml', '-f', 'deploy/channel-service.yaml');
      for (const object of perGatewayOnly) assert.equal((await request(api, api.adminToken, 'GET', objectPath(object))).status, 404, `${object.kind} ${object.metadata.name} is deleted`);
    } finally {
      done();
    }
  });

  it('server-side applies every object of deploy/host/: stored as written, the controller on the node\'s network, the namespace privileged', async () => {
    const applied = await applyDeploy(api, DEPLOY_HOST_DIR);
    assert.deepEqual(
      applied.filter((d) => d.object.kind === 'CustomResourceDefinition').map((d) => path.basename(d.file)).sort(),
      SHIPPED_CRD_KINDS.map((k) => `${k.group}_${k.plural}.yaml`).sort(),
    );
    await assertStoredAsWritten(api, DEPLOY_HOST_DIR);
    await assertHostDeployment(api);
    assert.equal((await storedNamespaceLabels(api))['pod-security.kubernetes.io/enforce'], 'privileged');
  });

  it('the controller pod needs the "privileged" level its namespace allows: "baseline" refuses it', async () => {
    const baseline = await namespaceEnforcing(api, 'baseline');
    const refused = await dryRunControllerPod(api, 'host/deployment.yaml', baseline);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.match(String((refused.body as { message?: string }).message), /violates PodSecurity "baseline:latest": host namespaces \(hostNetwork=true\)/);
    const admitted = await dryRunControllerPod(api, 'host/deployment.yaml', PORTICO_NAMESPACE);
    assert.equal(admitted.status, 201, JSON.stringify(admitted.body));
  });

  it('the portico ServiceAccount holds deploy/base/rbac.yaml\'s rules only: no data plane objects in host mode', async () => {
    const portico = await porticoCredentials(api);
    const rules = portico.kubeConfig.makeApiClient(AuthorizationV1Api);
    for (const namespace of [PORTICO_NAMESPACE, 'default']) {
      const review = await rules.createSelfSubjectRulesReview({ body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } } });
      assert.equal(review.status?.incomplete, false);
      const granted = [...flattenRules(review.status?.resourceRules ?? [])].filter((r) => !BASIC_USER_RULES.includes(r)).sort();
      assert.deepEqual(granted, [...expectedRules(namespace, false)].sort(), `the rules in namespace ${namespace}`);
    }
  });
});

/**
 * charts/portico installed by the real helm (.cache/helm/bin/helm) into a real API server: the
 * API server accepts every object (schemas the unit tests cannot check, such as the GatewayClass
 * CRD's limits), the CRDs become Established, the chart's ServiceAccount holds the permissions of
 * deploy/'s (per-gateway mode), an upgrade to host mode removes what only per-gateway mode needs, a
 * refused value changes nothing, and uninstalling leaves the CRDs. test/unit/deploy/helm-chart.test.ts checks the rendering itself.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { parse, parseAllDocuments } from 'yaml';
import { projectRoot } from '../e2e/support.js';
import { waitFor } from '../support/fs-wait.js';
import { ensureKubeBinaries, startKubeApiserver, type KubeApiserver } from '../support/kube-apiserver.js';
import { canI, kubeConfigFor, LEADER_ELECTION_ID, PORTICO_NAMESPACE, PORTICO_SERVICE_ACCOUNT, waitForCrdsEstablished } from '../support/kube-deploy.js';
import { enterPrivateNetwork } from '../support/private-network.js';

// As test/kube/deploy.test.ts: build outside, then run inside a private network namespace.
const binaries = ensureKubeBinaries();
if (!('skip' in binaries)) await enterPrivateNetwork();

const CHART = path.join(projectRoot, 'charts/portico');
const HELM = path.join(projectRoot, '.cache/helm/bin/helm');
const RELEASE = 'portico';
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

const skip = 'skip' in binaries ? binaries.skip : existsSync(HELM) ? false : `${path.relative(projectRoot, HELM)} is missing: run \`bash scripts/helm.sh\` (it needs a Go toolchain)`;
const built = 'skip' in binaries ? undefined : binaries;

interface PlainObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}
interface StoredDeployment {
  spec: { template: { spec: { hostNetwork?: boolean; containers: { args: string[] }[] } } };
}

/** Where each kind of the chart is served. */
const LOCATIONS: Record<string, { prefix: string; plural: string }> = {
  ServiceAccount: { prefix: '/api/v1', plural: 'serviceaccounts' },
  ClusterRole: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles' },
  ClusterRoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings' },
  Role: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles' },
  RoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings' },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments' },
  Service: { prefix: '/api/v1', plural: 'services' },
  GatewayClass: { prefix: `/apis/${GATEWAY_GROUP}/v1`, plural: 'gatewayclasses' },
  CustomResourceDefinition: { prefix: '/apis/apiextensions.k8s.io/v1', plural: 'customresourcedefinitions' },
  ValidatingAdmissionPolicy: { prefix: '/apis/admissionregistration.k8s.io/v1', plural: 'validatingadmissionpolicies' },
  ValidatingAdmissionPolicyBinding: { prefix: '/apis/admissionregistration.k8s.io/v1', plural: 'validatingadmissionpolicybindings' },
};

function objectPath(object: PlainObject): string {
  const location = LOCATIONS[object.kind];
  assert.ok(location, `the chart holds a ${object.kind}, which this test does not know where to read`);
  const ns = object.metadata.namespace ? `/namespaces/${object.metadata.namespace}` : '';
  return `${location.prefix}${ns}/${location.plural}/${object.metadata.name}`;
}

/** One GET as the admin: the status and the parsed body. */
function get(api: KubeApiserver, urlPath: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: '127.0.0.1', port: api.port, path: urlPath, ca: readFileSync(api.caFile), headers: { authorization: `Bearer ${api.adminToken}`, accept: 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${urlPath} timed out`)));
    req.on('error', reject);
  });
}

const chartCrdNames = (): string[] =>
  readdirSync(path.join(CHART, 'crds'))
    .map((f) => (parse(readFileSync(path.join(CHART, 'crds', f), 'utf8')) as PlainObject).metadata.name)
    .sort();

// The timeout only guards against a hung API server or helm: a run takes about 15 s.
describe('charts/portico on a real kube-apiserver', { skip, timeout: 180_000 }, () => {
  let api: KubeApiserver;
  let admin: KubeConfig;
  let dir: string;

  before(async () => {
    assert.ok(built);
    api = await startKubeApiserver({ binaries: built });
    admin = kubeConfigFor(api);
    dir = mkdtempSync(path.join(tmpdir(), 'portico-helm-kube-'));
    api.writeKubeconfig(path.join(dir, 'kubeconfig'));
  });
  after(async () => {
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function helm(args: readonly string[], expect: 'ok' | 'fail' = 'ok'): string {
    const run = spawnSync(HELM, [...args, '--kubeconfig', path.join(dir, 'kubeconfig')], {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, HELM_CONFIG_HOME: path.join(dir, 'config'), HELM_CACHE_HOME: path.join(dir, 'cache'), HELM_DATA_HOME: path.join(dir, 'data') },
    });
    if (run.error) throw run.error;
    if (expect === 'ok') assert.equal(run.status, 0, `helm ${args.join(' ')}:\n${run.stdout}${run.stderr}`);
    else assert.notEqual(run.status, 0, `helm ${args.join(' ')} should fail:\n${run.stdout}`);
    return run.stdout + run.stderr;
  }

  const releaseObjects = (): PlainObject[] =>
    parseAllDocuments(helm(['get', 'manifest', RELEASE, '--namespace', PORTICO_NAMESPACE]))
      .map((d) => d.toJS() as PlainObject | null)
      .filter((o): o is PlainObject => o !== null);

  async function storedDeployment(): Promise<StoredDeployment> {
    const stored = await get(api, `/apis/apps/v1/namespaces/${PORTICO_NAMESPACE}/deployments/${RELEASE}`);
    assert.equal(stored.status, 200);
    return stored.body as StoredDeployment;
  }

  it('helm install --create-namespace: the CRDs are Established, and every object of the release is stored', async () => {
    helm(['install', RELEASE, CHART, '--namespace', PORTICO_NAMESPACE, '--create-namespace']);
    const crds = chartCrdNames();
    assert.equal(crds.length, 17);
    await waitForCrdsEstablished(admin, crds);

    const objects = releaseObjects();
    assert.deepEqual(objects.map((o) => o.kind).sort(), ['ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'Deployment', 'GatewayClass', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    for (const object of objects) {
      const stored = await get(api, objectPath(object));
      assert.equal(stored.status, 200, `${object.kind} ${object.metadata.name} is stored`);
      assert.deepEqual((stored.body as PlainObject).metadata.labels, object.metadata.labels, `${object.kind} ${object.metadata.name} labels`);
    }
    const gatewayClass = (await get(api, `/apis/${GATEWAY_GROUP}/v1/gatewayclasses/portico`)).body as PlainObject;
    assert.equal(gatewayClass.spec?.controllerName, 'portico.dev/gateway-controller');
    const deployment = await storedDeployment();
    assert.equal(deployment.spec.template.spec.hostNetwork, undefined);
    const args = deployment.spec.template.spec.containers[0]?.args ?? [];
    assert.deepEqual(args.slice(0, 3), ['controller', '--deployment-mode', 'per-gateway']);
    const service = (await get(api, `/api/v1/namespaces/${PORTICO_NAMESPACE}/services/${RELEASE}`)).body as { spec: { ports: { name: string; port: number }[] } };
    assert.deepEqual(
      service.spec.ports.map((p) => `${p.name}:${p.port}`),
      ['channel:9443'],
    );
  });

  let portico: KubeConfig;
  const lease = { group: 'coordination.k8s.io', resource: 'leases', namespace: PORTICO_NAMESPACE };
  const createDeployment = { group: 'apps', resource: 'deployments', verb: 'create', namespace: 'default' };

  it("the chart's ServiceAccount reads, writes status, holds its Lease and, in per-gateway mode, keeps the data plane objects; nothing else", async () => {
    const request = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
      namespace: PORTICO_NAMESPACE,
      name: PORTICO_SERVICE_ACCOUNT,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    assert.ok(request.status?.token);
    portico = kubeConfigFor(api, request.status.token);
    // The authorizer learns of new bindings through its informers, a moment after they are stored.
    await waitFor(
      'the chart RBAC bindings to take effect',
      async () =>
        (await canI(portico, { group: GATEWAY_GROUP, resource: 'gateways', verb: 'list' })) &&
        (await canI(portico, { ...lease, verb: 'update', name: LEADER_ELECTION_ID })) &&
        (await canI(portico, createDeployment)),
      10_000,
    );
    const allowed = [
      { group: GATEWAY_GROUP, resource: 'httproutes', verb: 'watch' },
      { group: GATEWAY_GROUP, resource: 'gateways', subresource: 'status', verb: 'patch', namespace: 'default' },
      { group: GATEWAY_GROUP, resource: 'gateways', subresource: 'finalizers', verb: 'update', namespace: 'default' },
      { group: '', resource: 'secrets', verb: 'list' },
      { group: '', resource: 'services', verb: 'patch', namespace: 'default' },
      { group: 'policy', resource: 'poddisruptionbudgets', verb: 'delete', namespace: 'default' },
      { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verb: 'get' },
      { ...lease, verb: 'create' },
    ];
    const refused = [
      { group: GATEWAY_GROUP, resource: 'gateways', verb: 'update', namespace: 'default' },
      { group: GATEWAY_GROUP, resource: 'httproutes', verb: 'delete', namespace: 'default' },
      { group: '', resource: 'configmaps', verb: 'create', namespace: PORTICO_NAMESPACE },
      { group: '', resource: 'pods', verb: 'create', namespace: 'default' },
      { group: 'apps', resource: 'deployments', verb: 'update', namespace: 'default' },
      { ...lease, verb: 'update', name: 'another-lease' },
      { ...lease, namespace: 'default', verb: 'create' },
    ];
    for (const attributes of allowed) assert.equal(await canI(portico, attributes), true, `may ${JSON.stringify(attributes)}`);
    for (const attributes of refused) assert.equal(await canI(portico, attributes), false, `may not ${JSON.stringify(attributes)}`);
  });

  it('helm upgrade --set deploymentMode=host gives the stored Deployment the host network and removes the per-gateway objects; a refused value changes nothing', async () => {
    const perGatewayOnly = releaseObjects().filter((o) => o.kind === 'Service' || o.metadata.name === `${RELEASE}-dataplanes`);
    assert.equal(perGatewayOnly.length, 5, 'the channel Service, the data plane ClusterRole and binding, the admission policy and binding');
    helm(['upgrade', RELEASE, CHART, '--namespace', PORTICO_NAMESPACE, '--set', 'deploymentMode=host', '--set', 'accessLogDir=/var/log/portico']);
    // Host mode has no channel and creates nothing: helm removes what only per-gateway mode had.
    for (const object of perGatewayOnly) assert.equal((await get(api, objectPath(object))).status, 404, `${object.kind} ${object.metadata.name} is gone`);
    await waitFor('the data plane RBAC rules to be revoked', async () => !(await canI(portico, createDeployment)), 10_000);
    const host = await storedDeployment();
    assert.equal(host.spec.template.spec.hostNetwork, true);
    const args = host.spec.template.spec.containers[0]?.args ?? [];
    assert.deepEqual(args.slice(0, 3), ['controller', '--deployment-mode', 'host']);
    assert.ok(args.includes('--access-log-dir=/var/log/portico'), args.join(' '));

    const refused = helm(['upgrade', RELEASE, CHART, '--namespace', PORTICO_NAMESPACE, '--set', 'deploymentMode=bogus'], 'fail');
    assert.match(refused, /deploymentMode must be one of per-gateway, shared, host/);
    assert.deepEqual(await storedDeployment(), host);
  });

  it('helm uninstall removes the objects of the release and leaves the CRDs', async () => {
    const objects = releaseObjects();
    helm(['uninstall', RELEASE, '--namespace', PORTICO_NAMESPACE]);
    for (const object of objects) {
      // No garbage collector runs here, but helm deletes each object itself.
      assert.equal((await get(api, objectPath(object))).status, 404, `${object.kind} ${object.metadata.name} is gone`);
    }
    for (const name of chartCrdNames()) {
      assert.equal((await get(api, objectPath({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name } }))).status, 200, `CRD ${name} stays`);
    }
  });
});

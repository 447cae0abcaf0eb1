/**
 * deploy/ (the manifests that install Portico in a cluster) on a real API server, for tests:
 * apply them as the cluster admin would, and act as the `portico` ServiceAccount they create, so
 * that tests of `portico controller` run with exactly the privileges it gets in a cluster.
 *
 * Objects are parsed with client-node's loadAllYaml and server-side applied through
 * KubernetesObjectApi: its typed models would drop wire-named keys (`x-kubernetes-validations`)
 * of objects parsed any other way (see test/kube/README.md).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  ApiextensionsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  loadAllYaml,
  PatchStrategy,
  type KubernetesObject,
  type V1ResourceAttributes,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { projectRoot } from '../e2e/support.js';
import { waitFor } from './fs-wait.js';
import type { KubeApiserver } from './kube-apiserver.js';

/** Per-gateway mode, the default; deploy/host/ is host mode. Both list deploy/base/. */
export const DEPLOY_DIR = path.join(projectRoot, 'deploy');
export const DEPLOY_HOST_DIR = path.join(DEPLOY_DIR, 'host');
/** Names deploy/ gives things; the controller's flags and defaults must agree with them. */
export const PORTICO_NAMESPACE = 'portico-system';
export const PORTICO_SERVICE_ACCOUNT = 'portico';
export const PORTICO_USER = `system:serviceaccount:${PORTICO_NAMESPACE}:${PORTICO_SERVICE_ACCOUNT}`;
/** The one Lease name deploy/base/rbac.yaml lets the ServiceAccount read and update (--leader-election-id). */
export const LEADER_ELECTION_ID = 'portico-leader';

const FIELD_MANAGER = 'portico-deploy-test';

export interface DeployObject {
  /** Path relative to the project root. */
  file: string;
  object: KubernetesObject;
}

/**
 * The manifest files the kustomization.yaml of `dir` (default deploy/) lists, in its order, with
 * the folders it lists (base, ../base, ../crds) expanded through their own kustomization.yaml, as
 * `kubectl apply -k` reads them.
 */
export function deployFiles(dir = DEPLOY_DIR): string[] {
  const kustomization = parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources?: unknown } | null;
  const resources = kustomization?.resources;
  if (!Array.isArray(resources)) throw new Error(`${path.join(dir, 'kustomization.yaml')} has no resources list`);
  return resources.flatMap((entry: unknown) => {
    if (typeof entry !== 'string') throw new Error(`${dir}/kustomization.yaml: resource ${JSON.stringify(entry)} is not a path`);
    const full = path.resolve(dir, entry);
    return statSync(full).isDirectory() ? deployFiles(full) : [full];
  });
}

/** Every object of the files (default: all of deploy/, per-gateway mode), in order. */
export function loadDeploy(files: readonly string[] = deployFiles()): DeployObject[] {
  return files.flatMap((file) =>
    (loadAllYaml(readFileSync(file, 'utf8')) as (KubernetesObject | null)[])
      .filter((object): object is KubernetesObject => object !== null && object !== undefined)
      .map((object) => ({ file: path.relative(projectRoot, file), object })),
  );
}

export function kubeConfigFor(api: KubeApiserver, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig(token));
  return kc;
}

/** Server-side applies the objects in order, as field manager `fieldManager`, without forcing conflicts. */
export async function serverSideApply(kc: KubeConfig, objects: readonly KubernetesObject[], fieldManager = FIELD_MANAGER): Promise<void> {
  // A new client each time: it caches API discovery, which changes as CRDs are installed.
  const client = KubernetesObjectApi.makeApiClient(kc);
  for (const object of objects) {
    try {
      await client.patch(object, undefined, undefined, fieldManager, false, PatchStrategy.ServerSideApply);
    } catch (err) {
      const what = `${object.kind ?? '?'} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? '?'}`;
      throw new Error(`server-side apply of ${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}

/** Resolves once every named CRD is Established (the API server serves its kind). */
export async function waitForCrdsEstablished(kc: KubeConfig, names: readonly string[], timeoutMs = 30_000): Promise<void> {
  const extensions = kc.makeApiClient(ApiextensionsV1Api);
  for (const name of names) {
    await waitFor(
      `CRD ${name} to be Established`,
      async () => {
        const crd = await extensions.readCustomResourceDefinition({ name });
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
      },
      timeoutMs,
    );
  }
}

const isCrd = (object: KubernetesObject): boolean => object.kind === 'CustomResourceDefinition';

/**
 * Applies all of `dir` (default deploy/, per-gateway mode; DEPLOY_HOST_DIR for host mode) as the
 * admin, as `kubectl apply --server-side -k deploy/` does: the CRDs first, waited for until
 * Established (the GatewayClass needs its kind served), then everything else in kustomization
 * order. Returns what was applied.
 */
export async function applyDeploy(api: KubeApiserver, dir = DEPLOY_DIR): Promise<DeployObject[]> {
  const kc = kubeConfigFor(api);
  const all = loadDeploy(deployFiles(dir));
  const crds = all.filter((d) => isCrd(d.object));
  await serverSideApply(
    kc,
    crds.map((d) => d.object),
  );
  await waitForCrdsEstablished(
    kc,
    crds.map((d) => d.object.metadata?.name ?? ''),
  );
  await serverSideApply(
    kc,
    all.filter((d) => !isCrd(d.object)).map((d) => d.object),
  );
  return all;
}

/** What acting as the portico ServiceAccount takes. */
export interface PorticoCredentials {
  /** A TokenRequest token of portico-system/portico. */
  token: string;
  /** A kubeconfig (YAML) for the API server with that token: give it to `portico controller --kubeconfig`. */
  kubeconfig: string;
  /** The same as a client-node KubeConfig. */
  kubeConfig: KubeConfig;
  /** system:serviceaccount:portico-system:portico */
  user: string;
}

/** Whether the authorizer lets the current user of `kc` do `attributes`. */
export async function canI(kc: KubeConfig, attributes: V1ResourceAttributes): Promise<boolean> {
  const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } },
  });
  return review.status?.allowed === true;
}

/** Which of deploy/'s RBAC files to apply, and so which permissions to wait for. */
export interface DeployRbacOptions {
  expirationSeconds?: number;
  /** deploy/rbac-dataplanes.yaml: what per-gateway and shared mode add. */
  perGateway?: boolean;
  /** deploy/multicluster/config-cluster.yaml. */
  multicluster?: boolean;
}

/**
 * Applies deploy/namespace.yaml and deploy/base/rbac.yaml (the portico-system namespace, the
 * portico ServiceAccount, its ClusterRole, Role and bindings), and the files the options name;
 * then porticoCredentials. The Gateway API CRDs are not installed here: see applyDeploy (or
 * installCrds in kube-controller.ts).
 */
export async function applyDeployRbac(api: KubeApiserver, options: DeployRbacOptions = {}): Promise<PorticoCredentials> {
  const admin = kubeConfigFor(api);
  const files = ['namespace.yaml', 'base/rbac.yaml', ...(options.perGateway ? ['rbac-dataplanes.yaml'] : []), ...(options.multicluster ? ['multicluster/config-cluster.yaml'] : [])];
  const objects = loadDeploy(files.map((f) => path.join(DEPLOY_DIR, f))).map((d) => d.object);
  await serverSideApply(admin, objects);
  return porticoCredentials(api, options);
}

/**
 * Issues a token for the portico ServiceAccount, already applied, and resolves once RBAC grants
 * it what the options say was applied (the authorizer sees new bindings a moment after they are
 * stored).
 */
export async function porticoCredentials(api: KubeApiserver, options: DeployRbacOptions = {}): Promise<PorticoCredentials> {
  const admin = kubeConfigFor(api);
  const request = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    namespace: PORTICO_NAMESPACE,
    name: PORTICO_SERVICE_ACCOUNT,
    body: { spec: { audiences: [], expirationSeconds: options.expirationSeconds ?? 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`no token issued for ${PORTICO_USER}`);
  const kubeConfig = kubeConfigFor(api, token);
  // One permission from the ClusterRoleBinding and one from the RoleBinding: the authorizer
  // learns of each through its own informer.
  await waitFor(
    'the portico RBAC bindings to take effect',
    async () =>
      (await canI(kubeConfig, { group: 'gateway.networking.k8s.io', resource: 'gateways', verb: 'list' })) &&
      (await canI(kubeConfig, { group: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespace: PORTICO_NAMESPACE, name: LEADER_ELECTION_ID })) &&
      (!options.perGateway || (await canI(kubeConfig, { group: 'apps', resource: 'deployments', verb: 'create', namespace: 'default' }))) &&
      (!options.multicluster || (await canI(kubeConfig, { group: 'discovery.k8s.io', resource: 'endpointslices', verb: 'delete', namespace: 'default' }))),
    10_000,
  );
  return { token, kubeconfig: api.kubeconfig(token), kubeConfig, user: PORTICO_USER };
}

/** The identity deploy/multicluster/workload-cluster.yaml gives Portico in a workload cluster. */
export const WORKLOAD_SERVICE_ACCOUNT = 'portico-workload';

/**
 * Applies deploy/multicluster/workload-cluster.yaml to a workload cluster and returns a kubeconfig
 * (YAML) with a TokenRequest token of its ServiceAccount, once RBAC grants it.
 */
export async function applyWorkloadRbac(api: KubeApiserver): Promise<string> {
  const admin = kubeConfigFor(api);
  await serverSideApply(admin, loadDeploy([path.join(DEPLOY_DIR, 'multicluster/workload-cluster.yaml')]).map((d) => d.object));
  const request = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({ namespace: PORTICO_NAMESPACE, name: WORKLOAD_SERVICE_ACCOUNT, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const token = request.status?.token;
  if (!token) throw new Error(`no token issued for ${PORTICO_NAMESPACE}/${WORKLOAD_SERVICE_ACCOUNT}`);
  const kubeConfig = kubeConfigFor(api, token);
  await waitFor('the workload RBAC binding to take effect', () => canI(kubeConfig, { group: 'multicluster.x-k8s.io', resource: 'serviceexports', subresource: 'status', verb: 'patch', namespace: 'default' }), 10_000);
  return api.kubeconfig(token);
}

/**
 * A small client for tests on a real API server: objects go over the wire exactly as written
 * (client-node's typed models drop fields they do not know), with the path found from the kind.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { KINDS } from '../../src/api/kinds.js';
import { versionOf, type KubeObject } from '../../src/api/object.js';
import { collectionPath, objectPath, type ResourceType } from '../../src/providers/kubernetes/paths.js';
import { describeAnswer, HttpTransport, type KubeResponse } from '../../src/providers/kubernetes/transport.js';

const OTHER_TYPES: ResourceType[] = [
  { kind: 'CustomResourceDefinition', group: 'apiextensions.k8s.io', plural: 'customresourcedefinitions', namespaced: false, versions: ['v1'] },
  { kind: 'ServiceAccount', group: '', plural: 'serviceaccounts', namespaced: true, versions: ['v1'] },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', plural: 'clusterroles', namespaced: false, versions: ['v1'] },
  { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', plural: 'clusterrolebindings', namespaced: false, versions: ['v1'] },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', plural: 'roles', namespaced: true, versions: ['v1'] },
  { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', plural: 'rolebindings', namespaced: true, versions: ['v1'] },
  { kind: 'Lease', group: 'coordination.k8s.io', plural: 'leases', namespaced: true, versions: ['v1'] },
  { kind: 'ServiceExport', group: 'multicluster.x-k8s.io', plural: 'serviceexports', namespaced: true, versions: ['v1alpha1'] },
];

function typeOf(kind: string): ResourceType {
  const type = KINDS.find((k) => k.kind === kind) ?? OTHER_TYPES.find((t) => t.kind === kind);
  if (!type) throw new Error(`kube-client: unknown kind ${kind}`);
  return type;
}

export class KubeRequestError extends Error {
  constructor(
    readonly response: KubeResponse,
    what: string,
  ) {
    super(`${what}: ${describeAnswer(response)}`);
  }
}

export class TestKubeClient {
  readonly transport: HttpTransport;

  constructor(kubeconfig: string) {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    this.transport = new HttpTransport(kc);
  }

  private async call<T>(method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, query?: Record<string, string | boolean>, contentType?: string): Promise<T> {
    const response = await this.transport.request({ method, path, body, query, contentType });
    if (response.status < 200 || response.status > 299) throw new KubeRequestError(response, `${method} ${path}`);
    return response.body as T;
  }

  /** Server-side apply (the object as given is the whole intent of field manager "portico-test"). */
  apply<T extends KubeObject>(obj: T): Promise<T> {
    const type = typeOf(obj.kind);
    const path = objectPath(type, versionOf(obj.apiVersion), obj.metadata.namespace, obj.metadata.name);
    return this.call('PATCH', path, obj, { fieldManager: 'portico-test', force: true }, 'application/apply-patch+yaml');
  }

  create<T extends KubeObject>(obj: T): Promise<T> {
    return this.call('POST', collectionPath(typeOf(obj.kind), versionOf(obj.apiVersion), obj.metadata.namespace), obj);
  }

  /** PUT of the whole object (its metadata.resourceVersion, when set, is a precondition). */
  replace<T extends KubeObject>(obj: T): Promise<T> {
    return this.call('PUT', objectPath(typeOf(obj.kind), versionOf(obj.apiVersion), obj.metadata.namespace, obj.metadata.name), obj);
  }

  replaceStatus<T extends KubeObject>(obj: T): Promise<T> {
    return this.call('PUT', objectPath(typeOf(obj.kind), versionOf(obj.apiVersion), obj.metadata.namespace, obj.metadata.name, 'status'), obj);
  }

  async get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): Promise<T | undefined> {
    const type = typeOf(kind);
    const response = await this.transport.request({ method: 'GET', path: objectPath(type, type.versions[0] ?? 'v1', namespace, name) });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw new KubeRequestError(response, `GET ${kind} ${namespace ?? ''}/${name}`);
    return response.body as T;
  }

  async remove(kind: string, namespace: string | undefined, name: string): Promise<void> {
    const type = typeOf(kind);
    const response = await this.transport.request({ method: 'DELETE', path: objectPath(type, type.versions[0] ?? 'v1', namespace, name) });
    if (response.status !== 200 && response.status !== 202 && response.status !== 404) throw new KubeRequestError(response, `DELETE ${kind} ${namespace ?? ''}/${name}`);
  }

  /** Any request, answered as is (for refusals the test expects). */
  raw(method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<KubeResponse> {
    return this.transport.request({ method, path, body });
  }

  /** A token of a ServiceAccount through the TokenRequest API. */
  async serviceAccountToken(namespace: string, name: string, expirationSeconds = 3600): Promise<string> {
    const body = await this.call<{ status?: { token?: string } }>('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [], expirationSeconds },
    });
    if (!body.status?.token) throw new Error(`no token issued for ${namespace}/${name}`);
    return body.status.token;
  }

  close(): void {
    this.transport.close();
  }
}

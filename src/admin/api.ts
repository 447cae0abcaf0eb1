import { apiVersionOf, KINDS, type KindInfo } from '../api/kinds.js';
import { objectKey, type KubeObject } from '../api/object.js';
import { failure, type KubeStatus } from './kube-status.js';
import type { AdminView } from './view.js';
import { hideCredentials } from './hide-credentials.js';

export interface JsonResponse {
  status: number;
  body: unknown;
}

/** A resolved read of the Kubernetes-shaped API. */
export interface ApiRequest {
  info: KindInfo;
  /** The version named in the path; objects are returned with it in apiVersion. */
  version: string;
  /** Set for namespaced paths (`.../namespaces/{ns}/...`). */
  namespace?: string;
  /** Set for single-object reads. */
  name?: string;
}

/**
 * Parses `/api/v1/...` and `/apis/{group}/{version}/...` paths:
 *   {plural}                          list across namespaces (or of a cluster-scoped kind)
 *   {plural}/{name}                   one cluster-scoped object
 *   namespaces/{ns}/{plural}          list in one namespace
 *   namespaces/{ns}/{plural}/{name}   one namespaced object
 * Returns a Kubernetes Status when the path names nothing Portico serves.
 */
export function parseApiPath(pathname: string): ApiRequest | KubeStatus {
  let segments: string[];
  try {
    segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return notFoundPath();
  }
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segments[0] === 'api') {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    group = segments[1] ?? '';
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return notFoundPath();
  }
  let namespace: string | undefined;
  let plural: string | undefined;
  let name: string | undefined;
  if (rest.length >= 3 && rest.length <= 4 && rest[0] === 'namespaces') {
    [, namespace, plural, name] = rest;
  } else if (rest.length === 1 || rest.length === 2) {
    [plural, name] = rest;
  } else {
    return notFoundPath();
  }
  const info = KINDS.find((k) => k.group === group && k.plural === plural);
  if (!info || !version || !info.versions.includes(version)) return notFoundPath();
  // A cluster-scoped kind under a namespace, or one namespaced object without its namespace.
  if (namespace !== undefined && !info.namespaced) return notFoundPath();
  if (namespace === undefined && name !== undefined && info.namespaced) return notFoundPath();

  const request: ApiRequest = { info, version };
  if (namespace !== undefined) request.namespace = namespace;
  if (name !== undefined) request.name = name;
  return request;
}

/** Answers one GET of the Kubernetes-shaped API from the current view. */
export function getApi(pathname: string, view: AdminView): JsonResponse {
  const request = parseApiPath(pathname);
  if ('kind' in request) return { status: request.code, body: request };
  const { info, version, namespace, name } = request;
  const resources = view.resources();

  if (name !== undefined) {
    const obj = resources.get(info.kind, namespace, name);
    if (!obj) {
      const resource = info.group ? `${info.plural}.${info.group}` : info.plural;
      return {
        status: 404,
        body: failure(404, 'NotFound', `${resource} "${name}" not found`, { name, group: info.group, kind: info.plural }),
      };
    }
    return { status: 200, body: present(obj, info, version, view) };
  }

  const items = resources
    .list(info.kind)
    .filter((obj) => namespace === undefined || obj.metadata.namespace === namespace)
    .map((obj) => present(obj, info, version, view));
  return { status: 200, body: { apiVersion: 'v1', kind: 'List', metadata: {}, items } };
}

/**
 * The object as served: apiVersion as asked, `status` replaced by Portico's where Portico owns
 * the object. Secrets and ConfigMaps are shown by name only (metadata without annotations, and a
 * Secret's type): their data belongs to other tenants, and annotations can hold it too (kubectl's
 * last-applied-configuration carries a Secret's values). Credentials written inline in Portico's
 * own kinds (JWKS secrets, htpasswd hashes) are hidden (hide-credentials.ts).
 */
export function present(obj: KubeObject, info: KindInfo, version: string, view: AdminView): KubeObject {
  const apiVersion = apiVersionOf(info, version);
  if (info.kind === 'Secret' || info.kind === 'ConfigMap') {
    const { name, namespace, labels, uid, resourceVersion, generation, creationTimestamp } = obj.metadata;
    const metadata = Object.fromEntries(Object.entries({ name, namespace, labels, uid, resourceVersion, generation, creationTimestamp }).filter(([, v]) => v !== undefined));
    return { apiVersion, kind: obj.kind, metadata: { ...metadata, name }, ...(info.kind === 'Secret' && obj.type !== undefined ? { type: obj.type } : {}) };
  }
  const out: KubeObject = { ...hideCredentials(obj), apiVersion };
  const status = view.statusOf(objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name));
  if (status !== undefined) out.status = status;
  return out;
}

function notFoundPath(): KubeStatus {
  return failure(404, 'NotFound', 'the server could not find the requested resource');
}

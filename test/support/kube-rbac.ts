/**
 * The privileges `portico controller` runs with in tests on a real API server: a ServiceAccount
 * bound to a ClusterRole that reads what Portico reads and writes only status, and a Role for its
 * leader election Lease. The objects are deploy/namespace.yaml and deploy/rbac.yaml, what users
 * install, when those exist; `porticoClusterRules` is the least the controller needs (every
 * request it makes), which test/unit/providers/kubernetes/rbac.test.ts checks deploy/rbac.yaml
 * grants.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KINDS } from '../../src/api/kinds.js';
import type { KubeObject } from '../../src/api/object.js';
import { projectRoot } from '../e2e/support.js';
import type { TestKubeClient } from './kube-client.js';

export const PORTICO_NAMESPACE = 'portico-system';
export const PORTICO_SERVICE_ACCOUNT = 'portico';

/** The kinds that get status from Portico: it writes their status subresource, nothing else. */
const STATUS_PLURALS = ['gatewayclasses', 'gateways', 'listenersets', 'httproutes', 'grpcroutes', 'tlsroutes', 'tcproutes', 'udproutes'];

/** What the controller does with the API server, as RBAC rules. */
export function porticoClusterRules(): { apiGroups: string[]; resources: string[]; verbs: string[] }[] {
  const byGroup = new Map<string, string[]>();
  for (const kind of KINDS) byGroup.set(kind.group, [...(byGroup.get(kind.group) ?? []), kind.plural]);
  return [
    // Reflectors list and watch; after a write conflict the object is read again (get).
    ...[...byGroup].map(([group, plurals]) => ({ apiGroups: [group], resources: plurals.sort(), verbs: ['get', 'list', 'watch'] })),
    { apiGroups: ['gateway.networking.k8s.io'], resources: STATUS_PLURALS.map((p) => `${p}/status`), verbs: ['update'] },
    // The installed Gateway API bundle version (GatewayClass SupportedVersion), and which kinds exist.
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['list', 'watch'] },
  ];
}

/** deploy/'s namespace and RBAC objects when they exist, else the least the controller needs. */
export function porticoRbacObjects(): KubeObject[] {
  return deployRbacObjects() ?? minimalRbacObjects();
}

/** The ServiceAccount, ClusterRole and bindings, and the Lease Role, from porticoClusterRules. */
export function minimalRbacObjects(): KubeObject[] {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const subject = { kind: 'ServiceAccount', name: PORTICO_SERVICE_ACCOUNT, namespace: PORTICO_NAMESPACE };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: PORTICO_NAMESPACE } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: PORTICO_SERVICE_ACCOUNT, namespace: PORTICO_NAMESPACE } },
    { apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'portico' }, rules: porticoClusterRules() },
    {
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'portico' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'portico' },
      subjects: [subject],
    },
    {
      apiVersion: rbac,
      kind: 'Role',
      metadata: { name: 'portico-leader-election', namespace: PORTICO_NAMESPACE },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
    },
    {
      apiVersion: rbac,
      kind: 'RoleBinding',
      metadata: { name: 'portico-leader-election', namespace: PORTICO_NAMESPACE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'portico-leader-election' },
      subjects: [subject],
    },
  ];
}

/** The objects of deploy/namespace.yaml and deploy/rbac.yaml, when those files exist. */
export function deployRbacObjects(): KubeObject[] | undefined {
  const files = ['deploy/namespace.yaml', 'deploy/rbac.yaml'].map((f) => path.join(projectRoot, f));
  if (!files.every((f) => existsSync(f))) return undefined;
  return files.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as KubeObject));
}

/**
 * Applies the RBAC objects (server-side apply, as the admin client) and returns a token of the
 * portico ServiceAccount, valid for an hour.
 */
export async function porticoToken(admin: TestKubeClient): Promise<string> {
  for (const object of porticoRbacObjects()) await admin.apply(object);
  return admin.serviceAccountToken(PORTICO_NAMESPACE, PORTICO_SERVICE_ACCOUNT);
}

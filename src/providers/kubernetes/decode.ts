/**
 * Objects as the API server sends them → objects as the core reads them. The API server has
 * validated and defaulted them already; what is left is to name their kind (list items carry no
 * apiVersion/kind) and to drop what only costs memory.
 */
import type { KubeObject } from '../../api/object.js';
import { apiVersionFor, type ResourceType } from './paths.js';

type Rec = Record<string, unknown>;

/** The label that lets Portico read a Secret that is not kubernetes.io/tls, for policies (docs/policies.md). */
export const POLICY_SECRET_LABEL = 'gateway.portico.dev/policy-secret';

/** The keys of a kubernetes.io/tls Secret that listeners read. */
const TLS_KEYS = ['tls.crt', 'tls.key'];

function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The object, changed in place (it comes from a JSON parse of our own): apiVersion and kind set,
 * `metadata.managedFields` removed (often the largest part of an object, never read). A Secret
 * keeps only what the core reads, so nothing else of it stays in memory or reaches a view:
 * its type, the certificate and key of a kubernetes.io/tls one, the data of one labelled for
 * policies, and no annotations (kubectl's
 * last-applied-configuration holds the values). Undefined when the value is not an object with a name.
 */
export function decodeObject(raw: unknown, type: ResourceType, version: string): KubeObject | undefined {
  if (!isRecord(raw) || !isRecord(raw.metadata) || typeof raw.metadata.name !== 'string') return undefined;
  raw.apiVersion = apiVersionFor(type.group, version);
  raw.kind = type.kind;
  delete raw.metadata.managedFields;
  if (type.group === '' && type.kind === 'Secret') {
    const data = isRecord(raw.data) ? raw.data : {};
    const labels = isRecord(raw.metadata.labels) ? raw.metadata.labels : {};
    const kept =
      raw.type === 'kubernetes.io/tls'
        ? Object.fromEntries(TLS_KEYS.filter((k) => typeof data[k] === 'string').map((k) => [k, data[k]]))
        : labels[POLICY_SECRET_LABEL] === 'true'
          ? Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'string'))
          : undefined;
    delete raw.data;
    delete raw.stringData;
    delete raw.metadata.annotations;
    if (kept) raw.data = kept;
  }
  return raw as KubeObject;
}

export const BUNDLE_VERSION_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

export const CRD_TYPE: ResourceType = {
  kind: 'CustomResourceDefinition',
  group: 'apiextensions.k8s.io',
  plural: 'customresourcedefinitions',
  namespaced: false,
  versions: ['v1'],
};

/**
 * A CustomResourceDefinition of one of `groups` (the Gateway API's, Portico's), reduced to its
 * name and bundle-version annotation (a CRD's schema runs to hundreds of kilobytes); undefined
 * for any other CRD. A new one makes the controller look again for kinds it found missing.
 */
export function decodeGatewayCrd(raw: unknown, groups: readonly string[]): KubeObject | undefined {
  if (!isRecord(raw) || !isRecord(raw.metadata) || typeof raw.metadata.name !== 'string') return undefined;
  const spec = isRecord(raw.spec) ? raw.spec : {};
  const group = groups.find((g) => g === spec.group);
  if (group === undefined) return undefined;
  const meta = raw.metadata;
  const annotations = isRecord(meta.annotations) ? meta.annotations : {};
  const version = annotations[BUNDLE_VERSION_ANNOTATION];
  return {
    apiVersion: apiVersionFor(CRD_TYPE.group, 'v1'),
    kind: CRD_TYPE.kind,
    metadata: {
      name: meta.name as string,
      ...(typeof meta.resourceVersion === 'string' ? { resourceVersion: meta.resourceVersion } : {}),
      ...(typeof version === 'string' ? { annotations: { [BUNDLE_VERSION_ANNOTATION]: version } } : {}),
    },
    spec: { group, names: isRecord(spec.names) ? { kind: spec.names.kind, plural: spec.names.plural } : {} },
  };
}

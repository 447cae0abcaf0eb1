/**
 * Objects as the API server sends them → objects as the core reads them. The API server has
 * validated and defaulted them already; what is left is to name their kind (list items carry no
 * apiVersion/kind) and to drop what only costs memory.
 */
import type { KubeObject } from '../../api/object.js';
import { apiVersionFor, type ResourceType } from './paths.js';

type Rec = Record<string, unknown>;

function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The object, changed in place (it comes from a JSON parse of our own): apiVersion and kind set,
 * `metadata.managedFields` removed (often the largest part of an object, never read), and the
 * data of Secrets the core never reads (it only reads kubernetes.io/tls ones) dropped: a cluster
 * holds many large Secrets (tokens, Helm releases) a gateway has no use for.
 * Undefined when the value is not an object with a name.
 */
export function decodeObject(raw: unknown, type: ResourceType, version: string): KubeObject | undefined {
  if (!isRecord(raw) || !isRecord(raw.metadata) || typeof raw.metadata.name !== 'string') return undefined;
  raw.apiVersion = apiVersionFor(type.group, version);
  raw.kind = type.kind;
  delete raw.metadata.managedFields;
  if (type.group === '' && type.kind === 'Secret' && raw.type !== 'kubernetes.io/tls') {
    delete raw.data;
    delete raw.stringData;
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
 * A CustomResourceDefinition of the Gateway API group, reduced to its name and bundle-version
 * annotation (a CRD's schema runs to hundreds of kilobytes); undefined for any other CRD.
 */
export function decodeGatewayCrd(raw: unknown, group: string): KubeObject | undefined {
  if (!isRecord(raw) || !isRecord(raw.metadata) || typeof raw.metadata.name !== 'string') return undefined;
  const spec = isRecord(raw.spec) ? raw.spec : {};
  if (spec.group !== group) return undefined;
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

import { MULTICLUSTER_GROUP, PORTICO_GROUP } from '../../api/kinds.js';

/** The groups of the other CRDs the controller watches, which carry no Gateway API bundle version. */
const OTHER_GROUPS = new Set([PORTICO_GROUP, MULTICLUSTER_GROUP]);
import type { KubeObject } from '../../api/object.js';
import { BUNDLE_VERSION_ANNOTATION } from './decode.js';

export interface InstalledBundle {
  /**
   * The GatewayClass CRD's bundle version (it is the GatewayClass that reports it); null when that
   * CRD has no annotation; undefined when it is not installed.
   */
  version: string | null | undefined;
  /** Other Gateway API CRDs whose bundle version differs from it ("name=version"), for a warning. */
  mismatched: string[];
}

const CLASS_CRD = 'gatewayclasses.gateway.networking.k8s.io';

/** The installed Gateway API bundle version, from the CRDs (as decodeGatewayCrd keeps them). */
export function installedBundle(crds: readonly KubeObject[]): InstalledBundle {
  const versionOf = (crd: KubeObject): string | null => crd.metadata.annotations?.[BUNDLE_VERSION_ANNOTATION] ?? null;
  const classCrd = crds.find((c) => c.metadata.name === CLASS_CRD);
  if (!classCrd) return { version: undefined, mismatched: [] };
  const version = versionOf(classCrd);
  // Only the Gateway API's CRDs carry its bundle version (not Portico's, nor the Multi-Cluster Services').
  const mismatched = crds
    .filter((c) => c !== classCrd && !OTHER_GROUPS.has((c.spec as { group?: string } | undefined)?.group ?? '') && versionOf(c) !== version)
    .map((c) => `${c.metadata.name}=${versionOf(c) ?? '(none)'}`)
    .sort();
  return { version, mismatched };
}

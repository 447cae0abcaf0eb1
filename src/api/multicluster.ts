/** The Multi-Cluster Services API kinds Portico reads (kubernetes-sigs/mcs-api). */
import type { KubeObject } from './object.js';

/** The label that ties an EndpointSlice to the ServiceImport whose endpoints it holds. */
export const MULTICLUSTER_SERVICE_NAME_LABEL = 'multicluster.kubernetes.io/service-name';

/**
 * How a ServiceImport is keyed among Services ("namespace/import/name"): apart from a local
 * Service of the same name, and never equal to one (no Service name holds a slash).
 */
export function importKey(namespace: string, name: string): string {
  return `${namespace}/import/${name}`;
}

export interface ServiceImportPort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
}

export interface ServiceImportObject extends KubeObject {
  kind: 'ServiceImport';
  spec: {
    type: 'ClusterSetIP' | 'Headless';
    ports: ServiceImportPort[];
    ips?: string[];
  };
  status?: { clusters?: { cluster: string }[] };
}

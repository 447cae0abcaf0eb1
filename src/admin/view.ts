import type { GatewayConfigView } from '../api/data-plane.js';
import type { ViewTree } from '../api/view-tree.js';
import type { ResourceSet } from '../store/resources.js';

/** What the admin API reads; the runtime provides it. */
export interface AdminView {
  /** Ready once the first full translation has been applied. */
  isReady(): boolean;
  /** The objects the current status belongs to. */
  resources(): ResourceSet;
  /** Portico's computed status for objectKey(kind, namespace, name); undefined when not owned. */
  statusOf(key: string): unknown;
  /** The resource tree of the web view, for the state last applied. */
  viewTree(): ViewTree;
  /** The data plane configuration of a Gateway "namespace/name"; undefined when there is none to show. */
  dataPlaneConfig(gateway: string): GatewayConfigView | undefined;
  /** Calls `listener` with the tree's new version after each state applied, until the returned function is called. */
  onApplied(listener: (version: number) => void): () => void;
}

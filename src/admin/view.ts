import type { ResourceSet } from '../store/resources.js';

/** What the admin API reads; the runtime provides it. */
export interface AdminView {
  /** Ready once the first full translation has been applied. */
  isReady(): boolean;
  /** The objects the current status belongs to. */
  resources(): ResourceSet;
  /** Portico's computed status for objectKey(kind, namespace, name); undefined when not owned. */
  statusOf(key: string): unknown;
}

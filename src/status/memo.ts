import type { KubeObject } from '../api/object.js';
import type { GraphRoute } from '../graph/model.js';

/** A route's status as written. */
export type RouteStatus = Record<string, unknown>;

/**
 * The status stage's memory between translations: per route object, its last status, reused
 * while its parent conditions are the very same objects (the graph memo hands them over
 * unchanged). Keyed by identity, so it never needs dropping.
 */
export class StatusMemo {
  readonly routeStatus = new WeakMap<KubeObject, { parents: GraphRoute['parents']; status: RouteStatus }>();
}

/**
 * The resource tree the web view draws: GatewayClass → Gateway → listener → route → backend, each
 * node with a health worked out from its conditions. Plain data, built by pipeline/view-tree.ts
 * and served by the admin API; shared here so both can name it.
 */

/** ok: every condition says so; problem: one says something is wrong; neutral: undecided, or nothing to judge by. */
export type Health = 'ok' | 'problem' | 'neutral';

export interface ViewNode {
  /** Unique in the tree: the path of keys from the GatewayClass down. */
  id: string;
  /** The object's kind; listeners are "Listener". */
  kind: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  name: string;
  /** A short description shown after the name (protocol and port, hostnames, backend port). */
  detail?: string;
  health: Health;
  /** Why this health, in words: the conditions that decided it. */
  reason: string;
  /** The admin API path of the object shown when the node is picked (absent when there is none). */
  apiPath?: string;
  /** "namespace/name" of the Gateway whose data plane configuration the node belongs to. */
  gateway?: string;
  /** Listeners: the port, to pick the listener's frontend out of the Gateway's configuration. */
  port?: number;
  /** Routes: "Kind/namespace/name", to pick the route's part of the Gateway's configuration. */
  route?: string;
  children: ViewNode[];
}

export interface ViewTree {
  /** Counts up with every configuration applied. */
  version: number;
  /** Every namespace a node of the whole tree is in, sorted. */
  namespaces: string[];
  roots: ViewNode[];
}

export interface ConditionLike {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Conditions that report trouble when True; every other condition reports trouble when False. */
const TROUBLE_WHEN_TRUE = new Set(['Conflicted', 'OverlappingTLSConfig', 'PartiallyInvalid']);

/**
 * A health from conditions: problem when any reports trouble; neutral when none does but one is
 * Unknown or still pending (reason Pending), or when there are none; ok otherwise. The reason
 * names the conditions that decided it.
 */
export function conditionHealth(conditions: readonly ConditionLike[]): { health: Health; reason: string } {
  if (conditions.length === 0) return { health: 'neutral', reason: 'no conditions' };
  const describe = (c: ConditionLike): string => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`;
  const trouble = conditions.filter((c) => (TROUBLE_WHEN_TRUE.has(c.type) ? c.status === 'True' : c.status === 'False' && c.reason !== 'Pending'));
  if (trouble.length > 0) return { health: 'problem', reason: trouble.map(describe).join('; ') };
  const pending = conditions.filter((c) => c.status === 'Unknown' || (c.status === 'False' && c.reason === 'Pending'));
  if (pending.length > 0) return { health: 'neutral', reason: pending.map(describe).join('; ') };
  return { health: 'ok', reason: conditions.filter((c) => !TROUBLE_WHEN_TRUE.has(c.type)).map((c) => `${c.type}=${c.status}`).join(', ') };
}

/**
 * The tree seen from one namespace: nodes in it, with the nodes that lead to them (a Gateway of
 * another namespace that a route of this one attaches to, its class, the listener). Nodes of
 * other namespaces that lead to none are left out. Cluster-scoped nodes count as leading only.
 */
export function filterTree(tree: ViewTree, namespace: string): ViewTree {
  const keep = (node: ViewNode): ViewNode | undefined => {
    const children = node.children.map(keep).filter((n): n is ViewNode => n !== undefined);
    if (node.namespace === namespace || children.length > 0) return { ...node, children };
    return undefined;
  };
  return { ...tree, roots: tree.roots.map(keep).filter((n): n is ViewNode => n !== undefined) };
}

/**
 * The web view's tree from the graph: GatewayClass → Gateway → listener → route → backend, each
 * node with the health its conditions give (the same conditions the status stage stamps).
 * Routes that name a Gateway but attach to none of its listeners hang under the Gateway itself,
 * so a refused route is seen where it was meant to go.
 */
import { kindInfo } from '../api/kinds.js';
import { conditionHealth, type Health, type ViewNode, type ViewTree } from '../api/view-tree.js';
import type { Graph, GraphGateway, GraphListener, GraphRoute, ResolvedBackend, RouteAttachment } from '../graph/model.js';

/** The admin API path that serves an object (its kind's first version), or undefined for a kind it does not serve. */
export function apiPathOf(kind: string, namespace: string | undefined, name: string): string | undefined {
  const info = kindInfo(kind);
  if (!info) return undefined;
  const base = info.group ? `/apis/${info.group}/${info.versions[0]}` : `/api/${info.versions[0]}`;
  const scope = info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${scope}/${info.plural}/${encodeURIComponent(name)}`;
}

function node(fields: Omit<ViewNode, 'children'>, children: ViewNode[] = []): ViewNode {
  return { ...fields, children };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
type Named = { namespace?: string | undefined; name: string };
const byName = (a: Named, b: Named): number => compareText(`${a.namespace ?? ''}/${a.name}`, `${b.namespace ?? ''}/${b.name}`);

/** What a backendRef names: its kind, and whether the admin API serves that kind (an unsupported kind it does not). */
interface BackendRef {
  backend: ResolvedBackend;
  kind: string;
  served: boolean;
}

function backendNode(ref: BackendRef, parentId: string): ViewNode {
  const b = ref.backend;
  // Endpoint counts are left out: after an EndpointSlice change alone the graph keeps the old ones.
  let health: Health = 'ok';
  let reason = b.resolve ? 'resolved; its endpoints are DNS names the data plane resolves' : 'resolved';
  if (b.problem) {
    health = 'problem';
    reason = `${b.problem.reason}: ${b.problem.message}`;
  } else if (b.tlsPolicy && !b.tlsPolicy.tls) {
    health = 'problem';
    reason = `BackendTLSPolicy ${b.tlsPolicy.key} cannot be carried out: nothing is sent to this backend`;
  }
  return node({
    id: `${parentId}|${ref.kind}/${b.namespace}/${b.name}:${b.port ?? ''}`,
    kind: ref.kind,
    namespace: b.namespace,
    name: b.name,
    ...(b.port !== undefined ? { detail: `port ${b.port}` } : {}),
    health,
    reason,
    apiPath: ref.served ? apiPathOf(ref.kind, b.namespace, b.name) : undefined,
  });
}

/** Each backend of a route once, in rule order; refs that hand rules to child routes are not backends. */
function backendsOf(route: GraphRoute): BackendRef[] {
  const seen = new Map<string, BackendRef>();
  const rules = route.object.spec.rules ?? [];
  route.ruleBackends.forEach((backends, i) => {
    const specRefs: readonly { group?: string; kind?: string }[] = rules[i]?.backendRefs ?? [];
    backends.forEach((b, j) => {
      if (b.delegation) return;
      const spec = specRefs[j];
      const kind = spec?.kind ?? b.source ?? 'Service';
      const group = spec?.group ?? '';
      const key = `${group}/${kind}/${b.id}`;
      if (!seen.has(key)) seen.set(key, { backend: b, kind, served: kindInfo(kind)?.group === group });
    });
  });
  return [...seen.values()];
}

function routeNode(route: GraphRoute, parentIndex: number, parentId: string, gateway: string, attachment?: RouteAttachment): ViewNode {
  const meta = route.object.metadata;
  const conditions = route.parents.find((p) => p.index === parentIndex)?.conditions ?? [];
  const { health, reason } = conditionHealth(conditions);
  const id = `${parentId}|${route.kind}/${meta.namespace}/${meta.name}#${parentIndex}`;
  let detail: string | undefined;
  if (attachment && !attachment.anyHost && attachment.hostnames.length > 0) detail = attachment.hostnames.join(', ');
  if (!attachment) detail = 'not attached to any listener';
  return node(
    {
      id,
      kind: route.kind,
      namespace: meta.namespace,
      name: meta.name,
      ...(detail !== undefined ? { detail } : {}),
      health,
      reason,
      apiPath: apiPathOf(route.kind, meta.namespace, meta.name),
      gateway,
      route: `${route.kind}/${meta.namespace}/${meta.name}`,
    },
    backendsOf(route).map((b) => backendNode(b, id)),
  );
}

function listenerNode(l: GraphListener, gatewayId: string, gateway: string): ViewNode {
  const set = l.listenerSet?.object.metadata;
  const id = `${gatewayId}|Listener/${set ? `${set.namespace}/${set.name}/` : ''}${l.name}`;
  const { health, reason } = conditionHealth(l.conditions);
  const detail = `${l.protocol} :${l.port}${l.hostname ? ` ${l.hostname}` : ''}${set ? ` (ListenerSet ${set.name})` : ''}`;
  const routes = [...l.routes].sort((a, b) => byName(a.route.object.metadata, b.route.object.metadata) || compareText(a.route.kind, b.route.kind));
  const ns = set?.namespace ?? l.gateway.object.metadata.namespace;
  return node(
    {
      id,
      kind: 'Listener',
      ...(ns !== undefined ? { namespace: ns } : {}),
      name: l.name,
      detail,
      health,
      reason,
      apiPath: set ? apiPathOf('ListenerSet', set.namespace, set.name) : apiPathOf('Gateway', l.gateway.object.metadata.namespace, l.gateway.object.metadata.name),
      gateway,
      port: l.port,
    },
    routes.map((a) => routeNode(a.route, a.parentIndex, id, gateway, a)),
  );
}

/** Whether a route's parentRef (by index) names this Gateway, directly or through one of its ListenerSets. */
function namesGateway(graph: Graph, route: GraphRoute, index: number, gw: GraphGateway): boolean {
  const ref = route.object.spec.parentRefs?.[index];
  if (!ref) return false;
  const namespace = ref.namespace ?? route.object.metadata.namespace;
  const kind = ref.kind ?? 'Gateway';
  if (kind === 'Gateway') return namespace === gw.object.metadata.namespace && ref.name === gw.object.metadata.name;
  if (kind === 'ListenerSet') return graph.listenerSets.some((s) => s.gateway === gw && s.object.metadata.namespace === namespace && s.object.metadata.name === ref.name);
  return false;
}

function gatewayNode(graph: Graph, gw: GraphGateway, classId: string): ViewNode {
  const meta = gw.object.metadata;
  const id = `${classId}|Gateway/${meta.namespace}/${meta.name}`;
  const { health, reason } = conditionHealth(gw.conditions);
  const listeners = [...gw.listeners, ...gw.listenerSets.flatMap((s) => s.listeners)];
  const attached = new Set(listeners.flatMap((l) => l.routes.map((a) => `${a.route.kind}/${a.route.key}#${a.parentIndex}`)));
  const unattached = graph.routes
    .flatMap((r) => r.parents.filter((p) => !attached.has(`${r.kind}/${r.key}#${p.index}`) && namesGateway(graph, r, p.index, gw)).map((p) => ({ route: r, index: p.index })))
    .sort((a, b) => byName(a.route.object.metadata, b.route.object.metadata));
  return node(
    {
      id,
      kind: 'Gateway',
      ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}),
      name: meta.name,
      ...(gw.addresses.length > 0 ? { detail: gw.addresses.join(', ') } : {}),
      health,
      reason,
      apiPath: apiPathOf('Gateway', meta.namespace, meta.name),
      gateway: gw.key,
    },
    [...listeners.map((l) => listenerNode(l, id, gw.key)), ...unattached.map((u) => routeNode(u.route, u.index, id, gw.key))],
  );
}

function collectNamespaces(nodes: readonly ViewNode[], into: Set<string>): Set<string> {
  for (const n of nodes) {
    if (n.namespace !== undefined) into.add(n.namespace);
    collectNamespaces(n.children, into);
  }
  return into;
}

/** The tree of everything Portico serves in `graph`; `version` is the caller's count of applied configurations. */
export function buildViewTree(graph: Graph, version: number): ViewTree {
  const roots = [...graph.gatewayClasses]
    .sort((a, b) => byName(a.object.metadata, b.object.metadata))
    .map((gc) => {
      const name = gc.object.metadata.name;
      const id = `GatewayClass//${name}`;
      const { health, reason } = conditionHealth(gc.conditions);
      const gateways = graph.gateways.filter((g) => g.gatewayClass === gc).sort((a, b) => byName(a.object.metadata, b.object.metadata));
      return node({ id, kind: 'GatewayClass', name, health, reason, apiPath: apiPathOf('GatewayClass', undefined, name) }, gateways.map((g) => gatewayNode(graph, g, id)));
    });
  return { version, namespaces: [...collectNamespaces(roots, new Set())].sort(), roots };
}

import { objectKey } from '../api/object.js';
import { CONTROLLER_NAME } from '../api/kinds.js';
import type { Cond, Graph, GraphListener, GraphRoute } from '../graph/model.js';
import type { KubeObject } from '../api/object.js';
import { gatewayAncestor } from '../graph/traffic-policies.js';
import type { ParentReference, RouteParentStatus } from '../api/spec.js';
import { stampConditions } from './conditions.js';
import type { StatusMemo } from './memo.js';
import type { AddressSource } from '../api/data-plane-names.js';
import { supportedFeatures } from './features.js';

export interface StatusOptions {
  /** Status computed last time, keyed like the result; keeps lastTransitionTime stable. */
  previousStatus?: ReadonlyMap<string, unknown>;
  /** RFC 3339 time for conditions that changed. */
  now: string;
  memo?: StatusMemo;
  /** Where Gateways' addresses come from, which is the deployment mode: the GatewayClass's supportedFeatures depend on it. */
  addressSource?: AddressSource;
}

type Rec = Record<string, unknown>;
const field = (o: unknown, name: string): unknown => (o && typeof o === 'object' ? (o as Rec)[name] : undefined);

function listenerStatus(l: GraphListener, generation: number | undefined, previousListeners: unknown, now: string): Rec {
  const prev = Array.isArray(previousListeners) ? previousListeners.find((p) => field(p, 'name') === l.name) : undefined;
  return {
    name: l.name,
    supportedKinds: l.supportedKinds.map((k) => ({ group: k.group, kind: k.kind })),
    attachedRoutes: l.attachedRoutes,
    conditions: stampConditions(l.conditions, generation, field(prev, 'conditions'), now),
  };
}

function sameParentRef(a: ParentReference, b: ParentReference): boolean {
  return (
    (a.group ?? 'gateway.networking.k8s.io') === (b.group ?? 'gateway.networking.k8s.io') &&
    (a.kind ?? 'Gateway') === (b.kind ?? 'Gateway') &&
    a.name === b.name &&
    (a.namespace ?? '') === (b.namespace ?? '') &&
    (a.sectionName ?? '') === (b.sectionName ?? '') &&
    (a.port ?? 0) === (b.port ?? 0)
  );
}

function routeStatus(route: GraphRoute, previous: unknown, now: string): Rec {
  const generation = route.object.metadata.generation;
  // Entries other controllers wrote stay as they are; ours are recomputed from scratch.
  const existing = (route.object.status?.parents ?? []) as RouteParentStatus[];
  const others = existing.filter((p) => p.controllerName !== CONTROLLER_NAME);
  const prevOurs = ((field(previous, 'parents') as RouteParentStatus[] | undefined) ?? []).filter(
    (p) => p.controllerName === CONTROLLER_NAME,
  );
  const ours = route.parents.map((p) => {
    const prior = prevOurs.find((q) => sameParentRef(q.parentRef, p.parentRef));
    return {
      parentRef: p.parentRef,
      controllerName: CONTROLLER_NAME,
      conditions: stampConditions(p.conditions, generation, prior?.conditions, now),
    };
  });
  return { parents: [...others, ...ours] };
}

/** A policy's status: one entry per ancestor; entries other controllers wrote stay as they are. */
function policyStatus(object: KubeObject, ancestors: readonly ParentReference[], conditions: readonly Cond[], previous: unknown, now: string): Rec {
  const before = field(previous, 'ancestors');
  const previousList = Array.isArray(before) ? (before as Rec[]) : [];
  const others = previousList.filter((a) => field(a, 'controllerName') !== CONTROLLER_NAME);
  const ours = ancestors.map((ancestorRef) => {
    const prior = previousList.find((a) => field(a, 'controllerName') === CONTROLLER_NAME && sameParentRef(field(a, 'ancestorRef') as ParentReference, ancestorRef));
    return { ancestorRef, controllerName: CONTROLLER_NAME, conditions: stampConditions(conditions, object.metadata.generation, field(prior, 'conditions'), now) };
  });
  // The CRDs hold at most 16 ancestors.
  return { ancestors: [...others, ...ours].slice(0, 16) };
}

/** Desired status of every object Portico owns, keyed by objectKey(kind, namespace, name). */
export function buildStatus(graph: Graph, options: StatusOptions): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const prev = (key: string) => options.previousStatus?.get(key);
  const now = options.now;

  for (const gc of graph.gatewayClasses) {
    const key = objectKey('GatewayClass', undefined, gc.object.metadata.name);
    out.set(key, {
      conditions: stampConditions(gc.conditions, gc.object.metadata.generation, field(prev(key), 'conditions'), now),
      supportedFeatures: supportedFeatures(options.addressSource).map((name) => ({ name })),
    });
  }

  for (const gw of graph.gateways) {
    const key = objectKey('Gateway', gw.object.metadata.namespace, gw.object.metadata.name);
    const generation = gw.object.metadata.generation;
    const previous = prev(key);
    const status: Rec = {
      // Addresses are reported as bound only for a Gateway that is accepted (and so served).
      addresses: gw.accepted ? [...gw.addresses.map((value) => ({ type: 'IPAddress', value })), ...(gw.hostnameAddresses ?? []).map((value) => ({ type: 'Hostname', value }))] : [],
      conditions: stampConditions(gw.conditions, generation, field(previous, 'conditions'), now),
      listeners: gw.listeners.map((l) => listenerStatus(l, generation, field(previous, 'listeners'), now)),
    };
    if (gw.object.spec.allowedListeners !== undefined || gw.listenerSets.length > 0) {
      status.attachedListenerSets = gw.listenerSets.filter((s) => s.accepted).length;
    }
    out.set(key, status);
  }

  for (const set of graph.listenerSets) {
    const key = objectKey('ListenerSet', set.object.metadata.namespace, set.object.metadata.name);
    const generation = set.object.metadata.generation;
    const previous = prev(key);
    const conds = set.conditions;
    out.set(key, {
      conditions: stampConditions(conds, generation, field(previous, 'conditions'), now),
      listeners: set.listeners.map((l) => listenerStatus(l, generation, field(previous, 'listeners'), now)),
    });
  }

  // A policy's status has an entry per ancestor (a Gateway), each with the policy's conditions.
  for (const policy of graph.backendTLSPolicies) {
    const meta = policy.object.metadata;
    const key = objectKey('BackendTLSPolicy', meta.namespace, meta.name);
    out.set(key, policyStatus(policy.object, policy.ancestors.map(gatewayAncestor), policy.conditions, prev(key), now));
  }
  for (const policy of [...graph.trafficPolicies.policies, ...graph.listenerPolicies.policies]) {
    const meta = policy.object.metadata;
    const key = objectKey(policy.object.kind, meta.namespace, meta.name);
    out.set(key, policyStatus(policy.object, policy.ancestors, policy.conditions, prev(key), now));
  }

  for (const route of graph.routes) {
    const key = objectKey(route.kind, route.object.metadata.namespace, route.object.metadata.name);
    const previous = prev(key);
    // Same parent conditions (the very objects) as last time: the status cannot have changed.
    const known = options.memo?.routeStatus.get(route.object);
    if (known && known.parents === route.parents && known.status === previous) {
      out.set(key, previous);
      continue;
    }
    const status = routeStatus(route, previous, now);
    options.memo?.routeStatus.set(route.object, { parents: route.parents, status });
    out.set(key, status);
  }
  return out;
}

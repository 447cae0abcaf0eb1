import { delegatedRules, isDelegationRef, type DelegationContext } from './delegation.js';
import type { RuleChecker } from '../api/data-plane.js';
import { GATEWAY_GROUP, ROUTE_KINDS } from '../api/kinds.js';
import { directResponseRef, type DirectResponseObject } from '../api/policy-spec.js';
import type { ResourceSet } from '../store/resources.js';
import type { AttachWork, GraphMemo, RouteWork } from './memo.js';
import { resolveBackend, type BackendContext } from './backends.js';
import { cond } from './conditions.js';
import { namespaceAllowed } from './gateways.js';
import { intersectHostnames } from '../api/hostnames.js';
import { routeKindAllowed } from './listeners.js';
import type { Cond, GraphGateway, GraphListener, GraphListenerSet, GraphRoute, ResolvedBackend, RouteAttachment, RouteKind } from './model.js';
import type { BackendRef, HTTPRouteFilter, ParentReference, RouteObject } from '../api/spec.js';

function listenerId(l: GraphListener): string {
  const set = l.listenerSet ? `${l.listenerSet.object.metadata.namespace}/${l.listenerSet.object.metadata.name}` : '';
  return `${l.gateway.key}|${set}|${l.name}`;
}

function replayAttachments(route: GraphRoute, work: AttachWork, listeners: ReadonlyMap<string, GraphListener>): void {
  route.parents = work.parents;
  for (const a of work.attachments) {
    const listener = listeners.get(a.listener);
    if (!listener) continue; // cannot happen while the Gateway inputs are unchanged
    const attachment: RouteAttachment = { route, listener, parentIndex: a.parentIndex, anyHost: a.anyHost, hostnames: a.hostnames };
    listener.routes.push(attachment);
    listener.attachedRoutes++;
    route.attachments.push(attachment);
  }
}

/** Route kinds whose attachment depends on hostnames. */
const HOSTNAME_KINDS = new Set<RouteKind>(['HTTPRoute', 'GRPCRoute', 'TLSRoute']);


function newRoute(object: RouteObject, kind: RouteKind): GraphRoute {
  return {
    object,
    kind,
    key: `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`,
    parents: [],
    attachments: [],
    ruleBackends: [],
    mirrorBackends: new Map(),
    invalidRules: new Map(),
    closedRules: new Map(),
    directResponses: new Map(),
  };
}

/** The child rules of each delegating rule; what was refused on the way makes ResolvedRefs False. */
function resolveDelegations(route: GraphRoute, ctx: DelegationContext): void {
  route.delegated = new Map();
  const problems: string[] = [];
  (route.object.spec.rules ?? []).forEach((rule, i) => {
    if (route.invalidRules.has(i) || !(rule.backendRefs ?? []).some(isDelegationRef)) return;
    const r = delegatedRules(route, i, ctx);
    route.delegated?.set(i, r.rules);
    problems.push(...r.problems);
  });
  if (problems.length > 0 && !route.backendProblem) route.backendProblem = { reason: 'BackendNotFound', message: `delegation: ${problems.join('; ')}` };
}

function resolveRules(route: GraphRoute, ctx: BackendContext, checkRule: RuleChecker | undefined): void {
  const ns = route.object.metadata.namespace ?? 'default';
  const rules = route.object.spec.rules ?? [];
  rules.forEach((rule, i) => {
    const refs: BackendRef[] = rule.backendRefs ?? [];
    const delegating = route.kind === 'HTTPRoute' ? refs.filter(isDelegationRef).length : 0;
    route.ruleBackends.push(
      refs.map((ref) => (route.kind === 'HTTPRoute' && isDelegationRef(ref) ? { id: '', namespace: ns, name: ref.name, weight: 0, endpoints: [], delegation: true as const } : resolveBackend(ref, { kind: route.kind, namespace: ns }, ctx))),
    );
    if (delegating > 0 && delegating < refs.length) route.invalidRules.set(i, 'a rule that delegates to HTTPRoutes names no other backend');
    const filters = 'filters' in rule ? rule.filters : undefined;
    const collectMirrors = (list: readonly HTTPRouteFilter[] | undefined, where: string) =>
      (list ?? []).forEach((f, fi) => {
        if (f.type === 'RequestMirror' && f.requestMirror) {
          route.mirrorBackends.set(`${where}/${fi}`, resolveBackend(f.requestMirror.backendRef, { kind: route.kind, namespace: ns }, ctx));
        }
      });
    collectMirrors(filters, `${i}`);
    refs.forEach((ref, bi) => collectMirrors(ref.filters, `${i}/${bi}`));
    const problem = checkRule?.(rule, route.kind);
    if (problem) (problem.answer500 ? route.closedRules : route.invalidRules).set(i, problem.message);
    // A DirectResponse is looked up in the route's namespace; a missing one makes the rule answer 500.
    (filters ?? []).forEach((f, fi) => {
      const ref = directResponseRef(f);
      if (!ref) return;
      const d = ctx.resources.get<DirectResponseObject>('DirectResponse', ns, ref.name);
      if (d) route.directResponses.set(`${i}/${fi}`, { status: d.spec.status, ...(d.spec.body !== undefined ? { body: d.spec.body } : {}) });
      else if (!problem) route.closedRules.set(i, `DirectResponse ${ns}/${ref.name} not found`);
    });
  });
  const all: ResolvedBackend[] = [...route.ruleBackends.flat(), ...route.mirrorBackends.values()];
  route.backendProblem = all.find((b) => b.problem)?.problem;
}

interface ParentTarget {
  gateway: GraphGateway;
  listeners: GraphListener[];
  /** Set when the parent exists but cannot take routes (e.g. a ListenerSet that is not accepted). */
  unusable?: string;
}

function findParent(ref: ParentReference, routeNs: string, gateways: Map<string, GraphGateway>, sets: Map<string, GraphListenerSet>): ParentTarget | undefined {
  const group = ref.group ?? GATEWAY_GROUP;
  const kind = ref.kind ?? 'Gateway';
  if (group !== GATEWAY_GROUP) return undefined;
  const key = `${ref.namespace ?? routeNs}/${ref.name}`;
  if (kind === 'Gateway') {
    const gateway = gateways.get(key);
    return gateway && { gateway, listeners: gateway.listeners };
  }
  if (kind === 'ListenerSet') {
    const set = sets.get(key);
    if (!set?.gateway) return undefined;
    return set.accepted
      ? { gateway: set.gateway, listeners: set.listeners }
      : { gateway: set.gateway, listeners: [], unusable: `ListenerSet ${key} is not accepted` };
  }
  return undefined;
}

/** Decides one parentRef: which listeners take the route, or why none does. */
function attachToParent(route: GraphRoute, ref: ParentReference, index: number, target: ParentTarget, resources: ResourceSet, acceptable: boolean, invalidAll: string | undefined): Cond {
  const routeNs = route.object.metadata.namespace ?? 'default';
  if (target.unusable) return cond('Accepted', false, 'NoMatchingParent', target.unusable);
  const candidates = target.listeners.filter(
    (l) => (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port),
  );
  if (candidates.length === 0) {
    const what = [ref.sectionName !== undefined ? `sectionName "${ref.sectionName}"` : '', ref.port !== undefined ? `port ${ref.port}` : '']
      .filter(Boolean)
      .join(' and ');
    return cond('Accepted', false, 'NoMatchingParent', what ? `no listener matches ${what}` : 'the parent has no listeners');
  }
  const refusals: string[] = [];
  const allowed = candidates.filter((l) => {
    if (!routeKindAllowed(l, route.kind)) {
      const kinds = l.supportedKinds.map((k) => k.kind).join(', ') || 'none';
      refusals.push(`listener "${l.name}" does not allow kind ${route.kind} (allowed: ${kinds})`);
      return false;
    }
    const owner = l.listenerSet?.object ?? l.gateway.object;
    const ns = l.spec.allowedRoutes?.namespaces;
    if (!namespaceAllowed(ns?.from, ns?.selector, owner.metadata.namespace ?? 'default', routeNs, resources)) {
      refusals.push(`listener "${l.name}" does not allow routes from namespace ${routeNs} (allowedRoutes.namespaces.from: ${ns?.from ?? 'Same'})`);
      return false;
    }
    return true;
  });
  if (allowed.length === 0) return cond('Accepted', false, 'NotAllowedByListeners', refusals.join('; '));
  const attachments: RouteAttachment[] = [];
  for (const listener of allowed) {
    const { anyHost, hostnames } = HOSTNAME_KINDS.has(route.kind)
      ? intersectHostnames(listener.hostname, route.object.spec.hostnames)
      : { anyHost: true, hostnames: [] };
    if (!anyHost && hostnames.length === 0) continue;
    attachments.push({ route, listener, parentIndex: index, anyHost, hostnames });
  }
  if (attachments.length === 0) {
    return cond('Accepted', false, 'NoMatchingListenerHostname', 'no listener hostname intersects the route hostnames');
  }
  if (!acceptable) return cond('Accepted', false, 'UnsupportedValue', invalidAll ?? 'no rule can be programmed');
  for (const a of attachments) {
    a.listener.routes.push(a);
    a.listener.attachedRoutes++;
    route.attachments.push(a);
  }
  return cond('Accepted', true, 'Accepted', 'Route is accepted');
}

export function buildRoutes(
  resources: ResourceSet,
  gateways: readonly GraphGateway[],
  listenerSets: readonly GraphListenerSet[],
  ctx: BackendContext,
  memo?: GraphMemo,
  checkRule?: RuleChecker,
): GraphRoute[] {
  const gatewaysByKey = new Map(gateways.map((g) => [g.key, g]));
  const setsByKey = new Map(
    listenerSets.map((s) => [`${s.object.metadata.namespace ?? 'default'}/${s.object.metadata.name}`, s]),
  );
  const listenersById = new Map<string, GraphListener>();
  for (const gw of gateways) {
    for (const l of [...gw.listeners, ...gw.listenerSets.flatMap((set) => set.listeners)]) listenersById.set(listenerId(l), l);
  }
  const out: GraphRoute[] = [];
  // Child routes of delegations, built once per translation whichever parents name them.
  const built = new Map<RouteObject, GraphRoute>();
  const delegators = new Map<GraphRoute, { parent: GraphRoute; accepted: Cond }[]>();
  const delegatedBy = (child: GraphRoute, parent: GraphRoute, accepted: Cond): void => {
    const list = delegators.get(child) ?? [];
    if (!list.some((d) => d.parent.key === parent.key)) list.push({ parent, accepted });
    delegators.set(child, list);
  };
  const childBuilder = (object: RouteObject): GraphRoute => {
    let child = built.get(object);
    if (!child) {
      child = newRoute(object, 'HTTPRoute');
      built.set(object, child);
      resolveRules(child, ctx, checkRule);
    }
    return child;
  };
  for (const kind of ROUTE_KINDS) {
    for (const object of resources.list<RouteObject>(kind)) {
      const ns = object.metadata.namespace ?? 'default';
      const attached = memo?.routeAttach.get(object);
      if (attached) {
        // An attachment is stored no earlier than the work it used, so it is fresh only if the work is.
        const work = memo?.routeWork.get(object) as RouteWork;
        const route: GraphRoute = { object, kind, key: `${ns}/${object.metadata.name}`, parents: [], attachments: [], ...work };
        replayAttachments(route, attached, listenersById);
        out.push(route);
        continue;
      }
      const route = newRoute(object, kind);
      const refs = object.spec.parentRefs ?? [];
      const targets = refs.map((ref) => findParent(ref, ns, gatewaysByKey, setsByKey));
      if (targets.every((t) => t === undefined)) continue; // no parent of ours: not our route
      const known = memo?.routeWork.get(object);
      const delegates = kind === 'HTTPRoute' && (object.spec.rules ?? []).some((r) => (r.backendRefs ?? []).some(isDelegationRef));
      if (known) Object.assign(route, known);
      else if (delegates) {
        // Not memoized: what it serves depends on other routes, which the memo does not watch.
        resolveRules(route, ctx, checkRule);
        resolveDelegations(route, { backends: ctx, child: childBuilder, delegatedBy, ...(checkRule ? { checkRule } : {}) });
      } else {
        resolveRules(route, ctx, checkRule);
        memo?.routeWork.set(object, {
          ruleBackends: route.ruleBackends,
          mirrorBackends: route.mirrorBackends,
          invalidRules: route.invalidRules,
          closedRules: route.closedRules,
          directResponses: route.directResponses,
          backendProblem: route.backendProblem,
        } satisfies RouteWork);
      }
      const ruleCount = (object.spec.rules ?? []).length;
      const unusable = route.invalidRules.size + route.closedRules.size;
      const acceptable = ruleCount === 0 || unusable < ruleCount;
      const invalidAll = acceptable ? undefined : [...route.invalidRules.values(), ...route.closedRules.values()].join('; ');
      const resolved: Cond = route.backendProblem
        ? cond('ResolvedRefs', false, route.backendProblem.reason, route.backendProblem.message)
        : cond('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved');
      refs.forEach((ref, index) => {
        const target = targets[index];
        if (!target) return;
        const accepted = attachToParent(route, ref, index, target, resources, acceptable, invalidAll);
        const conditions = [accepted, resolved];
        // Only for an accepted route with some rules dropped; the spec asks for this prefix.
        if (accepted.status === 'True' && unusable > 0) {
          const which = [
            ...[...route.invalidRules.entries()].map(([i, why]) => [i, `Dropped Rule ${i}: ${why}`] as const),
            ...[...route.closedRules.entries()].map(([i, why]) => [i, `Rule ${i} answers 500: ${why}`] as const),
          ]
            .sort(([a], [b]) => a - b)
            .map(([, text]) => text)
            .join('; ');
          conditions.push(cond('PartiallyInvalid', true, 'UnsupportedValue', which));
        }
        route.parents.push({ parentRef: ref, index, conditions });
      });
      if (!delegates) memo?.routeAttach.set(object, {
        parents: route.parents,
        attachments: route.attachments.map((a) => ({ listener: listenerId(a.listener), parentIndex: a.parentIndex, anyHost: a.anyHost, hostnames: a.hostnames })),
      } satisfies AttachWork);
      out.push(route);
    }
  }
  addDelegationParents(out, delegators);
  return out;
}

/**
 * Children of delegations get a status entry per parent route (parentRef kind HTTPRoute), on the
 * route itself when it is also attached to a Gateway, else as a route of their own that attaches
 * nowhere: TrafficPolicies can then target them.
 */
function addDelegationParents(out: GraphRoute[], delegators: ReadonlyMap<GraphRoute, { parent: GraphRoute; accepted: Cond }[]>): void {
  for (const [child, list] of delegators) {
    let target = out.find((r) => r.object === child.object);
    if (!target) {
      target = child;
      out.push(child);
    }
    const resolved: Cond = child.backendProblem
      ? cond('ResolvedRefs', false, child.backendProblem.reason, child.backendProblem.message)
      : cond('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved');
    const entries = list.map(({ parent, accepted }) => ({
      parentRef: { group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: parent.object.metadata.namespace ?? 'default', name: parent.object.metadata.name },
      index: -1,
      conditions: [accepted, resolved],
    }));
    // A new array: an attached route's parents may be the memo's.
    target.parents = [...target.parents, ...entries];
  }
}

/**
 * Memory between translations, the graph's part and the input tracking every stage's memo
 * shares. Entries are keyed by object identity: the store hands over the same object while it
 * is unchanged. A route's entries depend on the Services it names: a Service or EndpointSlice
 * change makes only those routes' entries stale. Other shared inputs (a ReferenceGrant, a
 * Gateway …) drop the dependent memos wholesale, which keeps the rules simple: a hit is never
 * stale.
 */
import { MULTICLUSTER_GROUP } from '../api/kinds.js';
import { importKey, MULTICLUSTER_SERVICE_NAME_LABEL } from '../api/multicluster.js';
import type { KindName } from '../api/kinds.js';
import type { KubeObject } from '../api/object.js';
import type { ResourceSet } from '../store/resources.js';
import type { GraphRoute } from './model.js';

/** What changed in an update, beyond Services and EndpointSlices (tracked per route). */
export interface InputChange {
  /**
   * ReferenceGrants, BackendTLSPolicies or the ConfigMaps they read: any route's backend
   * resolution may differ; TrafficPolicies and DirectResponses: any route's rules may.
   */
  grants: boolean;
  /** Gateways, listeners' inputs or the translation options: any attachment may differ. */
  gateways: boolean;
}

/** Kinds whose objects every route's backend resolution may read. */
const SERVICE_KINDS = ['Service', 'EndpointSlice', 'ServiceImport'] as const satisfies readonly KindName[];
/** Kinds besides Services whose objects any route's backend resolution may read. */
const BACKEND_KINDS = ['ReferenceGrant', 'BackendTLSPolicy', 'ConfigMap', 'TrafficPolicy', 'DirectResponse', 'GatewayExtension', 'Backend'] as const satisfies readonly KindName[];
/** Kinds that shape Gateways and listeners. */
const GATEWAY_KINDS: readonly KindName[] = ['GatewayClass', 'Gateway', 'ListenerSet', 'Secret', 'Namespace', 'ConfigMap', 'ListenerPolicy', 'HTTPListenerPolicy', 'GatewayParameters'];

function sameObjects(a: readonly KubeObject[], b: readonly KubeObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** "namespace/name" of every Service a route's backendRefs and mirrors name. */
function servicesOfRoute(route: KubeObject): string[] {
  const ns = route.metadata.namespace ?? 'default';
  const out = new Set<string>();
  const add = (ref: unknown): void => {
    const r = ref as { group?: string; kind?: string; name?: string; namespace?: string } | undefined;
    if (r?.name && (r.kind ?? 'Service') === 'Service' && (r.group ?? '') === '') out.add(`${r.namespace ?? ns}/${r.name}`);
    if (r?.name && r.kind === 'ServiceImport' && r.group === MULTICLUSTER_GROUP) out.add(importKey(r.namespace ?? ns, r.name));
  };
  const filters = (list: unknown): void => {
    for (const f of (list as { requestMirror?: { backendRef?: unknown } }[] | undefined) ?? []) add(f.requestMirror?.backendRef);
  };
  for (const rule of ((route.spec as { rules?: unknown[] } | undefined)?.rules ?? []) as { backendRefs?: unknown[]; filters?: unknown }[]) {
    filters(rule.filters);
    for (const ref of rule.backendRefs ?? []) {
      add(ref);
      filters((ref as { filters?: unknown }).filters);
    }
  }
  return [...out];
}

/** The Service an object belongs to: itself, or the one an EndpointSlice is labelled with. */
export function serviceKeyOf(o: KubeObject): string | undefined {
  const ns = o.metadata.namespace ?? 'default';
  if (o.kind === 'ServiceImport') return importKey(ns, o.metadata.name);
  const name = o.kind === 'Service' ? o.metadata.name : o.metadata.labels?.['kubernetes.io/service-name'];
  if (name) return `${ns}/${name}`;
  const imported = o.metadata.labels?.[MULTICLUSTER_SERVICE_NAME_LABEL];
  return imported ? importKey(ns, imported) : undefined;
}

/** Services whose Service or EndpointSlice objects differ between two lists (by identity). */
export function changedServices(before: readonly KubeObject[], after: readonly KubeObject[]): Set<string> {
  const out = new Set<string>();
  const a = new Set(before);
  const b = new Set(after);
  const note = (o: KubeObject) => {
    const key = serviceKeyOf(o);
    if (key) out.add(key); // an EndpointSlice of no Service concerns no route
  };
  for (const o of after) if (!a.has(o)) note(o);
  for (const o of before) if (!b.has(o)) note(o);
  return out;
}

/** Watches the inputs between snapshots: which Services changed when, and what else changed. */
export class InputTracker {
  /** Counts updates; an entry stored at tick t is fresh while its route's Services are unchanged since t. */
  tick = 0;
  private serviceInputs: KubeObject[][] = [];
  private grantInputs: readonly KubeObject[] = [];
  private gatewayInputs: KubeObject[][] = [];
  private optionsKey = '';
  private readonly serviceChangedAt = new Map<string, number>();
  /** The highest tick in serviceChangedAt: an entry stored since is fresh without looking further. */
  private lastServiceChange = 0;
  private readonly servicesOf = new WeakMap<KubeObject, string[]>();

  /** Takes the next snapshot and says what changed that per-route tracking does not cover. */
  update(resources: ResourceSet, optionsKey: string): InputChange {
    const services = SERVICE_KINDS.map((k) => resources.list(k));
    const grants = BACKEND_KINDS.flatMap((k) => resources.list(k));
    const gateways = GATEWAY_KINDS.map((k) => resources.list(k));
    const change: InputChange = {
      grants: !sameObjects(grants, this.grantInputs),
      gateways: !gateways.every((list, i) => sameObjects(list, this.gatewayInputs[i] ?? [])) || optionsKey !== this.optionsKey,
    };
    this.tick++;
    // After a grant change every route memo is dropped, so per-Service ticks would not matter.
    if (!change.grants) {
      services.forEach((list, i) => {
        const before = this.serviceInputs[i] ?? [];
        if (sameObjects(list, before)) return;
        for (const key of changedServices(before, list)) {
          this.serviceChangedAt.set(key, this.tick);
          this.lastServiceChange = this.tick;
        }
      });
    }
    this.serviceInputs = services;
    this.grantInputs = grants;
    this.gatewayInputs = gateways;
    this.optionsKey = optionsKey;
    return change;
  }

  /** Whether no Service the route names has changed since `tick`. */
  unchangedSince(route: KubeObject, tick: number): boolean {
    if (tick >= this.lastServiceChange) return true;
    let services = this.servicesOf.get(route);
    if (!services) {
      services = servicesOfRoute(route);
      this.servicesOf.set(route, services);
    }
    return services.every((s) => (this.serviceChangedAt.get(s) ?? 0) <= tick);
  }
}

/** Per route object, a value computed from the route and the Services it names. */
export class RouteMemo<T> {
  private readonly entries = new WeakMap<KubeObject, { value: T; tick: number }>();

  constructor(private readonly inputs: InputTracker) {}

  get(route: KubeObject): T | undefined {
    const e = this.entries.get(route);
    return e && this.inputs.unchangedSince(route, e.tick) ? e.value : undefined;
  }

  set(route: KubeObject, value: T): void {
    this.entries.set(route, { value, tick: this.inputs.tick });
  }
}

/** What resolving a route's rules computes: a function of the route and the backend kinds only. */
export type RouteWork = Pick<GraphRoute, 'ruleBackends' | 'mirrorBackends' | 'invalidRules' | 'closedRules' | 'directResponses' | 'backendProblem'>;

/** Where a route attached, by listener id, so an unchanged route can be re-attached cheaply. */
export interface AttachWork {
  parents: GraphRoute['parents'];
  attachments: { listener: string; parentIndex: number; anyHost: boolean; hostnames: string[] }[];
}

/** The graph's memory: per route, its resolved rules and where it attached. */
export class GraphMemo {
  routeWork: RouteMemo<RouteWork>;
  /** Needs both the route's and the Gateways' inputs unchanged. */
  routeAttach: RouteMemo<AttachWork>;

  constructor(private readonly inputs: InputTracker) {
    this.routeWork = new RouteMemo(inputs);
    this.routeAttach = new RouteMemo(inputs);
  }

  /** Drops what the change made stale. */
  invalidate(change: InputChange): void {
    if (change.grants) this.routeWork = new RouteMemo(this.inputs);
    if (change.grants || change.gateways) this.routeAttach = new RouteMemo(this.inputs);
  }
}

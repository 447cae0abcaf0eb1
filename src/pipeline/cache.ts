import type { KubeObject } from '../api/object.js';
import type { KindName } from '../api/kinds.js';
import type { ResourceSet } from '../store/resources.js';

/** Kinds whose objects every route's backend resolution may read. */
const BACKEND_KINDS: readonly KindName[] = ['Service', 'EndpointSlice', 'ReferenceGrant'];
/** Kinds that shape Gateways and listeners (beyond the backend kinds). */
const GATEWAY_KINDS: readonly KindName[] = ['GatewayClass', 'Gateway', 'ListenerSet', 'Secret', 'Namespace', 'ConfigMap'];

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
  const name = o.kind === 'Service' ? o.metadata.name : o.metadata.labels?.['kubernetes.io/service-name'];
  return name ? `${o.metadata.namespace ?? 'default'}/${name}` : undefined;
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

/**
 * Per route object, a value computed from the route and the Services it names. An entry is
 * stale once one of those Services (or its EndpointSlices) changed after it was stored.
 */
class RouteMemo {
  private entries = new WeakMap<KubeObject, { value: unknown; tick: number }>();

  constructor(private readonly cache: TranslationCache) {}

  get(route: KubeObject): unknown {
    const e = this.entries.get(route);
    return e && this.cache.unchangedSince(route, e.tick) ? e.value : undefined;
  }

  set(route: KubeObject, value: unknown): void {
    this.entries.set(route, { value, tick: this.cache.tick });
  }
}

/**
 * Memory between translations so that editing one route of many re-does the work of that route
 * and its Gateway only. Entries are keyed by object identity: the store hands over the same
 * object while it is unchanged. Route entries depend on the Services the route names: a Service
 * or EndpointSlice change makes only those routes' entries stale. Other shared inputs (a
 * ReferenceGrant, a Gateway …) drop the dependent caches wholesale, which keeps the rules simple:
 * a cache hit can never be stale.
 */
export class TranslationCache {
  private backendInputs: KubeObject[][] = [];
  private gatewayInputs: KubeObject[][] = [];
  private optionsKey = '';
  /** Counts updates; a route entry stored at tick t is fresh while its Services are unchanged since t. */
  tick = 0;
  private readonly serviceChangedAt = new Map<string, number>();
  /** The highest tick in serviceChangedAt: an entry stored since is fresh without looking further. */
  private lastServiceChange = 0;
  private readonly servicesOf = new WeakMap<KubeObject, string[]>();
  /** Per route object: work that depends only on the route and the backend kinds. */
  routeWork = new RouteMemo(this);
  /** Per route object: its IR rules, same dependencies as routeWork. */
  routeRules = new RouteMemo(this);
  /** Per route object: where it attached and its parent conditions; needs both inputs unchanged. */
  routeAttach = new RouteMemo(this);
  /** Per route object: its last status, reused while its parent conditions are the same objects. */
  routeStatus = new WeakMap<KubeObject, { parents: unknown; status: unknown }>();
  /** Per Gateway object: its IR, valid while its listeners carry the same route objects. */
  gatewayIR = new WeakMap<KubeObject, { signature: unknown[]; ir: unknown; tick: number }>();

  /** Drops whatever the new snapshot may have made stale. */
  update(resources: ResourceSet, optionsKey: string): void {
    const backend = BACKEND_KINDS.map((k) => resources.list(k));
    const gateway = GATEWAY_KINDS.map((k) => resources.list(k));
    const changed = backend.map((list, i) => !sameObjects(list, this.backendInputs[i] ?? []));
    const gatewayChanged = !gateway.every((list, i) => sameObjects(list, this.gatewayInputs[i] ?? []));
    this.tick++;
    const grantsChanged = changed[2];
    if (grantsChanged) {
      this.routeWork = new RouteMemo(this);
      this.routeRules = new RouteMemo(this);
    } else {
      // Services and EndpointSlices: only the routes naming a changed Service go stale.
      for (const i of [0, 1]) {
        if (!changed[i]) continue;
        for (const key of changedServices(this.backendInputs[i] ?? [], backend[i] ?? [])) {
          this.serviceChangedAt.set(key, this.tick);
          this.lastServiceChange = this.tick;
        }
      }
    }
    if (grantsChanged || gatewayChanged || optionsKey !== this.optionsKey) {
      this.gatewayIR = new WeakMap();
      this.routeAttach = new RouteMemo(this);
    }
    this.backendInputs = backend;
    this.gatewayInputs = gateway;
    this.optionsKey = optionsKey;
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

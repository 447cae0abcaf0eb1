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

/**
 * Memory between translations so that editing one route of many re-does the work of that route
 * and its Gateway only. Entries are keyed by object identity: the store hands over the same
 * object while it is unchanged. Whenever an object that many routes depend on changes (a
 * Service, an EndpointSlice, a Gateway …), the dependent caches are dropped wholesale, which keeps
 * the rules simple: a cache hit can never be stale.
 */
export class TranslationCache {
  private backendInputs: KubeObject[][] = [];
  private gatewayInputs: KubeObject[][] = [];
  private optionsKey = '';
  /** Per route object: work that depends only on the route and the backend kinds. */
  routeWork = new WeakMap<KubeObject, unknown>();
  /** Per route object: its IR rules, same dependencies as routeWork. */
  routeRules = new WeakMap<KubeObject, unknown>();
  /** Per route object: where it attached and its parent conditions; needs both inputs unchanged. */
  routeAttach = new WeakMap<KubeObject, unknown>();
  /** Per route object: its last status, reused while its parent conditions are the same objects. */
  routeStatus = new WeakMap<KubeObject, { parents: unknown; status: unknown }>();
  /** Per Gateway object: its IR, valid while its listeners carry the same route objects. */
  gatewayIR = new WeakMap<KubeObject, { signature: unknown[]; ir: unknown }>();

  /** Drops whatever the new snapshot may have made stale. */
  update(resources: ResourceSet, optionsKey: string): void {
    const backend = BACKEND_KINDS.map((k) => resources.list(k));
    const gateway = GATEWAY_KINDS.map((k) => resources.list(k));
    const backendChanged = !backend.every((list, i) => sameObjects(list, this.backendInputs[i] ?? []));
    const gatewayChanged = !gateway.every((list, i) => sameObjects(list, this.gatewayInputs[i] ?? []));
    if (backendChanged) {
      this.routeWork = new WeakMap();
      this.routeRules = new WeakMap();
    }
    if (backendChanged || gatewayChanged || optionsKey !== this.optionsKey) {
      this.gatewayIR = new WeakMap();
      this.routeAttach = new WeakMap();
    }
    this.backendInputs = backend;
    this.gatewayInputs = gateway;
    this.optionsKey = optionsKey;
  }
}

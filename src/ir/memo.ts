import type { KubeObject } from '../api/object.js';
import { RouteMemo, type InputChange, type InputTracker } from '../graph/memo.js';
import type { IRGateway, IRHTTPRule } from './model.js';

/** The IR stage's memory between translations: per route its rules, per Gateway its IR. */
export class IRMemo {
  /** Per route object: its IR rules, stale when a Service it names changed. */
  routeRules: RouteMemo<IRHTTPRule[]>;
  /** Per Gateway object: its IR, valid while its listeners carry the same route objects. */
  gatewayIR = new WeakMap<KubeObject, { signature: unknown[]; ir: IRGateway; tick: number }>();

  constructor(readonly inputs: InputTracker) {
    this.routeRules = new RouteMemo(inputs);
  }

  /** Drops what the change made stale. */
  invalidate(change: InputChange): void {
    if (change.grants) this.routeRules = new RouteMemo(this.inputs);
    if (change.grants || change.gateways) this.gatewayIR = new WeakMap();
  }
}

/**
 * A Gateway's IR by route: which routes it serves, what each contributes, and the same IR without
 * some of them. The data plane uses these to serve a Gateway without the routes HAProxy refuses
 * (src/haproxy/refusals.ts).
 */
import type { IRGateway, IRHTTPRule, IRRouteRef, IRStreamRoute } from './model.js';

/** "Kind/namespace/name", as route status keys are built. */
export function routeKey(r: IRRouteRef): string {
  return `${r.kind}/${r.namespace}/${r.name}`;
}

function eachRouteItem(gw: IRGateway, visit: (key: string, item: IRHTTPRule | IRStreamRoute) => void): void {
  for (const p of gw.ports) {
    for (const l of p.listeners) {
      for (const v of l.virtualHosts) for (const r of v.rules) visit(routeKey(r.route), r);
      for (const s of l.streams) visit(routeKey(s.route), s);
    }
  }
}

/** Every route the Gateway serves, each once, in the order the IR first names them. */
export function routeKeys(gw: IRGateway): string[] {
  const out = new Set<string>();
  eachRouteItem(gw, (key) => out.add(key));
  return [...out];
}

/**
 * What the route contributes to the Gateway, as text: the same text means the same rules,
 * streams and backends in the same places. Lets the data plane keep leaving out a route HAProxy
 * refused for as long as it has not changed.
 */
export function routeContent(gw: IRGateway, key: string): string {
  const items: unknown[] = [];
  eachRouteItem(gw, (k, item) => {
    if (k === key) items.push(item);
  });
  const backends = new Set<string>();
  for (const item of items as (IRHTTPRule | IRStreamRoute)[]) for (const b of item.backends) backends.add(b.backend);
  return JSON.stringify([items, [...backends].sort().map((id) => gw.backends[id])]);
}

/** The Gateway without the given routes' rules and streams. Backends are left as they are. */
export function withoutRoutes(gw: IRGateway, excluded: ReadonlySet<string>): IRGateway {
  if (excluded.size === 0) return gw;
  return {
    ...gw,
    ports: gw.ports.map((p) => ({
      ...p,
      listeners: p.listeners.map((l) => ({
        ...l,
        virtualHosts: l.virtualHosts.map((v) => ({ ...v, rules: v.rules.filter((r) => !excluded.has(routeKey(r.route))) })),
        streams: l.streams.filter((s) => !excluded.has(routeKey(s.route))),
      })),
    })),
  };
}

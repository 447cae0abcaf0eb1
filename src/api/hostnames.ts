/** Hostname matching as the Gateway API defines it: "*." wildcards match one or more labels. */

/** True when a concrete or wildcard hostname `host` is matched by the pattern `pattern`. */
export function hostnameMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1); // ".example.com"
  // A wildcard needs at least one label in front of its suffix; a wildcard host is covered
  // when its own suffix is at least as long (e.g. "*.a.example.com" under "*.example.com").
  if (host.startsWith('*.')) return host.length > pattern.length && host.endsWith(suffix);
  return host.length > suffix.length && host.endsWith(suffix);
}

/**
 * The hostnames a route answers to on a listener: the intersection of the listener hostname and
 * the route's hostnames. `undefined` listener hostname matches everything. Returns [] when the
 * route has hostnames and none intersect; ["*"]-free: a route without hostnames on a listener
 * without one yields [] meaning "any host" is signalled by `anyHost`.
 */
export function intersectHostnames(
  listenerHostname: string | undefined,
  routeHostnames: readonly string[] | undefined,
): { anyHost: boolean; hostnames: string[] } {
  const route = routeHostnames ?? [];
  if (route.length === 0) {
    return listenerHostname ? { anyHost: false, hostnames: [listenerHostname] } : { anyHost: true, hostnames: [] };
  }
  if (!listenerHostname) return { anyHost: false, hostnames: [...new Set(route)] };
  const out = new Set<string>();
  for (const h of route) {
    if (hostnameMatches(listenerHostname, h)) out.add(h);
    else if (hostnameMatches(h, listenerHostname)) out.add(listenerHostname);
  }
  return { anyHost: false, hostnames: [...out] };
}

/**
 * Specificity order used to pick the listener (and virtual host) for a request: exact names
 * before wildcards, longer wildcards before shorter ones, "any host" last.
 */
export function compareHostnameSpecificity(a: string | undefined, b: string | undefined): number {
  const rank = (h: string | undefined): [number, number] => {
    if (h === undefined || h === '' || h === '*') return [2, 0];
    if (h.startsWith('*.')) return [1, -h.length];
    return [0, -h.length];
  };
  const [ra, la] = rank(a);
  const [rb, lb] = rank(b);
  if (ra !== rb) return ra - rb;
  if (la !== lb) return la - lb;
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}

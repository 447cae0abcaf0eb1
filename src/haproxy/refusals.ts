/**
 * The last line of defence of tenant isolation: when HAProxy refuses a Gateway's configuration
 * for a value no check foresaw, find the routes responsible, so the Gateway can be served without
 * them (and they can say so in their status) instead of not at all.
 */

export interface SearchLimits {
  /** Give up past this many refused routes: something else is wrong. */
  maxRefused: number;
  /** Give up past this many checks (each one `haproxy -c` of the whole configuration). */
  maxChecks: number;
}

const DEFAULT_LIMITS: SearchLimits = { maxRefused: 8, maxChecks: 64 };

/**
 * The routes to leave out so that `accepts` holds, found by binary search: with the routes already
 * found left out, the shortest prefix of the others that is refused ends with a route that is
 * refused. About log2(n) checks per route found. Undefined when the configuration is refused even
 * without any route (not a route's doing), or when the limits are reached. Assumes that adding
 * routes never turns a refused configuration into an accepted one.
 */
export async function findRefusedRoutes(
  routes: readonly string[],
  accepts: (excluded: ReadonlySet<string>) => Promise<boolean>,
  limits: SearchLimits = DEFAULT_LIMITS,
): Promise<string[] | undefined> {
  let checks = 0;
  const check = async (excluded: ReadonlySet<string>): Promise<boolean> => {
    checks++;
    return accepts(excluded);
  };
  if (!(await check(new Set(routes)))) return undefined;
  const refused: string[] = [];
  for (;;) {
    if (await check(new Set(refused))) return refused;
    if (refused.length >= limits.maxRefused) return undefined;
    const rest = routes.filter((r) => !refused.includes(r));
    // Invariant: the first `low` routes of `rest` are accepted together, the first `high` are not.
    let low = 0;
    let high = rest.length;
    while (high - low > 1) {
      if (checks >= limits.maxChecks) return undefined;
      const mid = Math.floor((low + high) / 2);
      if (await check(new Set([...refused, ...rest.slice(mid)]))) low = mid;
      else high = mid;
    }
    refused.push(rest[high - 1] as string);
  }
}

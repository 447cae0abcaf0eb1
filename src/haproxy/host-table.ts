import { compareHostnameSpecificity, hostnameMatches } from '../api/hostnames.js';
import type { IRListener, IRPort, IRVirtualHost } from '../ir/model.js';

/** Where a request for some host lands on one port: a listener and one of its virtual hosts. */
export interface HostTarget {
  listener: IRListener;
  vhost: IRVirtualHost;
}

/**
 * The host lookup of one port, decided ahead of time. A request's host selects the most specific
 * listener (listener isolation), then that listener's most specific virtual host. Exact names are
 * resolved one by one; any other host's answer depends only on the longest wildcard it matches,
 * because all wildcards matching one host are suffixes of each other. So three tables cover every
 * host: exact names, wildcard suffixes (longest first), and a default.
 */
export type HostTable = PatternTable<HostTarget>;

/** Answers decided ahead of time for every name: see HostTable. */
export interface PatternTable<T> {
  exact: Map<string, T | undefined>;
  /** Wildcard patterns ("*.example.com"), longest first, with their answers. */
  wildcards: [string, T | undefined][];
  fallback: T | undefined;
}

/** Most specific pattern (by compareHostnameSpecificity) that covers `host`, if any. */
export function mostSpecific<T>(items: readonly T[], patternOf: (t: T) => string | undefined, covers: (pattern: string | undefined) => boolean): T | undefined {
  return items.filter((i) => covers(patternOf(i))).sort((a, b) => compareHostnameSpecificity(patternOf(a), patternOf(b)))[0];
}

/**
 * The most specific of a listener's virtual hosts covering `name` (a hostname, a wildcard, or
 * undefined for "any host"), found by walking the name's wildcard suffixes longest first instead
 * of testing every virtual host: a listener can have thousands.
 */
export function coveringVhost(byName: ReadonlyMap<string, IRVirtualHost>, name: string | undefined): IRVirtualHost | undefined {
  if (name !== undefined) {
    const own = byName.get(name);
    if (own) return own;
    const rest = name.startsWith('*.') ? name.slice(2) : name;
    for (let dot = rest.indexOf('.'); dot >= 0; dot = rest.indexOf('.', dot + 1)) {
      const wildcard = byName.get(`*${rest.slice(dot)}`);
      if (wildcard) return wildcard;
    }
  }
  return byName.get('*');
}

export function buildHostTable(port: IRPort): HostTable {
  const listeners = port.listeners.filter((l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS');
  const patterns = new Set<string>();
  const vhostsOf = new Map<IRListener, Map<string, IRVirtualHost>>();
  for (const l of listeners) {
    if (l.hostname) patterns.add(l.hostname);
    for (const v of l.virtualHosts) if (v.hostname !== '*') patterns.add(v.hostname);
    vhostsOf.set(l, new Map(l.virtualHosts.map((v) => [v.hostname, v])));
  }
  return buildPatternTable(patterns, (covers, name) => {
    const listener = mostSpecific(listeners, (l) => l.hostname, covers);
    const vhost = listener && coveringVhost(vhostsOf.get(listener) ?? new Map(), name);
    return listener && vhost ? { listener, vhost } : undefined;
  });
}

/**
 * The answer for every name, from the hostname patterns that can matter (listener and route
 * hostnames) and `answer`, which decides from a predicate telling which patterns (undefined: no
 * hostname) cover the names in question.
 */
export function buildPatternTable<T>(
  patterns: Iterable<string>,
  answer: (covers: (pattern: string | undefined) => boolean, name: string | undefined) => T | undefined,
): PatternTable<T> {
  const exact = new Map<string, T | undefined>();
  const wildcards: [string, T | undefined][] = [];
  for (const p of new Set(patterns)) {
    if (p.startsWith('*.')) {
      // Hosts whose longest matching wildcard is p: a pattern covers them when it is p itself,
      // a shorter wildcard covering p, or no hostname at all.
      wildcards.push([p, answer((q) => q === undefined || q === p || (q.startsWith('*.') && hostnameMatches(q, p)), p)]);
    } else {
      exact.set(p, answer((q) => q === undefined || hostnameMatches(q, p), p));
    }
  }
  wildcards.sort(([a], [b]) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  return { exact, wildcards, fallback: answer((q) => q === undefined, undefined) };
}

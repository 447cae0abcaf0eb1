/**
 * Changes a running HAProxy takes without a reload. Two renderings whose configurations differ
 * only in server addresses, weights and states (and comments), and whose files differ only in the
 * routing maps, are turned one into the other through the runtime API: `set server` commands, and
 * whole map contents replaced in one step each. Routes added, changed or removed whose backends
 * already exist change only maps, so they need no reload; anything else does.
 */
import type { HaproxyConfig } from './config-model.js';
import { endpointCommands } from './endpoint-update.js';
import { GROUPS_MAP } from './route-groups.js';

/** Maps whose content may change at run time: what they answer is looked up anew per request. */
const ROUTING_MAP = /^p\d+\.(?:hosts|wild|exact|prefix|listeners|listeners-wild)\.map$/;

export interface MapReplacement {
  /** The map's file name. */
  file: string;
  content: string;
}

export interface RuntimePlan {
  /**
   * In this order: the groups map with the old and the new groups (so no routing entry ever names
   * a missing group), the changed routing maps (path maps before host maps, so a new host only
   * leads to keys that exist), then the groups map with the new groups only.
   */
  maps: MapReplacement[];
  /** `set server` commands. */
  servers: string[];
}

function entries(content: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of content.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) out.set(line.slice(0, space), line.slice(space + 1));
  }
  return out;
}

/** Path maps first: see RuntimePlan.maps. */
function mapRank(file: string): number {
  return /\.(?:exact|prefix)\.map$/.test(file) ? 0 : 1;
}

/** How to take a running configuration `from` to `to` through the runtime API, or undefined when that needs a reload. */
export function runtimePlan(from: HaproxyConfig, to: HaproxyConfig): RuntimePlan | undefined {
  const servers = endpointCommands(from, to);
  if (!servers) return undefined;
  const names = Object.keys(to.files);
  if (names.length !== Object.keys(from.files).length) return undefined;
  const changed: string[] = [];
  for (const name of names) {
    const before = from.files[name];
    const after = to.files[name] as string;
    if (before === undefined) return undefined;
    if (before === after) continue;
    if (name !== GROUPS_MAP && !ROUTING_MAP.test(name)) return undefined;
    changed.push(name);
  }
  const maps: MapReplacement[] = [];
  let groupsAfter: MapReplacement | undefined;
  if (changed.includes(GROUPS_MAP)) {
    const old = entries(from.files[GROUPS_MAP] as string);
    const next = entries(to.files[GROUPS_MAP] as string);
    // Keys are hashes of their definitions (GroupTable): one that changed meaning is not ours to replace in place.
    for (const [key, value] of next) if (old.has(key) && old.get(key) !== value) return undefined;
    const union = new Map([...old, ...next]);
    maps.push({ file: GROUPS_MAP, content: [...union].map(([k, v]) => `${k} ${v}\n`).join('') });
    if (union.size !== next.size) groupsAfter = { file: GROUPS_MAP, content: to.files[GROUPS_MAP] as string };
  }
  const routing = changed.filter((n) => n !== GROUPS_MAP).sort((a, b) => mapRank(a) - mapRank(b) || (a < b ? -1 : 1));
  for (const file of routing) maps.push({ file, content: to.files[file] as string });
  if (groupsAfter) maps.push(groupsAfter);
  return { maps, servers };
}

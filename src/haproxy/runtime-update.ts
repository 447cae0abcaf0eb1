/**
 * Changes a running HAProxy takes without a reload. Two configurations that differ only in server
 * addresses, weights and states (and comments), and whose files differ only in the routing maps,
 * are turned one into the other through the runtime API: `set server` commands, and per map
 * either its changed entries (`add map`, `set map`, `del map`) or its whole content replaced in
 * one step. Routes added, changed or removed whose backends already exist change only maps, so
 * they need no reload; anything else does.
 */
import type { HaproxyConfig } from './config-model.js';
import { endpointCommands } from './endpoint-update.js';
import { GROUPS_MAP } from './route-groups.js';

/** Maps whose content may change at run time: what they answer is looked up anew per request. */
const ROUTING_MAP = /^p\d+\.(?:hosts|wild|exact|prefix|listeners|listeners-wild)\.map$/;

/**
 * One change to one map of the running worker: its whole content replaced in one step, or, when
 * few entries change, entries added (a payload of map lines), one entry's value set, or one entry
 * deleted. `file` is the map's file name.
 */
export type MapStep =
  | { file: string; replace: string }
  | { file: string; add: string }
  | { file: string; set: { key: string; value: string } }
  | { file: string; del: string };

export interface RuntimePlan {
  /**
   * In this order: new groups (so no routing entry ever names a missing group); the routing maps'
   * new and changed entries, path maps before host maps (so a new host only leads to keys that
   * exist); their removed entries, host maps first; then the groups no longer used.
   */
  maps: MapStep[];
  /** `set server` commands. */
  servers: string[];
}

/**
 * Above this many changed entries a map is replaced whole: a command per entry costs more than
 * HAProxy reading the whole map again (about 50 ms for 10,000 entries here).
 */
const MAX_ENTRY_STEPS = 64;
/**
 * Keys and values sent as arguments of a runtime API command (`set map`, `del map`): the CLI
 * splits on spaces and ";" and reads "\\" as an escape, so anything else goes through a whole
 * replacement, whose lines HAProxy reads like the file.
 */
const CLI_WORD = /^[A-Za-z0-9._~!$&()*+,=:@/%|?-]+$/;

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

interface EntryDiff {
  added: [string, string][];
  changed: [string, string][];
  removed: string[];
}

function entryDiff(before: string, after: string): EntryDiff {
  // Lines present in both are the same entries: only the others are parsed (a new route leaves
  // all but a few of 10,000 lines alone).
  const oldLines = before.split('\n');
  const newLines = after.split('\n');
  const oldSet = new Set(oldLines);
  const newSet = new Set(newLines);
  const old = entries(oldLines.filter((l) => !newSet.has(l)).join('\n'));
  const next = entries(newLines.filter((l) => !oldSet.has(l)).join('\n'));
  const diff: EntryDiff = { added: [], changed: [], removed: [] };
  for (const [key, value] of next) {
    if (old.has(key)) diff.changed.push([key, value]);
    else diff.added.push([key, value]);
  }
  for (const key of old.keys()) if (!next.has(key)) diff.removed.push(key);
  return diff;
}

/** Whether the diff goes entry by entry: small, and every argument safe on the command line. */
function byEntry(diff: EntryDiff): boolean {
  if (diff.added.length + diff.changed.length + diff.removed.length > MAX_ENTRY_STEPS) return false;
  return diff.changed.every(([k, v]) => CLI_WORD.test(k) && CLI_WORD.test(v)) && diff.removed.every((k) => CLI_WORD.test(k));
}

const lines = (list: [string, string][]) => list.map(([k, v]) => `${k} ${v}\n`).join('');

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
  const first: MapStep[] = [];
  const last: MapStep[] = [];
  if (changed.includes(GROUPS_MAP)) {
    const diff = entryDiff(from.files[GROUPS_MAP] as string, to.files[GROUPS_MAP] as string);
    // Keys are hashes of their definitions (GroupTable): one that changed meaning is not ours to replace in place.
    if (diff.changed.length > 0) return undefined;
    if (byEntry(diff)) {
      if (diff.added.length > 0) first.push({ file: GROUPS_MAP, add: lines(diff.added) });
      for (const key of diff.removed) last.push({ file: GROUPS_MAP, del: key });
    } else {
      const old = entries(from.files[GROUPS_MAP] as string);
      first.push({ file: GROUPS_MAP, replace: lines([...old, ...diff.added]) });
      if (diff.removed.length > 0) last.push({ file: GROUPS_MAP, replace: to.files[GROUPS_MAP] as string });
    }
  }
  const routing = changed.filter((n) => n !== GROUPS_MAP).sort((a, b) => mapRank(a) - mapRank(b) || (a < b ? -1 : 1));
  const additions: MapStep[] = [];
  const removals: MapStep[] = [];
  for (const file of routing) {
    const diff = entryDiff(from.files[file] as string, to.files[file] as string);
    if (!byEntry(diff)) {
      additions.push({ file, replace: to.files[file] as string });
      continue;
    }
    if (diff.added.length > 0) additions.push({ file, add: lines(diff.added) });
    for (const [key, value] of diff.changed) additions.push({ file, set: { key, value } });
    // Host maps lose their entries before path maps: removals run in the reverse order.
    removals.unshift(...diff.removed.map((key) => ({ file, del: key })));
  }
  return { maps: [...first, ...additions, ...removals, ...last], servers };
}

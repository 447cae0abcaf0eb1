/**
 * Rule lookup for one virtual host, decided ahead of time so that the work HAProxy does for a
 * request does not grow with the number of routes.
 *
 * A request's path selects its candidate rules: an Exact rule for that very path, the PathPrefix
 * rules covering it, and the RegularExpression rules. Two map lookups find the candidates: the
 * exact map keyed by the path, else the prefix map (`map_beg`, longest key first) keyed by the
 * path with "/" appended, which keeps prefixes segment-aware. The longest prefix key decides the
 * candidates, because every prefix covering the path also covers that key. So each key gets,
 * ahead of time, the subsequence of the virtual host's rules (already in precedence order) that
 * can match a path with that key, cut after the first rule that matches unconditionally.
 *
 * When that first candidate is unconditional (no method, header or query match, no regular
 * expression), the map answers with its target directly: no per-request work beyond the lookup.
 * Otherwise the map answers with a group: an ordered list of candidates with their conditions,
 * which `route-lua.ts` evaluates for the request. Only the request's own candidates are looked
 * at, however many routes the port has.
 */
import type { IRMatch } from '../ir/model.js';
import { ContentNames } from './names.js';
import { UnsafeValueError } from './quote.js';

/** One rule of a virtual host, in precedence order, with what routing selects for it. */
export interface RuleTarget {
  match: IRMatch;
  /** Backend or split dispatch name: a safe HAProxy name. */
  target: string;
}

/** What a map entry answers: a target, or a group of conditional candidates to evaluate. */
export type Answer = { kind: 'target'; target: string } | { kind: 'group'; candidates: readonly RuleTarget[] };

export interface VhostEntries {
  /** Exact path → answer. */
  exact: Map<string, Answer>;
  /** Prefix key (a prefix with "/" appended, or "" for paths no prefix covers) → answer. */
  prefix: Map<string, Answer>;
}

/** PathPrefix values match by segment; a trailing slash adds nothing ("/foo/" is "/foo"). */
export function prefixOf(value: string): string {
  return value.length > 1 ? value.replace(/\/+$/, '') || '/' : value;
}

/** The prefix map key of a PathPrefix value: "/foo" → "/foo/", "/" → "/". */
export function prefixKey(value: string): string {
  const p = prefixOf(value);
  return p === '/' ? '/' : `${p}/`;
}

/** True when a rule with this match applies to every request whose path it covers. */
export function isUnconditional(m: IRMatch): boolean {
  return m.path.type !== 'RegularExpression' && m.method === undefined && m.headers.length === 0 && m.queryParams.length === 0;
}

/** The segment-aware prefixes (as prefixOf gives them) that cover `path`, "/" included. */
function coveringPrefixes(path: string): string[] {
  const out = ['/'];
  for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) out.push(prefixOf(path.slice(0, i)));
  out.push(prefixOf(path));
  return out;
}

/**
 * The map entries of one virtual host whose rules come in precedence order. Keys are the exact
 * paths and prefix keys only; the caller adds the virtual host id.
 */
export function vhostEntries(rules: readonly RuleTarget[]): VhostEntries {
  const byPrefix = new Map<string, number[]>();
  const byExact = new Map<string, number[]>();
  const regexes: number[] = [];
  rules.forEach((r, i) => {
    const p = r.match.path;
    const index = p.type === 'Exact' ? byExact : p.type === 'PathPrefix' ? byPrefix : undefined;
    const key = p.type === 'PathPrefix' ? prefixOf(p.value) : p.value;
    if (!index) regexes.push(i);
    else if (index.has(key)) index.get(key)?.push(i);
    else index.set(key, [i]);
  });

  // Path-only virtual hosts (the common case) need no group: the first covering rule answers.
  const pathOnly = regexes.length === 0 && rules.every((r) => isUnconditional(r.match));
  const answer = (indices: Iterable<number>): Answer | undefined => {
    if (pathOnly) {
      let first = Infinity;
      for (const i of indices) if (i < first) first = i;
      return first === Infinity ? undefined : { kind: 'target', target: (rules[first] as RuleTarget).target };
    }
    const candidates: RuleTarget[] = [];
    for (const i of [...new Set(indices)].sort((a, b) => a - b)) {
      const rule = rules[i] as RuleTarget;
      candidates.push(rule);
      if (isUnconditional(rule.match)) break;
    }
    const first = candidates[0];
    if (!first) return undefined;
    // The list ends at its first unconditional rule: when that is the first, it is the answer.
    return isUnconditional(first.match) ? { kind: 'target', target: first.target } : { kind: 'group', candidates };
  };
  const covering = (path: string): number[] => coveringPrefixes(path).flatMap((p) => byPrefix.get(p) ?? []);

  const exact = new Map<string, Answer>();
  for (const [path, own] of byExact) {
    const a = answer([...own, ...covering(path), ...regexes]);
    if (a) exact.set(path, a);
  }
  const prefix = new Map<string, Answer>();
  for (const p of byPrefix.keys()) {
    const a = answer([...covering(p), ...regexes]);
    if (a) prefix.set(prefixKey(p), a);
  }
  // Paths that no prefix covers can still match a regular expression; the empty key is a prefix
  // of every request key of this virtual host, so map_beg finds it last.
  if (regexes.length > 0 && !byPrefix.has('/')) {
    const a = answer(regexes);
    if (a) prefix.set('', a);
  }
  return { exact, prefix };
}

/** Characters left as they are in group definitions; everything else is percent-encoded. */
const PLAIN = /^[A-Za-z0-9._~!*()'-]$/;

/** Percent-encodes every byte of the UTF-8 form outside PLAIN, so no delimiter or space remains. */
export function encodeField(value: string, what: string): string {
  let out = '';
  for (const ch of value) {
    if (PLAIN.test(ch)) {
      out += ch;
      continue;
    }
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) throw new UnsafeValueError(`${what} ${JSON.stringify(value)} is not valid UTF-8 text`);
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The text form of a group, which route-lua.ts parses: candidates separated by ";", each its
 * conditions separated by "," then ">" and its target. A condition is a letter, "=", and its
 * percent-encoded fields separated by "=":
 *   m=METHOD   h=name=value (Exact header)   H=name=regex   q=name=value   Q=name=regex
 *   p=regex (whole path)
 * Header names are lower-cased: HAProxy hands them over that way. Header and query regular
 * expressions search the value, as HAProxy's `-m reg` does; the path one must match it whole.
 */
export function encodeGroup(candidates: readonly RuleTarget[]): string {
  return candidates
    .map(({ match: m, target }) => {
      const conds: string[] = [];
      if (m.path.type === 'RegularExpression') conds.push(`p=${encodeField(`^(?:${m.path.value})$`, 'path regex')}`);
      if (m.method !== undefined) conds.push(`m=${encodeField(m.method, 'method')}`);
      for (const h of m.headers) {
        const name = encodeField(h.name.toLowerCase(), 'header name');
        conds.push(`${h.type === 'RegularExpression' ? 'H' : 'h'}=${name}=${encodeField(h.value, 'header value')}`);
      }
      for (const q of m.queryParams) {
        const name = encodeField(q.name, 'query parameter name');
        conds.push(`${q.type === 'RegularExpression' ? 'Q' : 'q'}=${name}=${encodeField(q.value, 'query parameter value')}`);
      }
      return `${conds.join(',')}>${target}`;
    })
    .join(';');
}

/** The file of the groups map (GroupTable), which route.lua reads and the runtime API may replace. */
export const GROUPS_MAP = 'groups.map';

/** The longest group definition one map line carries; HAProxy cuts lines at its buffer size (16 kB). */
export const MAX_GROUP_LINE = 12_000;

/**
 * The groups of a Gateway, as the map route.lua reads. A key is a hash of its definition, so
 * route.lua may keep what it parsed under the key (one table lookup per request instead of a map
 * lookup), a changed group gets a new key, and unchanged groups keep theirs from one rendering
 * to the next. A definition too long for one map line goes on under further keys ("+key" ends
 * each part).
 */
export class GroupTable {
  private readonly names = new ContentNames('g');
  private readonly keys = new Map<string, string>();
  private readonly lines: string[] = [];

  /** The key of a definition (encodeGroup's text), added when new. */
  add(def: string): string {
    const known = this.keys.get(def);
    if (known !== undefined) return known;
    const key = this.names.nameOf(def);
    this.keys.set(def, key);
    const parts: string[] = [];
    let part = '';
    for (const candidate of def.split(';')) {
      if (candidate.length > MAX_GROUP_LINE) throw new UnsafeValueError(`a rule's matches are too long to route (${candidate.length} bytes once encoded; at most ${MAX_GROUP_LINE})`);
      if (part && part.length + candidate.length + 1 > MAX_GROUP_LINE) {
        parts.push(part);
        part = '';
      }
      part = part ? `${part};${candidate}` : candidate;
    }
    parts.push(part);
    parts.forEach((text, i) => {
      const more = i + 1 < parts.length ? `;+${key}.${i + 1}` : '';
      this.lines.push(`${i === 0 ? key : `${key}.${i}`} ${text}${more}`);
    });
    return key;
  }

  get used(): boolean {
    return this.lines.length > 0;
  }

  /** The map file: "key definition" per line. */
  mapFile(): string {
    return this.lines.join('\n') + '\n';
  }
}

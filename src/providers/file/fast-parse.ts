import jsYaml from 'js-yaml';
import type { RawDocument } from './parse.js';

/*
 * Fast paths for the common case: plain Kubernetes manifests. The yaml package (parse.ts's
 * precise path) costs 0.37 ms per document and keeps a full AST per document while it converts;
 * js-yaml reads the same documents about 10× faster and JSON.parse faster still. Each fast path
 * answers only when it can give exactly what the precise path would (same values, same document
 * numbers, same lines) and returns undefined otherwise: on any syntax error (so every error
 * message still comes from the yaml package, with its line), and on every feature where the two
 * parsers could differ (anchors and aliases, tags, merge keys, directives, complex keys, null
 * keys, `kind: List` documents whose items need their own lines). test/unit/providers/file
 * compares both paths on the YAML test suite's cases and on random manifests.
 */

/**
 * The yaml package's core schema (YAML 1.2), rebuilt for js-yaml from the same patterns and the
 * same conversions so plain scalars resolve identically: `yes`/`no`/`on`/`off` stay strings, no
 * timestamps, `0o17` is octal and `017` decimal, `1_000` a string. The tags are private, so any
 * explicit tag in the text (`!!int`, `!!timestamp`, ...) is either unknown to js-yaml (an error)
 * or seen by the listener below, and the precise path decides.
 */
const FAST_TAG = 'tag:portico.dev,2025:';
const scalar = (name: string, test: (s: string) => boolean, construct: (s: string) => unknown) =>
  new jsYaml.Type(`${FAST_TAG}${name}`, {
    kind: 'scalar',
    // js-yaml passes null for an empty plain scalar, which the null type resolves.
    resolve: (data: string | null) => (data === null ? name === 'null' : test(data)),
    construct: (data: string | null) => (data === null ? null : construct(data)),
  });

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * Most plain scalars are words: every implicit type is tried on each, so a look at the first
 * character keeps the patterns for the few that can match (measured: the patterns alone took
 * about a sixth of the fast path's time on bench/load's files).
 */
const numberLike = (s: string): boolean => {
  const c = s.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b /* + */ || c === 0x2d /* - */ || c === 0x2e; /* . */
};

const FAST_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', (s) => NULL.test(s), () => null),
    scalar('bool', (s) => BOOL.test(s), (s) => s[0] === 't' || s[0] === 'T'),
    scalar(
      'int',
      (s) => numberLike(s) && (INT.test(s) || INT_OCT.test(s) || INT_HEX.test(s)),
      (s) => (INT_OCT.test(s) ? parseInt(s.substring(2), 8) : INT_HEX.test(s) ? parseInt(s.substring(2), 16) : parseInt(s, 10)),
    ),
    scalar(
      'float',
      (s) => numberLike(s) && (FLOAT.test(s) || FLOAT_EXP.test(s) || FLOAT_NAN.test(s)),
      (s) => (FLOAT_NAN.test(s) ? (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity) : parseFloat(s)),
    ),
  ],
});
const FAST_TAGS = new Set(['null', 'bool', 'int', 'float'].map((n) => `${FAST_TAG}${n}`));

/** What the listener reads of js-yaml's loader state; @types/js-yaml leaves these fields out. */
interface LoaderState {
  depth: number;
  position: number;
  line: number;
  tag: string | null;
  anchor: string | null;
  kind: string | null;
  result: unknown;
}

/**
 * Text the fast path leaves to the precise one, found without parsing (a match may be a false
 * alarm inside a quoted string; that only costs speed). Each is a place where js-yaml accepts
 * what the yaml package refuses, or reads it differently:
 * - a tab anywhere, a carriage return not followed by a line feed;
 * - a directive (`%YAML 1.1` switches the yaml package to YAML 1.1's booleans and octals);
 * - `---` followed by content on its line, and any `...` document end marker;
 * - an explicit key (`? key`) or a flow collection used as a key (`[a]: b`);
 * - a comment not separated from a quote or a flow indicator before it (`"a"#b`);
 * - a plain null or empty key (`~:`, `null:`, `[: a]`), which js-yaml names "null" and the yaml
 *   package "".
 */
const UNUSUAL_TEXT =
  /[\t]|\r(?!\n)|^%|^---(?![ \t]*(?:#.*)?$)|^\.\.\.(?:\s|$)|(?:^|[\s,[{])\?(?:\s|$)|[\]}][ \t]*:|["'\]},]#|(?:^|[\s,[{])(?:~|null|Null|NULL)[ \t]*:(?:\s|$)|(?:^|[[{,]|\s-)[ \t]*:/m;

/** Documents of a YAML text through js-yaml; undefined when the precise path must decide. */
export function parseYamlFast(file: string, text: string): RawDocument[] | undefined {
  if (UNUSUAL_TEXT.test(text)) return undefined;
  const rootLines: number[] = [];
  /** Where each open node's text may start (before separation space and comments). */
  const opened: number[] = [];
  let unusual = false;
  let values: unknown[];
  try {
    values = jsYaml.loadAll(text, null, {
      schema: FAST_SCHEMA,
      listener(event, raw) {
        // The State type of @types/js-yaml lacks the fields read here (see LoaderState).
        const state = raw as unknown as LoaderState;
        if (event === 'open') {
          // The root node opens where the document's content starts, after comments and `---`.
          if (state.depth === 1) rootLines.push(state.line + 1);
          opened.push(state.position);
          return;
        }
        const from = opened.pop() ?? 0;
        if (unusual) return;
        if (state.anchor !== null) unusual = true;
        else if (state.tag !== null && state.tag !== '?' && !FAST_TAGS.has(state.tag)) unusual = true;
        else if (state.tag === '?' && state.result === '<<') unusual = true;
        else if (state.kind === 'scalar' || state.kind === 'sequence' || state.kind === 'mapping') {
          // Scalars and flow collections over several lines: the two parsers disagree on how
          // far their continuation lines must be indented (and on tabs in block scalars).
          const start = contentStart(text, from, state.position);
          const c = text.charCodeAt(start);
          // Block scalars, even empty ones, on which the two disagree about leading empty lines.
          if (state.kind === 'scalar' && (c === 0x7c /* | */ || c === 0x3e) /* > */) unusual = true;
          else if (state.kind === 'scalar' || c === 0x5b /* [ */ || c === 0x7b /* { */) {
            // A plain scalar ending a document may have taken the line break after it.
            let end = state.position;
            while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
            if (text.lastIndexOf('\n', end - 1) >= start) unusual = true;
          }
        }
      },
    });
  } catch {
    return undefined;
  }
  if (unusual || rootLines.length !== values.length) return undefined;
  const documents: RawDocument[] = [];
  const strings = new Map<string, string>();
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    if (isList(value)) return undefined;
    documents.push({ value: detach(value, strings), location: { file, document: i + 1, line: rootLines[i] as number }, owned: true });
  }
  return documents;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d;
}

/** The first character of a node's own text at or after `from`: separation space and comments skipped. */
function contentStart(text: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 0x23 /* # */) {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? end : eol + 1;
    } else break;
  }
  return i;
}

/**
 * The one document of a JSON text through JSON.parse; undefined when the text is not plain JSON
 * (the YAML paths then read it, JSON being YAML), or when YAML would read it differently: a
 * duplicate key (an error in YAML, the last one wins in JSON.parse), a tab (YAML is pickier
 * about tabs than JSON), a key longer than YAML allows an implicit key to be.
 */
export function parseJsonFast(file: string, text: string): RawDocument[] | undefined {
  if (text.includes('\t')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Every string token in order (JSON has no quote outside strings), and whether it is a key.
  let keys = 0;
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"(\s*:)?/g)) {
    if (m[1] === undefined) continue;
    if (m[0].length > 1000) return undefined;
    keys++;
  }
  if (countKeys(value) !== keys) return undefined;
  if (value === null) return [];
  if (isList(value)) return undefined;
  const start = text.search(/\S/);
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) line++;
  return [{ value, location: { file, document: 1, line }, owned: true }];
}

/** A `kind: List` (or `kind: FooList`) document: the precise path gives each item its line. */
function isList(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record.kind === 'string' && record.kind.endsWith('List') && Array.isArray(record.items);
}

/** Keys of every object in the value, counted as JSON.parse made them. */
function countKeys(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) n += countKeys(item);
    return n;
  }
  for (const key in value) {
    n += 1 + countKeys((value as Record<string, unknown>)[key]);
  }
  return n;
}

/**
 * `value` with every string of 13 characters or more replaced by a copy of its own, in place.
 * js-yaml cuts values out of the file's text, and V8 keeps such a cut-out as a view of the
 * whole text: one hostname kept alive keeps the whole file in memory for as long as the object
 * lives. bench/load: 13 MiB of the 77 MiB live after loading were file texts; detaching costs
 * ~10% of the fast path's time. Equal strings of one file share one copy.
 */
function detach(value: unknown, seen: Map<string, string>): unknown {
  if (typeof value === 'string') {
    if (value.length < 13) return value;
    let flat = seen.get(value);
    // JSON.parse makes a string of its own (a slice or a concatenation could stay a view).
    if (flat === undefined) seen.set(value, (flat = JSON.parse(JSON.stringify(value)) as string));
    return flat;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = detach(value[i], seen);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) record[key] = detach(record[key], seen);
  return value;
}

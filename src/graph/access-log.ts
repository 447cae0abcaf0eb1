/**
 * Access logs of a listener policy (kgateway's `accessLog`, after Envoy's file access log):
 * where lines go, what they hold (Envoy's format strings and format dictionaries, in the subset
 * HAProxy can fill) and which requests are logged. Pure: the renderer turns the result into
 * HAProxy's log-format, the process shell writes the lines.
 */
import type { AccessLogFilterSpec, AccessLogSpec } from '../api/policy-spec.js';
import { regexProblem } from '../api/regex.js';

/** An Envoy command operator Portico fills in: its value is a string or a number. */
export const LOG_OPERATORS = {
  START_TIME: 'string',
  REQ: 'string',
  RESP: 'string',
  RESPONSE_CODE: 'number',
  BYTES_RECEIVED: 'number',
  BYTES_SENT: 'number',
  DURATION: 'number',
  PROTOCOL: 'string',
  UPSTREAM_HOST: 'string',
  UPSTREAM_CLUSTER: 'string',
  ROUTE_NAME: 'string',
  // Portico's own: the rule of the route (its name, or its index when it has none).
  ROUTE_RULE: 'string',
  DOWNSTREAM_REMOTE_ADDRESS: 'string',
  DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT: 'string',
  DOWNSTREAM_REMOTE_PORT: 'number',
  DOWNSTREAM_LOCAL_ADDRESS: 'string',
  DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT: 'string',
  DOWNSTREAM_LOCAL_PORT: 'number',
  HOSTNAME: 'string',
  REQUESTED_SERVER_NAME: 'string',
} as const;

export type LogOperatorName = keyof typeof LOG_OPERATORS;

/** `%NAME(header?alternative):maxLength%`. */
export interface LogOperator {
  op: LogOperatorName;
  /** REQ and RESP: the header (lower case), or a pseudo-header (":method", ":path", ":authority", ":scheme"). */
  header?: string;
  /** REQ and RESP: the header used when the first is absent. */
  alternative?: string;
  maxLength?: number;
}

export type LogPart = { text: string } | LogOperator;

/** A value of a JSON format: a format string, a constant, or an object of further values. */
export type JsonLogValue = { parts: LogPart[] } | { constant: number | boolean | null } | { object: [string, JsonLogValue][] };

export type LogFormat = { type: 'text'; parts: LogPart[] } | { type: 'json'; fields: [string, JsonLogValue][] };

export type Comparison = { op: 'EQ' | 'GE' | 'LE'; value: number };

/** Which requests a sink gets. */
export type LogFilter =
  | { status: Comparison }
  | { durationMs: Comparison }
  | { header: { name: string; type: 'Exact' | 'RegularExpression'; value: string } }
  | { notHealthCheck: true }
  | { and: LogFilter[] }
  | { or: LogFilter[] };

export interface AccessLogSink {
  /** "/dev/stdout", "/dev/stderr", or a file inside the access log directory. */
  path: string;
  filter?: LogFilter;
}

/** What a port logs: one format (HAProxy has one per frontend), to one or more sinks. */
export interface AccessLogSettings {
  format: LogFormat;
  sinks: AccessLogSink[];
}

const STANDARD_STREAMS = new Set(['/dev/stdout', '/dev/stderr']);
// Header names HAProxy takes as a fetch argument unquoted (a subset of RFC 9110 tokens).
const HEADER = /^:?[a-z0-9!*+.^_|~&-]+$/;
const PSEUDO_HEADERS = new Set([':method', ':path', ':authority', ':scheme']);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Parses an Envoy format string into literal text and operators, or says what is wrong. */
export function parseLogFormat(format: string, where: string): { parts: LogPart[] } | { problem: string } {
  // Envoy writes the string as given, so formats end in "\n"; Portico ends each line itself.
  const source = format.endsWith('\n') ? format.slice(0, -1) : format;
  if (CONTROL.test(source)) return { problem: `${where} holds a control character (only a final newline is allowed)` };
  const parts: LogPart[] = [];
  const operator = /%([A-Z_0-9]+)(?:\(([^)]*)\))?(?::(\d+))?%/y;
  let text = '';
  let i = 0;
  while (i < source.length) {
    if (source[i] !== '%') {
      text += source[i++];
      continue;
    }
    operator.lastIndex = i;
    const m = operator.exec(source);
    if (!m) return { problem: `${where}: the "%" at offset ${i} starts no command operator` };
    const name = m[1] as string;
    if (!(name in LOG_OPERATORS)) return { problem: `${where}: command operator %${name}% is not supported by Portico (docs/policies.md lists those that are)` };
    const op: LogOperator = { op: name as LogOperatorName };
    const arg = m[2];
    if (name === 'REQ' || name === 'RESP') {
      const [header, alternative, more] = (arg ?? '').toLowerCase().split('?');
      for (const h of [header, alternative]) {
        if (h === undefined) continue;
        if (!HEADER.test(h) || (h.startsWith(':') && !(name === 'REQ' && PSEUDO_HEADERS.has(h)))) return { problem: `${where}: %${name}(${arg ?? ''})% names no header Portico can log` };
      }
      if (more !== undefined) return { problem: `${where}: %${name}(${arg ?? ''})% has more than one alternative` };
      op.header = header as string;
      if (alternative !== undefined) op.alternative = alternative;
    } else if (arg !== undefined) return { problem: `${where}: %${name}% takes no argument in Portico${name === 'START_TIME' ? ' (the time is written as in ISO 8601, in UTC, with milliseconds)' : ''}` };
    if (m[3] !== undefined) {
      if (LOG_OPERATORS[op.op] !== 'string') return { problem: `${where}: %${name}% is a number and takes no length` };
      op.maxLength = Number(m[3]);
      if (op.maxLength < 1 || op.maxLength > 16384) return { problem: `${where}: the length of %${name}% must be between 1 and 16384` };
    }
    if (text) parts.push({ text });
    text = '';
    parts.push(op);
    i = operator.lastIndex;
  }
  if (text) parts.push({ text });
  return { parts };
}

function jsonValue(value: unknown, where: string, depth: number): JsonLogValue | { problem: string } {
  if (typeof value === 'string') {
    const parsed = parseLogFormat(value, where);
    return 'problem' in parsed ? parsed : { parts: parsed.parts };
  }
  if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return { constant: value };
  if (typeof value === 'object' && !Array.isArray(value)) {
    if (depth >= 8) return { problem: `${where} nests deeper than 8 objects` };
    const fields = jsonFields(value as Record<string, unknown>, where, depth + 1);
    return 'problem' in fields ? fields : { object: fields.fields };
  }
  return { problem: `${where} must be a string, a number, a boolean or an object` };
}

function jsonFields(object: Record<string, unknown>, where: string, depth: number): { fields: [string, JsonLogValue][] } | { problem: string } {
  const fields: [string, JsonLogValue][] = [];
  for (const [key, value] of Object.entries(object)) {
    if (CONTROL.test(key)) return { problem: `${where} has a key with a control character` };
    const v = jsonValue(value, `${where}.${key}`, depth);
    if ('problem' in v) return v;
    fields.push([key, v]);
  }
  return { fields };
}

function comparison(c: { op: string; value: number } | undefined, where: string): Comparison | string {
  if (!c || !['EQ', 'GE', 'LE'].includes(c.op) || !Number.isInteger(c.value) || c.value < 0) return `${where} needs op EQ, GE or LE and a whole value`;
  return { op: c.op as Comparison['op'], value: c.value };
}

const FILTER_KINDS = ['statusCodeFilter', 'durationFilter', 'headerFilter', 'notHealthCheckFilter', 'andFilter', 'orFilter'];

/** kgateway's filter in the subset Portico evaluates, or what it cannot. */
export function parseLogFilter(spec: AccessLogFilterSpec, where: string, depth = 0): LogFilter | { problem: string } {
  const keys = Object.keys(spec);
  const unsupported = keys.find((k) => !FILTER_KINDS.includes(k));
  if (unsupported) return { problem: `${where}.${unsupported} is not supported by Portico (${FILTER_KINDS.join(', ')} are)` };
  if (keys.length !== 1) return { problem: `${where} must set exactly one filter` };
  if (spec.statusCodeFilter) {
    const c = comparison(spec.statusCodeFilter, `${where}.statusCodeFilter`);
    return typeof c === 'string' ? { problem: c } : { status: c };
  }
  if (spec.durationFilter) {
    const c = comparison(spec.durationFilter, `${where}.durationFilter`);
    return typeof c === 'string' ? { problem: c } : { durationMs: c };
  }
  if (spec.headerFilter) {
    const h = spec.headerFilter.header;
    const type = h.type ?? 'Exact';
    if (!HEADER.test(h.name.toLowerCase()) || h.name.startsWith(':')) return { problem: `${where}.headerFilter.header.name is not a header name Portico can match` };
    if (CONTROL.test(h.value)) return { problem: `${where}.headerFilter.header.value holds a control character` };
    if (type === 'RegularExpression') {
      const p = regexProblem(h.value, `${where}.headerFilter.header.value`);
      if (p) return { problem: p };
    }
    return { header: { name: h.name.toLowerCase(), type, value: h.value } };
  }
  if (spec.notHealthCheckFilter !== undefined) {
    if (spec.notHealthCheckFilter !== true) return { problem: `${where}.notHealthCheckFilter must be true` };
    return { notHealthCheck: true };
  }
  const list = spec.andFilter ?? spec.orFilter ?? [];
  const kind = spec.andFilter ? 'andFilter' : 'orFilter';
  if (depth >= 4) return { problem: `${where}.${kind} nests deeper than 4 levels` };
  const filters: LogFilter[] = [];
  for (const [i, f] of list.entries()) {
    const parsed = parseLogFilter(f, `${where}.${kind}[${i}]`, depth + 1);
    if ('problem' in parsed) return parsed;
    filters.push(parsed);
  }
  return spec.andFilter ? { and: filters } : { or: filters };
}

/** Where a sink may write: the standard streams, or a file inside `dir` (`--access-log-dir`, absolute). */
export function sinkPathProblem(file: string, dir: string | undefined, where: string): string | undefined {
  if (STANDARD_STREAMS.has(file)) return undefined;
  if (CONTROL.test(file)) return `${where} holds a control character`;
  if (dir === undefined) return `${where} ${JSON.stringify(file)}: Portico writes access logs to /dev/stdout or /dev/stderr, or to files once it is started with --access-log-dir`;
  const root = dir.replace(/\/+$/, '');
  const normal = file.startsWith('/') && file.slice(1).split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (!normal || !file.startsWith(`${root}/`)) return `${where} ${JSON.stringify(file)} is not a file inside the access log directory ${root} (--access-log-dir)`;
  return undefined;
}

function sameFormat(a: LogFormat, b: LogFormat): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The access logs a listener policy asks for, or why Portico cannot write them. */
export function accessLogSettings(entries: readonly AccessLogSpec[], where: string, dir: string | undefined): AccessLogSettings | { problem: string } {
  let format: LogFormat | undefined;
  const sinks: AccessLogSink[] = [];
  for (const [i, entry] of entries.entries()) {
    const at = `${where}[${i}]`;
    const other = Object.keys(entry).find((k) => k !== 'fileSink' && k !== 'filter');
    if (other) return { problem: `${at}.${other} is not supported by Portico (fileSink is)` };
    const sink = entry.fileSink;
    if (!sink) return { problem: `${at} needs a fileSink` };
    const pathProblem = sinkPathProblem(sink.path, dir, `${at}.fileSink.path`);
    if (pathProblem) return { problem: pathProblem };
    let entryFormat: LogFormat;
    if (sink.stringFormat !== undefined && sink.jsonFormat === undefined) {
      const parsed = parseLogFormat(sink.stringFormat, `${at}.fileSink.stringFormat`);
      if ('problem' in parsed) return parsed;
      entryFormat = { type: 'text', parts: parsed.parts };
    } else if (sink.jsonFormat !== undefined && sink.stringFormat === undefined) {
      const parsed = jsonFields(sink.jsonFormat, `${at}.fileSink.jsonFormat`, 0);
      if ('problem' in parsed) return parsed;
      entryFormat = { type: 'json', fields: parsed.fields };
    } else return { problem: `${at}.fileSink must set exactly one of stringFormat and jsonFormat` };
    if (format && !sameFormat(format, entryFormat)) return { problem: `${at}.fileSink: Portico writes one format per port, and ${where}[0] has another` };
    format = entryFormat;
    let filter: LogFilter | undefined;
    if (entry.filter) {
      const parsed = parseLogFilter(entry.filter, `${at}.filter`);
      if ('problem' in parsed) return parsed;
      filter = parsed;
    }
    sinks.push({ path: sink.path, ...(filter ? { filter } : {}) });
  }
  if (!format) return { problem: `${where} is empty` };
  return { format, sinks };
}

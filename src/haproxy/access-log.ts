/**
 * A port's access log in HAProxy terms. HAProxy writes one line per request to its stdout,
 * prefixed for Portico's process shell (access-log-lines.ts): the sink set's id, the status, the
 * duration and the request's filter flags, then the line in the user's format. The shell keeps the
 * lines each sink's filter lets through and writes them to its file or stream. HAProxy 2.6 can
 * neither filter on a response it generated itself nor write files, hence the split.
 */
import { createHash } from 'node:crypto';
import type { IRAccessLog, IRJsonLogValue, IRLogFilter, IRLogOperator, IRLogPart } from '../ir/model.js';
import { UnsafeValueError, hasControlCharacter, isFetchArgSafe, word } from './quote.js';

function fetchArgument(header: string): string {
  if (!isFetchArgSafe(header)) throw new UnsafeValueError(`${JSON.stringify(header)} cannot be used as a fetch argument`);
  return header;
}

/** A sink as the process shell reads it: filters refer to the flag characters of the line's prefix. */
export type SinkFilter =
  | { status: { op: 'EQ' | 'GE' | 'LE'; value: number } }
  | { durationMs: { op: 'EQ' | 'GE' | 'LE'; value: number } }
  | { flag: number }
  | { notFlag: number }
  | { and: SinkFilter[] }
  | { or: SinkFilter[] };

export interface SinkEntry {
  path: string;
  filter?: SinkFilter;
}

/** The file, in every Gateway's directory, that maps a line's sink set id to its sinks. */
export const ACCESS_LOG_SINKS_FILE = 'access-log-sinks.json';

/**
 * The descriptors HAProxy is started with (master-process.ts) for Portico's own stdout and
 * stderr, besides its own stdout and stderr, which Portico reads.
 */
export const DIRECT_DESCRIPTORS: Readonly<Record<string, number>> = { '/dev/stdout': 3, '/dev/stderr': 4 };

/** Lines the first character of which marks an access log line on HAProxy's stdout. */
export const ACCESS_LINE_MARK = '@';

export interface AccessLogRendering {
  /** Frontend lines, before any rule that may answer: what the format and filters read of the request. */
  requestLines: string[];
  /** Frontend lines: the log target and format, and what they read of the response. */
  frontendLines: string[];
  /** The sink set's id and its sinks; none when HAProxy writes to Portico's streams itself. */
  id: string;
  sinks: SinkEntry[];
}

/** What a request's pseudo-headers are in HAProxy, while the request is processed. */
const PSEUDO_HEADER_FETCHES: Record<string, string> = {
  ':authority': 'req.fhdr(host)',
  ':method': 'method',
  ':path': 'pathq',
  ':scheme': 'ssl_fc,iif(https,http)',
};

/** Header values are cut at this many bytes unless the operator gives a length (`%REQ(x):N%`). */
export const DEFAULT_HEADER_BYTES = 1024;

/** Literal text inside a double-quoted log-format argument. */
function literal(text: string): string {
  if (hasControlCharacter(text)) throw new UnsafeValueError(`access log text contains a control character: ${JSON.stringify(text)}`);
  return text.replace(/[\\"$%]/g, (c) => (c === '%' ? '%%' : `\\${c}`));
}

class FormatBuilder {
  readonly requestLines: string[] = [];
  readonly responseLines: string[] = [];
  private readonly vars = new Map<string, string>();
  private startTime = false;
  private attribution = false;

  constructor(private readonly logMap: string) {}

  /** A variable holding a sample taken while the request (or response) is processed. */
  private captured(key: string, lines: () => string[], into: 'request' | 'response'): string {
    let v = this.vars.get(key);
    if (!v) {
      v = `txn.al${this.vars.size}`;
      this.vars.set(key, v);
      (into === 'request' ? this.requestLines : this.responseLines).push(...lines().map((l) => l.replaceAll('$V', v as string)));
    }
    return v;
  }

  private header(op: IRLogOperator, phase: 'req' | 'res'): string {
    const bytes = op.maxLength ?? DEFAULT_HEADER_BYTES;
    const fetch = (h: string): string => PSEUDO_HEADER_FETCHES[h] ?? `${phase}.fhdr(${fetchArgument(h)})`;
    const directive = phase === 'req' ? 'http-request' : 'http-after-response';
    const names = [op.header as string, ...(op.alternative ? [op.alternative] : [])];
    return this.captured(
      `${phase} ${names.join('?')} ${bytes}`,
      () => names.map((h, i) => `${directive} set-var($V) ${fetch(h)},bytes(0,${bytes})${i > 0 ? ' if !{ var($V) -m found }' : ''}`),
      phase === 'req' ? 'request' : 'response',
    );
  }

  private attributed(): void {
    if (this.attribution) return;
    this.attribution = true;
    this.responseLines.push('http-after-response set-var(txn.pbe) be_name', 'http-after-response set-var(txn.psv) srv_name,field(1,_)', 'http-after-response set-var(txn.pbs) var(txn.pbe),concat(/,txn.psv)');
  }

  /** A sample expression, for operators HAProxy fills with a fetch. */
  private sample(op: IRLogOperator): string | undefined {
    switch (op.op) {
      case 'REQ':
        if (op.header === ':method' && !op.alternative) return 'capture.req.method';
        if (op.header === ':path' && !op.alternative) return `capture.req.uri,bytes(0,${op.maxLength ?? 16384})`;
        if (op.header === ':scheme' && !op.alternative) return 'ssl_fc,iif(https,http)';
        return `var(${this.header(op, 'req')})`;
      case 'RESP':
        return `var(${this.header(op, 'res')})`;
      case 'UPSTREAM_CLUSTER':
        this.attributed();
        return `var(txn.pbs),map_str(${this.logMap})`;
      case 'ROUTE_NAME':
        this.attributed();
        return `var(txn.pbe),map_str(${this.logMap}),field(2,|)`;
      case 'ROUTE_RULE':
        this.attributed();
        return `var(txn.pbe),map_str(${this.logMap}),field(3,|)`;
      case 'REQUESTED_SERVER_NAME':
        return 'ssl_fc_sni';
      default:
        return undefined;
    }
  }

  /** A log-format alias (or several), for operators HAProxy knows by one. */
  private alias(op: IRLogOperator): string {
    switch (op.op) {
      case 'START_TIME': {
        this.startTime = true;
        return '%[var(txn.alt),div(1000),utime(%Y-%m-%dT%H:%M:%S)].%[var(txn.alt),mod(1000),add(1000),regsub(^1,)]Z';
      }
      case 'RESPONSE_CODE':
        return '%ST';
      case 'BYTES_RECEIVED':
        return '%U';
      case 'BYTES_SENT':
        return '%B';
      case 'DURATION':
        return '%Ta';
      case 'PROTOCOL':
        return '%HV';
      case 'UPSTREAM_HOST':
        return '%si:%sp';
      case 'DOWNSTREAM_REMOTE_ADDRESS':
        return '%ci:%cp';
      case 'DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT':
        return '%ci';
      case 'DOWNSTREAM_REMOTE_PORT':
        return '%cp';
      case 'DOWNSTREAM_LOCAL_ADDRESS':
        return '%fi:%fp';
      case 'DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT':
        return '%fi';
      case 'DOWNSTREAM_LOCAL_PORT':
        return '%fp';
      case 'HOSTNAME':
        return '%H';
      default:
        throw new UnsafeValueError(`access log operator ${op.op} has no HAProxy equivalent`);
    }
  }

  /** One operator as text; `json`: escaped for the inside of a JSON string. */
  operator(op: IRLogOperator, json: boolean): string {
    const s = this.sample(op);
    if (s === undefined) return this.alias(op);
    return `%[${s}${json ? ',json(utf8s)' : ''}]`;
  }

  text(parts: readonly IRLogPart[]): string {
    return parts.map((p) => ('text' in p ? literal(p.text) : this.operator(p, false))).join('');
  }

  private jsonValue(v: IRJsonLogValue): string {
    if ('constant' in v) return literal(JSON.stringify(v.constant));
    if ('object' in v) return this.jsonObject(v.object);
    const [only] = v.parts;
    // A value that is one numeric operator is written as a number, as Envoy does.
    if (v.parts.length === 1 && only && !('text' in only) && NUMBER_OPERATORS.has(only.op)) return this.operator(only, true);
    return `\\"${v.parts.map((p) => ('text' in p ? literal(JSON.stringify(p.text).slice(1, -1)) : this.operator(p, true))).join('')}\\"`;
  }

  jsonObject(fields: readonly [string, IRJsonLogValue][]): string {
    return `{${fields.map(([k, v]) => `${literal(JSON.stringify(k))}:${this.jsonValue(v)}`).join(',')}}`;
  }

  /** Lines that must run before the format can be filled. */
  startLines(): string[] {
    return this.startTime ? ['http-request set-var(txn.alt) date(0,ms)'] : [];
  }
}

const NUMBER_OPERATORS = new Set(['RESPONSE_CODE', 'BYTES_RECEIVED', 'BYTES_SENT', 'DURATION', 'DOWNSTREAM_REMOTE_PORT', 'DOWNSTREAM_LOCAL_PORT']);

/** Header filters become request flags: the n-th character of the line's flags is "1" when test n held. */
class FlagTable {
  readonly lines: string[] = [];
  private count = 0;
  private readonly seen = new Map<string, number>();

  constructor(private readonly healthCheckPath: string | undefined) {}

  private flag(key: string, condition: () => string | undefined): number {
    let n = this.seen.get(key);
    if (n === undefined) {
      n = this.count++;
      this.seen.set(key, n);
      const c = condition();
      if (c) this.lines.push(`http-request set-var(txn.alf${n}) bool(1) if ${c}`);
    }
    return n;
  }

  compile(f: IRLogFilter): SinkFilter {
    if ('status' in f || 'durationMs' in f) return f;
    if ('and' in f) return { and: f.and.map((x) => this.compile(x)) };
    if ('or' in f) return { or: f.or.map((x) => this.compile(x)) };
    if ('notHealthCheck' in f) {
      // Without a health check path no request is one: the flag is never set.
      const path = this.healthCheckPath;
      return { notFlag: this.flag('health', () => (path ? `{ path -m str ${word(path, 'path')} }` : undefined)) };
    }
    const h = f.header;
    const test = h.type === 'Exact' ? `-m str ${word(h.value, 'header value')}` : `-m reg ${word(h.value, 'regular expression')}`;
    return { flag: this.flag(`${h.name} ${h.type} ${h.value}`, () => `{ req.fhdr(${fetchArgument(h.name)}) ${test} }`) };
  }

  /** The flags' part of the line's prefix. */
  format(): string {
    return Array.from({ length: this.count }, (_, n) => `%[var(txn.alf${n})]`).join('');
  }
}

/**
 * The lines that make a frontend log as `log` says. `logMap` is the path of the port's log map
 * (routes and backends by HAProxy backend name, see PortRenderer); `healthCheckPath` the path the
 * port answers itself, for notHealthCheck filters. Throws UnsafeValueError for a value that
 * cannot be written safely.
 */
export function accessLogLines(log: IRAccessLog, logMap: string, healthCheckPath?: string): AccessLogRendering {
  const builder = new FormatBuilder(logMap);
  const line = log.format.type === 'text' ? builder.text(log.format.parts) : builder.jsonObject(log.format.fields);
  const flags = new FlagTable(healthCheckPath);
  const sinks: SinkEntry[] = log.sinks.map((s) => {
    if (hasControlCharacter(s.path)) throw new UnsafeValueError(`access log path contains a control character: ${JSON.stringify(s.path)}`);
    return { path: s.path, ...(s.filter ? { filter: flags.compile(s.filter) } : {}) };
  });
  // Sinks that are Portico's own stdout or stderr and filter nothing get the lines straight from
  // HAProxy, through the descriptors the process manager hands it: no prefix, no trip through
  // Portico (measured: bench/throughput, shape access-log).
  const direct = sinks.every((s) => !s.filter && DIRECT_DESCRIPTORS[s.path] !== undefined);
  const requestLines = [...builder.startLines(), ...(direct ? [] : flags.lines), ...builder.requestLines];
  // A connection that sends no request is no request to log (Envoy logs none either).
  const common = ['option dontlognull'];
  if (direct) {
    const fds = [...new Set(sinks.map((s) => DIRECT_DESCRIPTORS[s.path] as number))];
    return {
      id: '',
      sinks: [],
      requestLines,
      frontendLines: [...common, ...fds.map((fd) => `log fd@${fd} len 16384 format raw local0 info`), `log-format "${line}"`, ...builder.responseLines],
    };
  }
  const id = createHash('sha256').update(JSON.stringify(sinks)).digest('hex').slice(0, 12);
  return {
    id,
    sinks,
    requestLines,
    frontendLines: [...common, 'log stdout len 16384 format raw local0 info', `log-format "${ACCESS_LINE_MARK}${id}\\t%ST\\t%Ta\\t${flags.format()}\\t${line}"`, ...builder.responseLines],
  };
}

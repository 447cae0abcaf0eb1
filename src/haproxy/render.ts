import path from 'node:path';
import type { IRPortSettings, IRBackendRef, IRCertificate, IRFilter, IRHeaderModifier, IRPathModifier, IRSessionPersistence, IRGateway, IRTrafficPolicy, IRHTTPRule, IRListener, IRPort, IRVirtualHost } from '../ir/model.js';
import { durationMs } from '../api/durations.js';
import { corsLines } from './cors.js';
import { buildHostTable, type HostTarget } from './host-table.js';
import { MirrorRenderer } from './mirror.js';
import { ContentNames, contentHash } from './names.js';
import { internalSocket } from './internal-socket.js';
import { formatWord, isFetchArgSafe, literalFormat, mapField, UnsafeValueError, word } from './quote.js';
import { backendClientCertificateFile, backendClientCertificateName, caFileWriter, certificateShownTo, hostPort, resolversSection, serializeConfig, serverPool, type HaproxyConfig, type Section, type ServerPool } from './config-model.js';
import { writeCrtList } from './crt-list.js';
import { encodeGroup, GROUPS_MAP, GroupTable, prefixOf, vhostEntries, type Answer, type RuleTarget } from './route-groups.js';
import { routeLua } from './route-lua.js';
import { apiKeyAuthLines, basicAuthLines, ExtAuthServices, jwtAuthLines } from './auth.js';
import { bufferLines, compressionLines, csrfLines, rbacLines, urlRewriteLines, withPolicyDefaults } from './policy-lines.js';
import { StreamRenderer } from './render-stream.js';
import { ACCESS_LOG_SINKS_FILE, accessLogLines, type AccessLogRendering, type SinkEntry } from './access-log.js';
import { emptyRouteMetricsTable, LATENCY_START_LINE, latencyBackendLines, latencySection, type RouteMetricsTable } from './route-metrics.js';

/** A rendered HAProxy configuration: haproxy.cfg and the files it reads, by file name, and the model both come from. */
export interface RenderedConfig {
  config: string;
  files: Record<string, string>;
  model: HaproxyConfig;
  /** With route metrics on: which Gateway API names the rendering's backends and frontends stand for. */
  metrics?: RouteMetricsTable;
}

export interface RenderOptions {
  /** Absolute directory the files will live in: haproxy.cfg names them by full path. */
  dir: string;
  /** Lines of the global section the process manager needs (sockets, master-worker). */
  globalLines: readonly string[];
  /** Lines the process manager needs in the defaults section (seamless reloads). */
  defaultsLines?: readonly string[];
  /**
   * Backends of their own for every rule of every listener, so that HAProxy's per-backend
   * statistics are per route rule (route-metrics.ts); the result's `metrics` names them.
   */
  routeMetrics?: boolean;
  /** With routeMetrics: latency histograms with these bucket bounds (milliseconds), route-metrics.ts. */
  routeLatencyBucketsMs?: readonly number[];
}

/** Status codes HAProxy's retry-on understands (2.6). */
const RETRYABLE = new Set([401, 403, 404, 408, 425, 500, 501, 502, 503, 504]);
const DEFAULT_TIMEOUT_SERVER_MS = 60_000;
/** The longest timer HAProxy holds (2^31-1 ms). */
const MAX_TIMER_MS = 2_147_483_647;
/**
 * At most this many retries per request (retry.attempts): each one is another request to a
 * backend, and one route's rule could otherwise multiply its requests without bound.
 */
const MAX_RETRIES = 10;


/**
 * Paths are routed, and sent to the backend, in one normal form, so that "//admin", "/x/../admin",
 * "/./admin" and "/%61dmin" cannot slip past a rule for "/admin" to a catch-all whose backend reads
 * them as "/admin". Unreserved characters are decoded first, so "%2e%2e" is a dot segment; "%2F"
 * stays encoded, a slash inside a segment. Only paths holding "%", "//" or "/." are touched, and
 * their query is put back as it came (HAProxy's normalizers work on the whole URI; query values
 * are matched as sent). An invalid percent-encoding in such a request is refused with 400.
 * `normalize-uri` is experimental in HAProxy 2.6: the global section allows it. (2.6 quirk: the
 * two percent normalizers ignore their condition unless `strict` is written out.)
 */
const PATH_NORMALIZATION = [
  'http-request set-var(txn.norm) bool(1) if { path -m sub % // /. }',
  'http-request set-var(txn.oq) query if { var(txn.norm) -m bool }',
  ...['percent-decode-unreserved strict', 'percent-to-uppercase strict', 'path-merge-slashes', 'path-strip-dot', 'path-strip-dotdot full'].map(
    (n) => `http-request normalize-uri ${n} if { var(txn.norm) -m bool }`,
  ),
  'http-request set-query %[var(txn.oq)] if { var(txn.oq) -m found }',
];

/** The virtual host id of names no route serves: no map key starts with it, so they get 404. */
const NO_VHOST = '0';

/** Resolution of a split rule's weighted draw; each split rule owns this many numbers in the pick map. */
const SPLIT_SCALE = 1_000_000;
/** Answers the share of a split rule that belongs to backendRefs that could not be resolved. */
const INVALID_SHARE_BACKEND = 'invalid_backend_ref';

/** A rule whose backendRefs carry filters of their own (and that forwards at all). */
function isSplit(rule: IRHTTPRule): boolean {
  if (rule.noBackends || rule.filters.some((f) => f.type === 'RequestRedirect')) return false;
  return rule.backends.some((b) => b.weight > 0 && b.filters.length > 0);
}

const ROUTE_LUA_FILE = 'route.lua';

const RETRIES_EXHAUSTED_FILE = 'retries-exhausted.http';
const RETRIES_EXHAUSTED_BODY = 'no response from the backend after every retry\n';
const RETRIES_EXHAUSTED = [
  'HTTP/1.1 503 Service Unavailable',
  'content-type: text/plain',
  `content-length: ${RETRIES_EXHAUSTED_BODY.length}`,
  'cache-control: no-cache',
  'connection: close',
  '',
  RETRIES_EXHAUSTED_BODY,
].join('\r\n');

/**
 * A Gateway API duration in milliseconds as a HAProxy timer takes it; undefined when absent or
 * zero (no timeout). HAProxy's timers hold at most 2^31-1 ms (24.8 days) and refuse the whole
 * configuration beyond; a longer timeout means no practical limit, so it becomes the longest one.
 */
function positiveMs(d: string | undefined): number | undefined {
  const ms = d ? durationMs(d) : undefined;
  return ms !== undefined && ms > 0 ? Math.min(ms, MAX_TIMER_MS) : undefined;
}

const POLICY_FAIL_CLOSED = `http-request return status 500 content-type text/plain string "this rule cannot be served: a TrafficPolicy that applies to it cannot be carried out\\n"`;

/** A rule's policy over its listener's, field by field (each field whole, as the graph merged them). */
function effectivePolicy(rule: IRTrafficPolicy | undefined, listener: IRTrafficPolicy | undefined): IRTrafficPolicy {
  const out: IRTrafficPolicy = {};
  for (const field of ['failClosed', 'headerModifiers', 'rateLimit', 'extAuth', 'basicAuth', 'jwtAuth', 'apiKeyAuth', 'rbac', 'cors', 'timeouts', 'retry', 'buffer', 'compression', 'urlRewrite', 'csrf'] as const) {
    // `false` (turned off at the rule) wins over the listener's setting, as a value does.
    const value = rule?.[field] ?? listener?.[field];
    if (value !== undefined) (out as Record<typeof field, unknown>)[field] = value;
  }
  return out;
}

/** A policy's path rewrite, after the rule's filters; a rule that rewrites its path itself keeps its own. */
function policyRewrite(policy: IRTrafficPolicy, filters: readonly IRFilter[]): string[] {
  if (!policy.urlRewrite || filters.some((f) => f.type === 'URLRewrite' && f.path)) return [];
  return urlRewriteLines(policy.urlRewrite);
}

/**
 * A policy's header modifiers. They go before the rule's own filters, so that for the same
 * header the route's filter, the more specific, has the last word, on requests and responses.
 */
function policyHeaderLines(policy: IRTrafficPolicy): string[] {
  const m = policy.headerModifiers;
  return [...(m?.request ? headerModifier('http-request', m.request) : []), ...(m?.response ? headerModifier('http-response', m.response) : [])];
}

/**
 * Local rate limits: one stick table per bucket (a policy's scope: a rule, or a listener for a
 * policy attached above the routes), shared by every backend the bucket covers, in every port.
 * The table counts the requests let through (gpc0) over the window; refused ones are not
 * counted, so a client that keeps knocking is let in again as the window moves on.
 */
class RateLimitTables {
  private readonly names = new Map<string, { name: string; periodMs: number; keyType: string }>();

  lines(rl: NonNullable<IRTrafficPolicy['rateLimit']>): string[] {
    let table = this.names.get(rl.scope);
    // One entry for a shared bucket; one per client (at most this many at once) otherwise.
    const keyType = !rl.key ? 'integer size 1' : rl.key.type === 'RemoteAddress' ? 'ipv6 size 100k' : 'string len 128 size 100k';
    if (!table) {
      table = { name: `rl_${contentHash(rl.scope)}`, periodMs: rl.periodMs, keyType };
      this.names.set(rl.scope, table);
    }
    const fetch = !rl.key ? 'int(0)' : rl.key.type === 'RemoteAddress' ? 'src' : `req.hdr(${fetchArg(rl.key.header, 'header name')})`;
    const headers = `hdr retry-after ${rl.retryAfterSeconds} hdr x-ratelimit-limit ${rl.limit} hdr x-ratelimit-remaining 0`;
    return [
      `http-request track-sc0 ${fetch} table ${table.name}`,
      `http-request return status 429 content-type text/plain string "rate limit exceeded\\n" ${headers} if { sc_gpc0_rate(0) ge ${rl.limit} }`,
      'http-request sc-inc-gpc0(0)',
    ];
  }

  sections(): Section[] {
    return [...this.names.values()].map(({ name, periodMs, keyType }) => ({
      keyword: 'backend' as const,
      name,
      directives: [`stick-table type ${keyType} expire ${Math.min(2 * periodMs, MAX_TIMER_MS)}ms store gpc0_rate(${Math.min(periodMs, MAX_TIMER_MS)}ms)`],
    }));
  }
}

/** A name used as a sample fetch argument, where nothing may need quoting. */
function fetchArg(value: string, what: string): string {
  if (!isFetchArgSafe(value)) throw new UnsafeValueError(`${what} ${JSON.stringify(value)} cannot be used as a fetch argument`);
  return value;
}

/** A backend's directives, and its servers when it forwards. */
interface BackendBody {
  directives: string[];
  pool?: ServerPool;
  /**
   * Retries that a request timeout bounds as a whole: the lines of the backend that makes the
   * attempts (see attemptsBackend). Without it they are among `directives`.
   */
  attempts?: { requestMs: number; directives: string[] };
}

class PortRenderer {
  private readonly backendSections: Section[] = [];
  /** Backends already in the log map of this port (one may have been made for another port). */
  private readonly logged = new Set<string>();
  private readonly vhostIds = new Map<IRVirtualHost, string>();
  private readonly exactMap: string[] = [];
  private readonly prefixMap: string[] = [];
  /** Which request fields the port's conditional groups read: only those are handed to Lua. */
  private readonly groupNeeds = { headers: false, query: false, any: false };
  /** Rules split over backendRefs with filters of their own: dispatch name → offset in the pick map. */
  private readonly splitMap: string[] = [];
  private readonly pickMap: string[] = [];
  private readonly splitsBySignature = new Map<string, string>();
  private usesInvalidShare = false;
  private readonly listenerOf = new Map<IRVirtualHost, IRListener>();
  private readonly vhostNames = new ContentNames('v');
  private readonly backendNames: ContentNames;
  /** With an access log, each rule gets backends of its own, and the log map names their route and backends. */
  private readonly logMap: string[] | undefined;
  /** Rules share no backends: with an access log, or with route metrics. */
  private readonly perRule: boolean;
  /** What TLS servers of this port's backends are shown: the port's own in a shared data plane, else the Gateway's. */
  private readonly clientCertificate: IRCertificate | undefined;

  constructor(
    private readonly gw: IRGateway,
    private readonly port: IRPort,
    private readonly dir: string,
    private readonly files: Record<string, string>,
    private readonly mirrors: MirrorRenderer,
    private readonly groups: GroupTable,
    private readonly rateLimits: RateLimitTables,
    private readonly extAuth: ExtAuthServices,
    /** Names of the attempts hops' sockets, for the whole Gateway. */
    private readonly attemptSockets: ContentNames,
    /**
     * Rule backends of every port by signature: a rule with the same lines to the same Services on
     * another port (or, in a shared data plane, another Gateway) uses the same backend and pool.
     */
    private readonly backendsBySignature: Map<string, string>,
    /** With route metrics on, where the port's backends and frontend are recorded. */
    private readonly metrics: RouteMetricsTable | undefined,
  ) {
    this.backendNames = new ContentNames(`p${port.port}_r`);
    if (port.settings?.accessLog && port.mode === 'HTTP') this.logMap = [];
    this.perRule = this.logMap !== undefined || metrics !== undefined;
    this.clientCertificate = port.backendClientCertificate ?? gw.backendClientCertificate;
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  /** `bind`: where to listen instead of the Gateway's addresses (behind a stream frontend, render-stream.ts). */
  render(bind?: string): { frontend: Section; backends: Section[]; usesInvalidShare: boolean; accessLog?: AccessLogRendering } {
    const p = this.port.port;
    const table = buildHostTable(this.port);
    const idOf = (t: HostTarget | undefined): string | undefined => (t ? this.vhostId(t) : undefined);

    // A name whose listener has no route for it still needs its entry, pointing at a virtual host
    // without rules (404): left out, a less specific listener's wildcard would take it.
    const hosts = [...table.exact].map(([h, t]) => `${mapField(h, 'hostname')} ${idOf(t) ?? NO_VHOST}`);
    const wild = table.wildcards.map(([h, t]) => `${mapField(h.slice(1), 'hostname')} ${idOf(t) ?? NO_VHOST}`);
    const fallback = idOf(table.fallback);
    this.files[`p${p}.hosts.map`] = hosts.join('\n') + '\n';
    this.files[`p${p}.wild.map`] = wild.join('\n') + '\n';

    for (const [vhost, id] of this.vhostIds) this.routeVhost(vhost, id);
    this.files[`p${p}.exact.map`] = this.exactMap.join('\n') + '\n';
    this.files[`p${p}.prefix.map`] = this.prefixMap.join('\n') + '\n';

    const f: string[] = [];
    // The crt-list is written once and shared by every address's bind line.
    const tls = this.tlsBind();
    // Behind a stream frontend the public bind takes the PROXY header (render-stream.ts).
    const proxy = bind === undefined && this.port.settings?.proxyProtocol ? ' accept-proxy' : '';
    for (const b of bind !== undefined ? [bind] : this.gw.addresses.map((a) => hostPort(a, p))) f.push(`bind ${b}${tls}${proxy}`);
    if (this.metrics?.latency) f.push(LATENCY_START_LINE);
    let accessLog: AccessLogRendering | undefined;
    if (this.logMap && this.port.settings?.accessLog) {
      accessLog = accessLogLines(this.port.settings.accessLog, this.file(`p${p}.log.map`), this.port.settings.healthCheckPath);
      f.push(...accessLog.frontendLines, ...accessLog.requestLines);
    }
    f.push(...portSettingsLines(this.port.settings));
    const misdirected = this.misdirected();
    // The Host header without port, lower-cased: what listener and route hostnames match. An IPv6
    // literal ("[::1]:80") becomes "[", which, like the literal itself, matches no hostname.
    const host = 'req.hdr(host),lower,field(1,:)';
    const hostVar = wild.length > 0 || misdirected.length > 0;
    f.push(
      ...(hostVar ? [`http-request set-var(txn.host) ${host}`] : []),
      ...misdirected,
      ...PATH_NORMALIZATION,
      `http-request set-var(txn.path) path`,
      ...this.routing(hostVar ? 'var(txn.host)' : host, hosts.length > 0, wild.length > 0, fallback),
      `default_backend not_found`,
    );
    if (this.logMap) this.files[`p${p}.log.map`] = this.logMap.join('\n') + '\n';
    if (this.metrics) this.metrics.frontends[`p${p}`] = { port: this.port.publicPort ?? p, ...(this.port.gateway ? { gateway: this.port.gateway } : {}) };
    return { frontend: { keyword: 'frontend', name: `p${p}`, directives: f }, backends: this.backendSections, usesInvalidShare: this.usesInvalidShare, ...(accessLog ? { accessLog } : {}) };
  }

  /**
   * Picks the backend. The virtual host comes from the host: exact hostname, then the longest
   * wildcard, then the default. The rule is then looked up in maps by "vhost|path": the exact
   * path, then the longest prefix ("key/" against "prefix/" keeps prefixes segment-aware). The
   * answer is a backend, or a group of conditional candidates that Lua evaluates for this request
   * (route-groups.ts). Each line costs on every request, so a step is left out when its table is
   * empty, and the common case (exact hostnames, prefixes) folds into one dynamic use_backend.
   */
  private routing(host: string, exactHosts: boolean, wildHosts: boolean, fallback: string | undefined): string[] {
    const p = this.port.port;
    const out: string[] = [];
    const hostsMap = `map_str(${this.file(`p${p}.hosts.map`)}${fallback && !wildHosts ? `,${fallback}` : ''})`;
    let vhost: string | undefined;
    if (wildHosts) {
      if (exactHosts) out.push(`http-request set-var(txn.vh) ${host},${hostsMap}`);
      const unlessFound = out.length ? ' if !{ var(txn.vh) -m found }' : '';
      out.push(`http-request set-var(txn.vh) ${host},map_end(${this.file(`p${p}.wild.map`)}${fallback ? `,${fallback}` : ''})${unlessFound}`);
      vhost = 'var(txn.vh)';
    } else if (exactHosts) vhost = `${host},${hostsMap}`;
    else if (fallback) vhost = `str(${fallback})`;
    if (!vhost) return out;

    const exact = this.exactMap.length > 0;
    const prefix = this.prefixMap.length > 0;
    const split = this.splitMap.length > 0;
    const lua = this.groupNeeds.any;
    if (prefix && !exact && !split && !lua) {
      // The common case in one expression, no variable: "vhost|path/" looked up by longest prefix.
      // A name the map does not give resolves to no backend: the request goes to default_backend.
      return [...out, `use_backend "%[${vhost},concat('|',txn.path,'/'),map_beg(${this.file(`p${p}.prefix.map`)})]"`];
    }
    if (exact) {
      out.push(`http-request set-var(txn.rk) ${vhost},concat('|',txn.path)`, `http-request set-var(txn.be) var(txn.rk),map_str(${this.file(`p${p}.exact.map`)})`);
      if (prefix) out.push(`http-request set-var(txn.rk) var(txn.rk),concat(,,'/')`);
    } else if (prefix) out.push(`http-request set-var(txn.rk) ${vhost},concat('|',txn.path,'/')`);
    const prefixLookup = `var(txn.rk),map_beg(${this.file(`p${p}.prefix.map`)})`;
    // A split rule's dispatch name, or a group for Lua, must be in txn.be before those lines run.
    if (prefix && (split || lua)) out.push(`http-request set-var(txn.be) ${prefixLookup}${exact ? ' if !{ var(txn.be) -m found }' : ''}`);
    out.push(...this.groupLookup(), ...this.splitDispatch());
    if (exact || split || lua) out.push(`use_backend %[var(txn.be)] if { var(txn.be) -m found }`);
    // A name the map does not give resolves to no backend: the request goes to default_backend.
    if (prefix && !split && !lua) out.push(`use_backend %[${prefixLookup}]`);
    return out;
  }

  /**
   * A map answer starting with "?" names a group of conditional candidates: Lua picks the first
   * whose conditions hold. It gets "METHOD ?group path query\nheaders"; the query and headers only
   * when a group of the port reads them. Method, path and query hold no space or newline, so the
   * positions are unambiguous, and only header lines start with a newline.
   */
  private groupLookup(): string[] {
    const n = this.groupNeeds;
    if (!n.any) return [];
    const when = 'if { var(txn.be) -m beg ? }';
    return [
      ...(n.query ? [`http-request set-var(txn.q) query ${when}`] : []),
      ...(n.headers ? [`http-request set-var(txn.h) req.hdrs ${when}`] : []),
      // The method leads: as a variable HAProxy 2.6 would keep a method it has no name for
      // (PATCH, anything not in its list) as the wrong one ("OPTIONS"); concat makes it text.
      `http-request set-var(txn.be) method,concat(' ',txn.be),concat(' ',txn.path),concat(' ',txn.q),concat("\\n",txn.h),lua.portico_route ${when}`,
    ];
  }

  /**
   * 421 for a request whose Host belongs to another HTTPS listener than the one its TLS server
   * name selected: a client reusing one connection for several hosts (HTTP/2 coalescing) must not
   * reach a listener whose certificate it never saw. Both names pick their listener the same way:
   * exact hostname, then the longest wildcard, then the listener without hostname ("-" if none).
   */
  private misdirected(): string[] {
    const tls = this.port.listeners.filter((l) => l.protocol === 'HTTPS');
    if (tls.length < 2) return [];
    const p = this.port.port;
    const exact: string[] = [];
    const wild: [string, string][] = [];
    let fallback = '-';
    tls.forEach((l, i) => {
      if (!l.hostname) fallback = `l${i}`;
      else if (l.hostname.startsWith('*.')) wild.push([mapField(l.hostname.slice(1), 'hostname'), `l${i}`]);
      else exact.push(`${mapField(l.hostname, 'hostname')} l${i}`);
    });
    wild.sort(([a], [b]) => b.length - a.length);
    this.files[`p${p}.listeners.map`] = exact.join('\n') + '\n';
    this.files[`p${p}.listeners-wild.map`] = wild.map(([k, v]) => `${k} ${v}`).join('\n') + '\n';
    const lookup = (variable: string, input: string): string[] => [
      `http-request set-var(${variable}) ${input},map_str(${this.file(`p${p}.listeners.map`)}) if { ssl_fc_sni -m found }`,
      `http-request set-var(${variable}) ${input},map_end(${this.file(`p${p}.listeners-wild.map`)}) if { ssl_fc_sni -m found } !{ var(${variable}) -m found }`,
      `http-request set-var(${variable}) str(${fallback}) if { ssl_fc_sni -m found } !{ var(${variable}) -m found }`,
    ];
    return [
      ...lookup('txn.sl', 'ssl_fc_sni,lower'),
      ...lookup('txn.hl', 'var(txn.host)'),
      `http-request return status 421 content-type text/plain string "misdirected request: the Host header names another listener than the TLS server name\\n" if { ssl_fc_sni -m found } !{ var(txn.sl),strcmp(txn.hl) eq 0 }`,
    ];
  }

  private tlsBind(): string {
    const https = (l: IRListener) => l.protocol === 'HTTPS' && l.tls?.mode === 'Terminate';
    if (!this.port.listeners.some(https)) return '';
    const list = writeCrtList(this.port, https, `p${this.port.port}.crt-list`, '[alpn h2,http/1.1] ', this.dir, this.files);
    return ` ssl crt-list ${list} alpn h2,http/1.1${this.clientValidation(https)}`;
  }

  /**
   * The bind options that ask clients for a certificate. They apply to every crt-list line (lines
   * override only what they set), and the Gateway API sets validation per port, not per hostname.
   * AllowInsecureFallback still asks, but lets the handshake succeed whatever the client sends.
   */
  private clientValidation(https: (l: IRListener) => boolean): string {
    const v = this.port.listeners.find((l) => https(l) && l.tls?.clientValidation)?.tls?.clientValidation;
    if (!v) return '';
    const name = `p${this.port.port}.client-ca.pem`;
    this.files[name] = v.caPem;
    const file = this.file(name);
    return v.insecureFallback ? ` ca-file ${file} verify optional ca-ignore-err all crt-ignore-err all` : ` ca-file ${file} verify required`;
  }

  private vhostId(t: HostTarget): string {
    let id = this.vhostIds.get(t.vhost);
    if (!id) {
      // Named after listener and hostname, so a virtual host keeps its map keys when others come and go.
      id = this.vhostNames.nameOf(`${t.listener.id}\n${t.vhost.hostname}`);
      this.vhostIds.set(t.vhost, id);
      this.listenerOf.set(t.vhost, t.listener);
    }
    return id;
  }

  private routeVhost(vhost: IRVirtualHost, id: string): void {
    const listener = this.listenerOf.get(vhost) as IRListener;
    const rules: RuleTarget[] = vhost.rules.map((rule) => ({ match: rule.match, target: this.ruleBackend(rule, listener) }));
    const entries = vhostEntries(rules);
    for (const [path, answer] of entries.exact) this.exactMap.push(`${mapField(`${id}|${path}`, 'path')} ${this.answer(answer)}`);
    for (const [key, answer] of entries.prefix) this.prefixMap.push(`${mapField(`${id}|${key}`, 'path')} ${this.answer(answer)}`);
  }

  /** A map value: the target itself, or "?" and the key of the group in the groups map. */
  private answer(a: Answer): string {
    if (a.kind === 'target') return a.target;
    const n = this.groupNeeds;
    n.any = true;
    for (const { match: m } of a.candidates) {
      n.headers ||= m.headers.length > 0;
      n.query ||= m.queryParams.length > 0;
    }
    return `?${this.groups.add(encodeGroup(a.candidates))}`;
  }

  /**
   * What routing selects for one rule: the backend that carries out its filters, then its servers,
   * or, when its backendRefs carry filters of their own, a split dispatched over one backend per
   * backendRef. Identical rules share one.
   */
  private ruleBackend(rule: IRHTTPRule, listener: IRListener): string {
    if (isSplit(rule)) return this.splitRule(rule, listener);
    return this.backend(this.ruleBackendBody(rule, listener), rule, rule.backends, listener);
  }

  private backend(body: BackendBody, rule: IRHTTPRule, refs: readonly IRBackendRef[], listener: IRListener): string {
    // Shared by rules with the same lines and the same Services, whatever their endpoints: keyed
    // by server addresses instead, an endpoint change could split or merge backends, and a
    // change the runtime API can make would need a reload.
    const attempts = body.attempts ? [`attempts within ${body.attempts.requestMs}`, ...body.attempts.directives] : [];
    const comment = `${rule.route.kind} ${rule.route.namespace}/${rule.route.name} rule ${rule.ruleIndex}`;
    // Route metrics tell a rule's listeners apart too: one rule attached to two listeners of the port is two series.
    const owner = [...(this.perRule ? [comment] : []), ...(this.metrics ? [`listener ${listener.id}`] : [])];
    // Gateways of a shared data plane that show TLS backends different certificates cannot share the backend.
    const shown = refs.map((r) => certificateShownTo(this.gw.backends[r.backend], this.clientCertificate)).find((c) => c !== undefined);
    const certificate = shown ? [`crt ${backendClientCertificateName(shown)}`] : [];
    const signature = [...body.directives, ...attempts, ...(body.pool ? ['balance'] : []), ...refs.map((r) => (refs.length > 1 ? `${r.backend} ${r.weight}` : r.backend)), ...certificate, ...owner].join('\n');
    const known = this.backendsBySignature.get(signature);
    if (known) {
      if (this.logMap && !this.logged.has(known)) {
        this.logged.add(known);
        this.logMap.push(...logMapLines(known, rule, body.pool?.refs ?? refs, body.attempts !== undefined));
      }
      return known;
    }
    const name = this.backendNames.nameOf(signature);
    this.backendsBySignature.set(signature, name);
    if (this.logMap) {
      this.logged.add(name);
      this.logMap.push(...logMapLines(name, rule, body.pool?.refs ?? refs, body.attempts !== undefined));
    }
    if (this.metrics) {
      const r = rule.route;
      const route = { ...(this.port.gateway ? { gateway: this.port.gateway } : {}), listener: listener.name, routeKind: r.kind, route: `${r.namespace}/${r.name}`, rule: String(rule.ruleIndex) };
      this.metrics.backends[name] = { route, servers: (body.pool?.refs ?? []).map((ref) => ref.backend) };
      if (body.attempts && body.pool) this.metrics.attempts[`${name}_a`] = name;
    }
    // Latency histograms count the responses of the backend the rule's requests go to first.
    const latency = this.metrics?.latency && body.pool ? latencyBackendLines(this.metrics.latency) : [];
    const directives = [...latency, ...body.directives];
    if (body.attempts && body.pool) this.backendSections.push(...this.attemptsBackend(name, comment, { ...body, directives } as Required<BackendBody>));
    else this.backendSections.push({ keyword: 'backend', name, comment, directives: [...directives, ...(body.attempts?.directives ?? [])], ...(body.pool ? { pool: body.pool } : {}) });
    return name;
  }

  /**
   * HAProxy 2.6 bounds each attempt (timeout server) but not a request across its retries, and the
   * Gateway API's request timeout covers them all. So such a rule takes two hops: its backend
   * (filters, then `timeout server` set to the request timeout, a 504 when it passes) sends to an
   * internal frontend whose backend makes the attempts, each bounded by the backend request
   * timeout. When the outer hop gives up it closes the inner connection, which stops the retries.
   * The pool sits in the inner backend, so endpoint changes still go through the runtime API.
   */
  private attemptsBackend(name: string, comment: string, body: Required<BackendBody>): Section[] {
    // Named by a short hash of the backend's name: a unix socket path has little room (sockets.ts).
    const socket = internalSocket(this.dir, this.attemptSockets.nameOf(name));
    const { requestMs, directives } = body.attempts;
    return [
      { keyword: 'backend', name, comment, directives: [...body.directives, `timeout server ${requestMs}ms`, `server attempts ${socket}`] },
      // The inner client timeout outlasts the outer server timeout: the outer hop decides.
      { keyword: 'frontend', name: `${name}_t`, directives: [`bind ${socket}`, `timeout client ${Math.min(requestMs + 1000, MAX_TIMER_MS)}ms`, `default_backend ${name}_a`] },
      { keyword: 'backend', name: `${name}_a`, comment: `the attempts of ${name}`, directives, pool: body.pool },
    ];
  }

  /**
   * HAProxy applies a backend's rules before it picks a server, so filters that belong to one
   * backendRef need a backend of their own. Routing selects a dispatch name; the frontend then draws
   * one of the rule's backends by weight (see splitDispatch), the invalid share included.
   */
  private splitRule(rule: IRHTTPRule, listener: IRListener): string {
    const shares: [string, number][] = rule.backends
      .filter((ref) => ref.weight > 0)
      .map((ref) => [this.backend(this.ruleBackendBody(rule, listener, ref), rule, [ref], listener), ref.weight]);
    if (rule.invalidWeight > 0) {
      shares.push([INVALID_SHARE_BACKEND, rule.invalidWeight]);
      this.usesInvalidShare = true;
    }
    const signature = JSON.stringify(shares);
    const known = this.splitsBySignature.get(signature);
    if (known) return known;
    const index = this.splitsBySignature.size;
    const name = `p${this.port.port}_s${index + 1}`;
    this.splitsBySignature.set(signature, name);
    const base = index * SPLIT_SCALE;
    const total = shares.reduce((s, [, w]) => s + w, 0);
    let low = 0;
    let cumulative = 0;
    for (const [backend, weight] of shares) {
      cumulative += weight;
      const high = Math.round((cumulative / total) * SPLIT_SCALE);
      if (high > low) this.pickMap.push(`${base + low}:${base + high - 1} ${backend}`);
      low = high;
    }
    this.splitMap.push(`${name} ${base}`);
    return name;
  }

  /** Replaces a split rule's dispatch name by one of its backends, drawn by weight. */
  private splitDispatch(): string[] {
    if (this.splitMap.length === 0) return [];
    const p = this.port.port;
    this.files[`p${p}.split.map`] = this.splitMap.join('\n') + '\n';
    this.files[`p${p}.pick.map`] = this.pickMap.join('\n') + '\n';
    return [
      `http-request set-var(txn.sb) var(txn.be),map_str(${this.file(`p${p}.split.map`)}) if { var(txn.be) -m beg p${p}_s }`,
      `http-request set-var(txn.be) rand(${SPLIT_SCALE}),add(txn.sb),map_int(${this.file(`p${p}.pick.map`)}) if { var(txn.sb) -m found }`,
    ];
  }

  /** One rule's backend; with `only`, the backend of that one backendRef of a split rule. */
  private ruleBackendBody(ownRule: IRHTTPRule, listener: IRListener, only?: IRBackendRef): BackendBody {
    const policy = effectivePolicy(ownRule.policy, listener.policy);
    // A TrafficPolicy that cannot be carried out (its status says why) stops everything it covers.
    if (policy.failClosed) return { directives: [POLICY_FAIL_CLOSED] };
    const rule = withPolicyDefaults(ownRule, policy);
    // CORS comes first: a preflight is answered before anything else the rule does (cors.ts). The
    // rule's own CORS filter wins over a policy's.
    const cors = rule.filters.find((f) => f.type === 'CORS');
    const out: string[] = cors?.type === 'CORS' ? corsLines(cors.cors) : policy.cors ? corsLines(policy.cors) : [];
    if (policy.rbac) out.push(...rbacLines(policy.rbac));
    if (policy.csrf) out.push(...csrfLines(policy.csrf));
    if (policy.buffer) out.push(...bufferLines(policy.buffer.maxRequestBytes));
    if (policy.compression?.response) out.push(...compressionLines());
    // Who the client is comes before what it may do: authentication, then the rate limit.
    if (policy.basicAuth) out.push(...basicAuthLines(policy.basicAuth, this.dir, this.files));
    if (policy.apiKeyAuth) out.push(...apiKeyAuthLines(policy.apiKeyAuth, this.dir, this.files));
    if (policy.jwtAuth) out.push(...jwtAuthLines(policy.jwtAuth, this.dir, this.files));
    if (policy.extAuth) out.push(...this.extAuth.lines(policy.extAuth, this.clientCertificate));
    if (policy.rateLimit) out.push(...this.rateLimits.lines(policy.rateLimit));
    if (only) {
      out.push(...policyHeaderLines(policy));
      for (const f of [...rule.filters, ...only.filters]) out.push(...this.filter(f, rule, listener));
      out.push(...policyRewrite(policy, [...rule.filters, ...only.filters]));
      return { ...this.withSettings(out, this.backendSettings(rule), rule), pool: this.servers([only]) };
    }
    if (rule.failClosed) {
      // The route's status says which filter; the answer names none of the route's own values.
      out.push(`http-request return status 500 content-type text/plain string "this rule cannot be served: it uses a feature Portico does not support\\n"`);
      return { directives: out };
    }
    const total = rule.backends.reduce((s, b) => s + b.weight, 0) + rule.invalidWeight;
    // A redirect or a direct response answers at the proxy: the rule needs no backend.
    const answers = rule.filters.find((f) => f.type === 'RequestRedirect' || f.type === 'DirectResponse');
    if (!answers) {
      if (rule.noBackends || total === 0) {
        out.push(`http-request return status 500 content-type text/plain string "no backend for this rule\\n"`);
        return { directives: out };
      }
      if (rule.invalidWeight > 0) {
        // The share of invalid backendRefs answers 500, as the spec asks.
        out.push(`http-request return status 500 content-type text/plain string "invalid backend\\n" if { rand(${total}) -m int lt ${rule.invalidWeight} }`);
      }
    }
    out.push(...policyHeaderLines(policy));
    for (const f of rule.filters) out.push(...this.filter(f, rule, listener));
    if (answers) return { directives: out };
    out.push(...policyRewrite(policy, rule.filters));
    const settings = this.backendSettings(rule);
    const session = rule.sessionPersistence;
    const pool = this.servers(rule.backends, session?.type === 'Cookie');
    if (session?.type === 'Cookie') settings.push(sessionCookie(session));
    if (session?.type === 'Header') settings.push(...sessionHeader(session, pool));
    return { ...this.withSettings(out, settings, rule), pool };
  }

  /**
   * The rule's filter lines with the lines that govern its attempts (timeouts, retries, session
   * cookie): together, or apart when a request timeout must bound the retries as a whole.
   */
  private withSettings(directives: string[], settings: string[], rule: IRHTTPRule): Pick<BackendBody, 'directives' | 'attempts'> {
    const requestMs = rule.retry ? positiveMs(rule.timeouts?.request) : undefined;
    if (requestMs === undefined) return { directives: [...directives, ...settings] };
    return { directives, attempts: { requestMs, directives: settings } };
  }

  /** Lines of the backend that sends a rule's requests: per-attempt timeout and retries. */
  private backendSettings(rule: IRHTTPRule): string[] {
    const out: string[] = [];
    const timeout = this.timeoutMs(rule);
    if (timeout !== undefined) out.push(`timeout server ${timeout}ms`);
    if (rule.retry) {
      const codes = (rule.retry.codes ?? []).filter((c) => RETRYABLE.has(c));
      out.push(`retries ${Math.min(rule.retry.attempts ?? 1, MAX_RETRIES)}`, `retry-on conn-failure empty-response response-timeout${codes.map((c) => ` ${c}`).join('')}`);
      // When the last attempt also ends without a response (a reset, a closed connection), HAProxy
      // answers 502 of its own; the Gateway API asks for 503 (or 500) once retries are exhausted.
      // errorfile replaces only what HAProxy generates: a 502 the backend sends passes unchanged.
      this.files[RETRIES_EXHAUSTED_FILE] = RETRIES_EXHAUSTED;
      out.push(`errorfile 502 ${this.file(RETRIES_EXHAUSTED_FILE)}`);
    }
    return out;
  }

  /** The time one attempt may take: the shorter of the two timeouts. */
  private timeoutMs(rule: IRHTTPRule): number | undefined {
    const values = [positiveMs(rule.timeouts?.request), positiveMs(rule.timeouts?.backendRequest)].filter((t): t is number => t !== undefined);
    return values.length ? Math.min(...values) : undefined;
  }

  private servers(refs: readonly IRBackendRef[], cookies = false): ServerPool {
    return serverPool(this.gw.backends, refs, { http: true, cookies, caFile: caFileWriter(this.dir, this.files), clientCertificate: backendClientCertificateFile(this.clientCertificate, this.dir, this.files) });
  }

  private filter(f: IRFilter, rule: IRHTTPRule, listener: IRListener): string[] {
    switch (f.type) {
      case 'RequestHeaderModifier':
        return headerModifier('http-request', f.modifier);
      case 'ResponseHeaderModifier':
        return headerModifier('http-response', f.modifier);
      case 'URLRewrite': {
        const out: string[] = [];
        if (f.hostname) out.push(`http-request set-header host ${formatWord(f.hostname, 'hostname')}`);
        if (f.path) out.push(...newPath(f.path, rule), `http-request set-path %[var(txn.np)]`);
        return out;
      }
      case 'RequestRedirect':
        return this.redirect(f, rule, listener);
      case 'RequestMirror':
        return this.mirrors.filter(f, this.clientCertificate);
      case 'CORS':
        return []; // rendered first, by ruleBackendBody
      case 'DirectResponse':
        return [this.directResponse(f)];
    }
  }

  /** The body goes to a file named by its content: any text, no quoting. */
  private directResponse(f: Extract<IRFilter, { type: 'DirectResponse' }>): string {
    if (!Number.isInteger(f.status) || f.status < 200 || f.status > 599) throw new UnsafeValueError(`direct response status ${f.status} is not an HTTP status`);
    if (f.body === undefined) return `http-request return status ${f.status}`;
    const name = `direct-${contentHash(f.body)}.txt`;
    this.files[name] = f.body;
    return `http-request return status ${f.status} content-type text/plain file ${this.file(name)}`;
  }

  private redirect(f: Extract<IRFilter, { type: 'RequestRedirect' }>, rule: IRHTTPRule, listener: IRListener): string[] {
    const out: string[] = [];
    const listenerScheme = listener.protocol === 'HTTPS' ? 'https' : 'http';
    const scheme = f.scheme ?? listenerScheme;
    const port = f.port ?? (f.scheme ? (f.scheme === 'https' ? 443 : 80) : (this.port.publicPort ?? this.port.port));
    const defaultPort = (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443);
    // The request's host with its port removed; unlike txn.host this keeps IPv6 literals whole.
    if (!f.hostname) out.push(`http-request set-var(txn.rhost) req.hdr(host),lower,regsub(':[0-9]+$','')`);
    const host = f.hostname ? literalFormat(f.hostname, 'hostname') : '%[var(txn.rhost)]';
    let pathFmt = '%[var(txn.path)]';
    if (f.path) {
      out.push(...newPath(f.path, rule));
      pathFmt = '%[var(txn.np)]';
    }
    const location = `${literalFormat(scheme, 'scheme')}://${host}${defaultPort ? '' : `:${port}`}${pathFmt}`;
    out.push(
      `http-request redirect location ${word(`${location}?%[query]`)} code ${f.statusCode} if { query -m len gt 0 }`,
      `http-request redirect location ${word(location)} code ${f.statusCode}`,
    );
    return out;
  }
}

/**
 * Cookie-based session persistence: HAProxy inserts a cookie naming the server slot a client was
 * first sent to and sends it there again while that slot is up. `indirect` keeps the cookie from
 * the backend, `nocache` keeps shared caches from storing it. An absolute timeout bounds the
 * session (maxlife, checked by HAProxy); a Permanent one also becomes the cookie's Max-Age.
 */
function sessionCookie(p: IRSessionPersistence): string {
  const life = seconds(p.absoluteTimeout);
  const parts = [`cookie ${word(p.name, 'cookie name')} insert indirect nocache httponly`];
  if (life !== undefined) parts.push(`maxlife ${life}s`);
  if (p.permanent && life !== undefined) parts.push(`attr ${word(`Max-Age=${life}`, 'cookie attribute')}`);
  return parts.join(' ');
}

/** A session duration in whole seconds (at least one), as HAProxy's dates count. */
function seconds(d: string | undefined): number | undefined {
  const ms = d ? durationMs(d) : undefined;
  return ms !== undefined ? Math.max(1, Math.ceil(Math.min(ms, MAX_TIMER_MS) / 1000)) : undefined;
}

/**
 * Header-based session persistence. Each response carries the header "<slot>.<start>": the
 * server slot that answered and when the session began (Unix seconds). A request bringing it
 * back goes to that slot while the slot is up and the session is within its absolute timeout;
 * otherwise it is balanced as usual and starts a new
 * session. The header is not passed to the backend. A client can name any slot of the backend,
 * as it can with HAProxy's cookies: the token chooses among servers, it authorises nothing.
 */
function sessionHeader(p: IRSessionPersistence, pool: ServerPool): string[] {
  const h = word(p.name, 'header name');
  const life = seconds(p.absoluteTimeout);
  return [
    `http-request set-var(txn.sps) req.hdr(${h}),field(1,.) if { req.hdr(${h}) -m reg ^s[0-9]+_[0-9]+[.][0-9]{1,12}$ }`,
    `http-request set-var(txn.sp0) req.hdr(${h}),field(2,.) if { var(txn.sps) -m found }`,
    ...(life !== undefined ? [`http-request unset-var(txn.sps) if { date,sub(txn.sp0) gt ${life} }`] : []),
    `http-request del-header ${h}`,
    ...pool.slots.map((s) => `use-server ${s.name} if { var(txn.sps) -m str ${s.name} }`),
    `http-response set-var(txn.sp0) date unless { srv_name,strcmp(txn.sps) eq 0 }`,
    `http-response set-header ${h} %[srv_name].%[var(txn.sp0)] if { srv_name -m found }`,
  ];
}

/** Sets txn.np to the rewritten path of a URLRewrite or RequestRedirect. */
function newPath(p: IRPathModifier, rule: IRHTTPRule): string[] {
  if (p.type === 'ReplaceFullPath') return [`http-request set-var-fmt(txn.np) ${formatWord(p.replaceFullPath ?? '/', 'path')}`];
  // ReplacePrefixMatch: the matched prefix is this rule's own PathPrefix; the rest of the path
  // (empty, or starting with "/") is kept after the replacement.
  const prefix = rule.match.path.type === 'PathPrefix' ? prefixOf(rule.match.path.value) : '/';
  const replacement = (p.replacePrefixMatch ?? '/').replace(/\/+$/, '');
  const restOffset = prefix === '/' ? 0 : prefix.length;
  return [
    `http-request set-var(txn.rest) var(txn.path),bytes(${restOffset})`,
    `http-request set-var-fmt(txn.np) ${word(`${literalFormat(replacement, 'path')}%[var(txn.rest)]`)}`,
    `http-request set-var(txn.np) str(/) if { var(txn.np) -m len 0 }`,
  ];
}

/** A Gateway's GatewayParameters: HAProxy's threads, connection limit, and where its own messages go. */
function processLines(p: IRGateway['process']): string[] {
  if (!p) return [];
  const out: string[] = [];
  if (p.threads !== undefined) out.push(`nbthread ${Math.trunc(p.threads)}`);
  if (p.maxConnections !== undefined) out.push(`maxconn ${Math.trunc(p.maxConnections)}`);
  if (p.logLevel !== undefined) {
    if (!/^(emerg|alert|crit|err|warning|notice|info|debug)$/.test(p.logLevel)) throw new UnsafeValueError(`${p.logLevel} is not a log level`);
    // Only the process's own messages: no proxy logs requests to the global log.
    out.push(`log stderr format raw daemon ${p.logLevel}`);
  }
  return out;
}

/**
 * The log map's lines for one backend: its route ("kind|namespace/name|rule") and, per server
 * group "s<i>", the backend of the i-th backendRef. A backend making attempts through an inner
 * hop sees one server, "attempts": it is named when the rule has one backendRef.
 */
function logMapLines(name: string, rule: IRHTTPRule, refs: readonly { backend: string }[], attempts: boolean): string[] {
  const r = rule.route;
  const out = [`${name} ${mapField(`${r.kind}|${r.namespace}/${r.name}|${rule.ruleName ?? rule.ruleIndex}`, 'route name')}`];
  refs.forEach((ref, i) => out.push(`${name}/s${i} ${mapField(ref.backend, 'backend name')}`));
  if (attempts && refs.length === 1) out.push(`${name}/attempts ${mapField((refs[0] as { backend: string }).backend, 'backend name')}`);
  return out;
}

/**
 * The frontend lines of a port's ListenerPolicy settings, before routing: timeouts, which address
 * is the client's, the health check answered by the proxy, request ids and early header changes
 * (so that they can decide the route).
 */
function portSettingsLines(s: IRPortSettings | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  const idle = positiveMs(s.idleTimeout);
  const streamIdle = positiveMs(s.streamIdleTimeout);
  if (streamIdle !== undefined) out.push(`timeout client ${streamIdle}ms`);
  if (idle !== undefined) out.push(`timeout http-keep-alive ${idle}ms`);
  if (s.clientAddressFromXff !== undefined) out.push(`http-request set-src hdr_ip(x-forwarded-for,-${Math.trunc(s.clientAddressFromXff)})`);
  if (s.appendXff) out.push('option forwardfor');
  if (s.rejectHttp10) out.push('http-request return status 426 content-type text/plain string "HTTP/1.1 or later is required\\n" hdr upgrade HTTP/1.1 if { req.ver 1.0 }');
  if (s.defaultHostForHttp10) out.push(`http-request set-header host ${formatWord(s.defaultHostForHttp10, 'host')} if { req.ver 1.0 } !{ req.hdr(host) -m found }`);
  if (s.healthCheckPath) out.push(`http-request return status 200 content-type text/plain string "ok\\n" if { path -m str ${word(s.healthCheckPath, 'path')} }`);
  if (s.requestId) out.push(`http-request set-header x-request-id %[uuid]${s.requestId.preserveExternal ? ' unless { req.hdr(x-request-id) -m found }' : ''}`);
  if (s.earlyHeaders) out.push(...headerModifier('http-request', s.earlyHeaders));
  if (s.serverHeader === 'Overwrite') out.push('http-after-response set-header server portico');
  if (s.serverHeader === 'AppendIfAbsent') out.push('http-after-response set-header server portico unless { res.hdr(server) -m found }');
  return out;
}

function headerModifier(directive: 'http-request' | 'http-response', m: IRHeaderModifier): string[] {
  const out: string[] = [];
  for (const h of m.set ?? []) out.push(`${directive} set-header ${word(h.name, 'header name')} ${formatWord(h.value, 'header value')}`);
  for (const h of m.add ?? []) out.push(`${directive} add-header ${word(h.name, 'header name')} ${formatWord(h.value, 'header value')}`);
  for (const name of m.remove ?? []) out.push(`${directive} del-header ${word(name, 'header name')}`);
  return out;
}

/** Renders one Gateway's IR. Throws UnsafeValueError for a value that cannot be expressed safely. */
export function renderGateway(gw: IRGateway, options: RenderOptions): RenderedConfig {
  const files: Record<string, string> = {};
  const frontends: Section[] = [];
  const backends: Section[] = [];
  let usesInvalidShare = false;
  const mirrors = new MirrorRenderer(gw, options.dir, files);
  const groups = new GroupTable();
  const rateLimits = new RateLimitTables();
  const extAuth = new ExtAuthServices(gw, options.dir, files);
  const attemptSockets = new ContentNames('a');
  const ruleBackends = new Map<string, string>();
  const accessLogSinks: Record<string, SinkEntry[]> = {};
  const streams = new StreamRenderer(gw, options.dir, files);
  const metrics = options.routeMetrics ? emptyRouteMetricsTable(options.routeLatencyBucketsMs) : undefined;
  for (const port of gw.ports) {
    // HAProxy 2.6 has no UDP: udp-forwarder.ts serves those ports.
    if (port.mode === 'UDP') continue;
    // TLS and TCP listeners; HTTPS listeners sharing a port with TLS ones sit behind them.
    const stream = streams.add(port);
    if (stream && stream.httpsBind === undefined) continue;
    const r = new PortRenderer(gw, port, options.dir, files, mirrors, groups, rateLimits, extAuth, attemptSockets, ruleBackends, metrics).render(stream?.httpsBind);
    frontends.push(r.frontend);
    if (r.accessLog && r.accessLog.sinks.length > 0) accessLogSinks[r.accessLog.id] = r.accessLog.sinks;
    usesInvalidShare ||= r.usesInvalidShare;
    backends.push(...r.backends);
  }
  const model: HaproxyConfig = {
    title: `# Gateway ${gw.name}, rendered by Portico. Do not edit: it is rewritten on every change.`,
    sections: [
      {
        keyword: 'global',
        directives: [
          ...options.globalLines,
          ...processLines(gw.process),
          // For normalize-uri (PATH_NORMALIZATION), experimental in 2.6; Portico writes every directive itself.
          ...(frontends.length > 0 ? ['expose-experimental-directives'] : []),
          ...mirrors.globalLines(),
          ...extAuth.globalLines(),
          ...(groups.used ? [`lua-load-per-thread ${path.join(options.dir, ROUTE_LUA_FILE)}`] : []),
        ],
      },
      {
        keyword: 'defaults',
        directives: [
          'mode http',
          'timeout connect 5s',
          'timeout client 60s',
          `timeout server ${DEFAULT_TIMEOUT_SERVER_MS}ms`,
          'timeout http-request 10s',
          'timeout http-keep-alive 60s',
          'timeout tunnel 1h',
          ...(options.defaultsLines ?? []),
        ],
      },
      ...frontends,
      { keyword: 'backend', name: 'not_found', directives: ['http-request return status 404 content-type text/plain string "no route matches\\n"'] },
      ...(usesInvalidShare ? [{ keyword: 'backend' as const, name: INVALID_SHARE_BACKEND, directives: ['http-request return status 500 content-type text/plain string "invalid backend\\n"'] }] : []),
      ...backends,
      ...rateLimits.sections(),
      ...(metrics?.latency ? [latencySection(metrics.latency, Object.keys(metrics.backends).length)] : []),
      ...extAuth.sections(),
      ...(Object.values(gw.backends).some((b) => b.resolve) ? [resolversSection()] : []),
      ...mirrors.sections(),
      // Last: the stream sections start with a defaults section of their own.
      ...streams.sections(),
    ],
    files: { ...files, ...(Object.keys(accessLogSinks).length > 0 ? { [ACCESS_LOG_SINKS_FILE]: JSON.stringify(accessLogSinks, null, 2) + '\n' } : {}), ...mirrors.files(), ...extAuth.luaFiles(), ...(groups.used ? { [GROUPS_MAP]: groups.mapFile(), [ROUTE_LUA_FILE]: routeLua(path.join(options.dir, GROUPS_MAP)) } : {}) },
  };
  return { config: serializeConfig(model), files: model.files, model, ...(metrics ? { metrics } : {}) };
}

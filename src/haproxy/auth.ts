/**
 * Authentication a TrafficPolicy asks of a rule: basic auth, JWT validation and an external
 * authorization service. Each gives lines for the rule's backend, run before anything the rule
 * does (after a CORS preflight is answered), and the files and sections they need.
 */
import path from 'node:path';
import type { IRApiKeyAuth, IRBasicAuth, IRCertificate, IRExtAuth, IRGateway, IRJwtAuth, IRJwtProvider } from '../ir/model.js';
import { backendClientCertificateFile, backendClientCertificateName, caFileWriter, certificateShownTo, serverPool, type Section } from './config-model.js';
import { EXT_AUTH_ERROR_HEADER, extAuthLua, type ExtAuthService } from './ext-auth-lua.js';
import { internalSocket } from './internal-socket.js';
import { ContentNames, contentHash } from './names.js';
import { isFetchArgSafe, mapField, UnsafeValueError, word } from './quote.js';

/**
 * Basic auth against htpasswd {SHA} entries: the user's entry is looked up in a map and compared
 * with the SHA-1 of the password the client sent; anything else is asked to authenticate.
 */
export function basicAuthLines(auth: IRBasicAuth, dir: string, files: Record<string, string>): string[] {
  const lines = auth.users.map((u) => `${mapField(u.name, 'basic auth user')} ${mapField(u.sha1, 'basic auth hash')}`);
  const name = `basic-${contentHash(lines.join('\n'))}.map`;
  files[name] = lines.join('\n') + '\n';
  return [
    `http-request set-var(txn.bau) http_auth_user,map_str(${safePath(path.join(dir, name))})`,
    'http-request auth realm portico unless { var(txn.bau) -m found } { http_auth_pass,sha1,base64,strcmp(txn.bau) eq 0 }',
  ];
}

/**
 * API keys: the key is read from the first source that has one and looked up in a map of keys
 * to client names; a request without a known key is answered 401.
 */
export function apiKeyAuthLines(auth: IRApiKeyAuth, dir: string, files: Record<string, string>): string[] {
  const lines = auth.keys.map((k) => `${mapField(k.key, 'API key')} ${mapField(k.client, 'API key client')}`);
  const name = `apikeys-${contentHash(lines.join('\n'))}.map`;
  files[name] = lines.join('\n') + '\n';
  const out = ['http-request unset-var(txn.akv)'];
  for (const s of auth.sources) {
    const fetches = [s.header !== undefined ? `req.hdr(${fetchArgument(s.header)})` : undefined, s.query !== undefined ? `url_param(${fetchArgument(s.query)})` : undefined, s.cookie !== undefined ? `req.cook(${fetchArgument(s.cookie)})` : undefined];
    for (const f of fetches) if (f) out.push(`http-request set-var(txn.akv) ${f} if !{ var(txn.akv) -m found }`);
  }
  out.push(
    `http-request set-var(txn.akc) var(txn.akv),map_str(${safePath(path.join(dir, name))})`,
    'http-request return status 401 content-type text/plain string "missing or invalid API key\\n" unless { var(txn.akc) -m found }',
  );
  if (auth.clientIdHeader) out.push(`http-request set-header ${word(auth.clientIdHeader, 'header name')} %[var(txn.akc)]`);
  if (!auth.forwardCredential) for (const s of auth.sources) if (s.header !== undefined) out.push(`http-request del-header ${fetchArgument(s.header)}`);
  return out;
}

function fetchArgument(name: string): string {
  if (!isFetchArgSafe(name)) throw new UnsafeValueError(`${JSON.stringify(name)} cannot be used as a fetch argument`);
  return name;
}

/** A path of Portico's own directory used inside a converter's arguments, where nothing may need quoting. */
function safePath(p: string): string {
  if (!/^[A-Za-z0-9._/-]+$/.test(p)) throw new UnsafeValueError(`the path ${JSON.stringify(p)} cannot be used in a converter argument`);
  return p;
}

const JWT_DENIED = 'http-request return status 401 content-type text/plain string "missing or invalid token\\n" hdr www-authenticate Bearer';

/** The fetch that reads a provider's token into txn.jt, and the condition it needs. */
function tokenFetch(p: IRJwtProvider): { fetch: string; when: string } {
  if ('query' in p.token) return { fetch: `url_param(${word(p.token.query, 'query parameter')})`, when: '' };
  const { header, prefix } = p.token;
  // The bearer fetch reads the Authorization scheme case-insensitively, as RFC 6750 asks.
  if (header === 'authorization' && prefix.toLowerCase() === 'bearer ') return { fetch: 'http_auth_bearer', when: '' };
  const h = word(header, 'header name');
  if (prefix === '') return { fetch: `req.hdr(${h})`, when: '' };
  return { fetch: `req.hdr(${h}),bytes(${Buffer.byteLength(prefix)})`, when: ` { req.hdr(${h}) -m beg ${word(prefix, 'token prefix')} }` };
}

/**
 * One provider: its token (txn.jt) is checked against each key for the algorithm the token
 * names, then its claims (exp, nbf, iss, aud); txn.jwv records the first provider that accepts.
 * The lines of a provider run only while no earlier provider has accepted the request.
 */
function providerLines(p: IRJwtProvider, index: number, dir: string, files: Record<string, string>): string[] {
  const pending = '!{ var(txn.jwv) -m found }';
  const token = tokenFetch(p);
  const out = [
    'http-request unset-var(txn.jt)',
    'http-request unset-var(txn.jws)',
    `http-request set-var(txn.jt) ${token.fetch} if ${pending}${token.when}`,
    'http-request set-var(txn.jtf) bool(true) if { var(txn.jt) -m found }',
    "http-request set-var(txn.jwa) var(txn.jt),jwt_header_query('$.alg') if { var(txn.jt) -m found }",
    "http-request set-var(txn.jwk) var(txn.jt),jwt_header_query('$.kid') if { var(txn.jt) -m found }",
  ];
  for (const key of p.keys) {
    let arg: string;
    if (key.pem !== undefined) {
      const name = `jwk-${contentHash(key.pem)}.pem`;
      files[name] = key.pem;
      arg = safePath(path.join(dir, name));
    } else {
      arg = key.secret ?? '';
      if (!/^[A-Za-z0-9_.~+/=-]+$/.test(arg)) throw new UnsafeValueError('an HMAC secret holds characters that cannot be written in a converter argument');
    }
    const kid = key.kid !== undefined ? ` { var(txn.jwk) -m str ${word(key.kid, 'kid')} }` : '';
    for (const alg of key.algs) {
      if (!/^[A-Z]{2}[0-9]{3}$/.test(alg)) throw new UnsafeValueError(`${alg} is not a JWT algorithm`);
      out.push(`http-request set-var(txn.jws) var(txn.jt) if !{ var(txn.jws) -m found } { var(txn.jwa) -m str ${alg} }${kid} { var(txn.jt),jwt_verify(${alg},${arg}) -m int 1 }`);
    }
  }
  out.push(
    'http-request set-var(txn.now) date',
    "http-request set-var(txn.jx) var(txn.jws),jwt_payload_query('$.exp','int') if { var(txn.jws) -m found }",
    'http-request unset-var(txn.jws) if { var(txn.jx) -m found } { var(txn.jx),sub(txn.now) le 0 }',
    "http-request set-var(txn.jn) var(txn.jws),jwt_payload_query('$.nbf','int') if { var(txn.jws) -m found }",
    'http-request unset-var(txn.jws) if { var(txn.jn) -m found } { var(txn.jn),sub(txn.now) gt 0 }',
  );
  if (p.issuer !== undefined) out.push(`http-request unset-var(txn.jws) unless { var(txn.jws),jwt_payload_query('$.iss') -m str ${word(p.issuer, 'issuer')} }`);
  if (p.audiences.length > 0) {
    const auds = p.audiences.map((a) => word(a, 'audience')).join(' ');
    // `aud` is a string or an array; HAProxy's JSON path reads one element at a time, so the
    // first four elements are compared.
    const paths = ['$.aud', '$.aud[0]', '$.aud[1]', '$.aud[2]', '$.aud[3]'];
    out.push(`http-request unset-var(txn.jws) unless ${paths.map((q) => `{ var(txn.jws),jwt_payload_query('${q}') -m str ${auds} }`).join(' || ')}`);
  }
  out.push(`http-request set-var(txn.jwv) int(${index}) if { var(txn.jws) -m found }`);
  for (const c of p.claimsToHeaders) {
    const claim = `var(txn.jws),jwt_payload_query('$.${c.claim}')`;
    out.push(`http-request set-header ${word(c.header, 'header name')} %[${claim}] if { var(txn.jws) -m found } { ${claim} -m found }`);
  }
  if (!p.forwardToken && 'header' in p.token) out.push(`http-request del-header ${word(p.token.header, 'header name')} if { var(txn.jws) -m found }`);
  return out;
}

export function jwtAuthLines(auth: IRJwtAuth, dir: string, files: Record<string, string>): string[] {
  const out = auth.providers.flatMap((p, i) => providerLines(p, i, dir, files));
  out.push(`${JWT_DENIED} if !{ var(txn.jwv) -m found }${auth.allowMissing ? ' { var(txn.jtf) -m found }' : ''}`);
  return out;
}

/**
 * External authorization services: each distinct service configuration gets an internal
 * frontend on a unix socket of the instance's directory, whose backend balances over the
 * service's endpoints (kept current through the runtime API like any other pool), and an entry
 * in ext-auth.lua. HAProxy's own errors there (no server, connection refused, timeout) carry a
 * marker header, so the Lua action tells a failed service from one that refused the request.
 */
export class ExtAuthServices {
  private readonly services = new Map<string, ExtAuthService & { backend: string; timeoutMs: number; clientCertificate: IRCertificate | undefined }>();
  private readonly names = new ContentNames('x');

  constructor(
    private readonly gw: IRGateway,
    private readonly dir: string,
    private readonly files: Record<string, string>,
  ) {}

  /** `clientCertificate`: what the rule's port shows backends reached over TLS. */
  lines(auth: IRExtAuth, clientCertificate?: IRCertificate): string[] {
    const certificate = certificateShownTo(this.gw.backends[auth.backend], clientCertificate);
    const key = JSON.stringify(auth) + (certificate ? ` ${backendClientCertificateName(certificate)}` : '');
    let service = this.services.get(key);
    if (!service) {
      const name = this.names.nameOf(key);
      service = {
        name,
        socket: internalSocket(this.dir, name),
        backend: auth.backend,
        timeoutMs: auth.timeoutMs,
        pathPrefix: auth.pathPrefix ?? '',
        forwardHeaders: auth.forwardHeaders,
        addHeaders: auth.addHeaders,
        backendHeaders: auth.backendHeaders,
        failOpen: auth.failOpen,
        statusOnError: auth.statusOnError,
        clientCertificate: certificate,
      };
      this.services.set(key, service);
    }
    return [`http-request lua.portico_ext_auth ${service.name}`];
  }

  get used(): boolean {
    return this.services.size > 0;
  }

  globalLines(): string[] {
    return this.used ? [`lua-load-per-thread ${path.join(this.dir, 'ext-auth.lua')}`] : [];
  }

  sections(): Section[] {
    const out: Section[] = [];
    for (const s of this.services.values()) {
      const pool = serverPool(this.gw.backends, [{ backend: s.backend, weight: 1, filters: [] }], {
        http: true,
        caFile: caFileWriter(this.dir, this.files),
        clientCertificate: backendClientCertificateFile(s.clientCertificate, this.dir, this.files),
      });
      out.push(
        { keyword: 'frontend', name: s.name, comment: `the authorization service ${s.backend}, asked by ext-auth.lua`, directives: [`bind ${s.socket}`, `default_backend ${s.name}_b`] },
        {
          keyword: 'backend',
          name: `${s.name}_b`,
          // The question must be answered within the service's timeout, retries included: a refused
          // connection is not tried again (HAProxy waits a second before each new attempt).
          directives: ['retries 0', `timeout connect ${Math.min(s.timeoutMs, 5000)}ms`, `timeout server ${s.timeoutMs}ms`, ...[502, 503, 504].map((code) => `http-error status ${code} hdr ${EXT_AUTH_ERROR_HEADER} 1`)],
          pool,
        },
      );
    }
    return out;
  }

  luaFiles(): Record<string, string> {
    return this.used ? { 'ext-auth.lua': extAuthLua([...this.services.values()]) } : {};
  }
}

/**
 * The HTTPRoute CORS filter in HAProxy: the lines of one rule's backend that answer preflight
 * requests and add the CORS response headers to actual requests from an allowed origin.
 *
 * The request side decides once, in transaction variables, whether the Origin is allowed and
 * whether the request is a preflight; preflights are answered right there (204, or 403 for an
 * origin that is not allowed) and never reach a server. The response side is written as
 * http-after-response rules because those, unlike http-response, also run on the responses
 * HAProxy makes itself: the preflight answer, redirects, and 500/503 errors, which a browser can
 * only read when they carry the CORS headers too.
 */
import type { IRCors } from '../ir/model.js';
import { formatWord, literalFormat, UnsafeValueError, word } from './quote.js';

/** The CRD default of maxAge, for IR built from objects that skipped validation. */
const DEFAULT_MAX_AGE = 5;

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/** An RFC 9110 token: what method and header names are made of. */
const TOKEN_CLASS = "[-!#$%&'*+.^_`|~0-9A-Za-z]";
const TOKEN = new RegExp(`^${TOKEN_CLASS}+$`);

/** An allowOrigins entry other than "*": scheme://host[:port], the host "*" or starting with "*.". */
const ORIGIN = /^(https?):\/\/(\*|(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(?::([0-9]{1,5}))?$/;

/**
 * What a "*" in an origin's host may stand for: DNS labels and the dots between them. Keeping
 * ":", "/", "@" and the like out is what stops "https://evil.example:443.bar.com" or
 * "https://a.bar.com@evil.example" from matching "https://*.bar.com".
 */
const LABEL = '[a-z0-9_-]+';
const ANY_HOST = `(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9a-f:.]+\\])`;

// Variables of the transaction: the allowed Origin (absent when it is not allowed), whether the
// request is a preflight, and the requested method and headers echoed for a "*" in allowMethods
// or allowHeaders.
const ORIGIN_VAR = 'txn.cors_origin';
const PREFLIGHT_VAR = 'txn.cors_preflight';
const METHOD_VAR = 'txn.cors_method';
const HEADERS_VAR = 'txn.cors_headers';

const found = (v: string) => `{ var(${v}) -m found }`;
const ALLOWED = found(ORIGIN_VAR);
const PREFLIGHT = `${found(PREFLIGHT_VAR)} ${ALLOWED}`;
const ACTUAL = `!${found(PREFLIGHT_VAR)} ${ALLOWED}`;

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
}

/**
 * The regular expression (lower case, matched case-insensitively) of the Origin header values one
 * allowOrigins entry allows. A port the entry leaves out is the scheme's default, and an Origin
 * naming the default port explicitly is the same origin as one that leaves it out.
 */
export function originRegex(origin: string): string {
  const m = ORIGIN.exec(origin);
  if (!m) throw new UnsafeValueError(`CORS origin ${JSON.stringify(origin)} is not of the form scheme://host[:port]`);
  const scheme = m[1] as string;
  const host = (m[2] as string).toLowerCase();
  const defaultPort = DEFAULT_PORTS[scheme] as number;
  const port = m[3] === undefined ? defaultPort : Number(m[3]);
  if (port < 1 || port > 65535) throw new UnsafeValueError(`CORS origin ${JSON.stringify(origin)}: port ${m[3]} is outside 1-65535`);
  let hostRe: string;
  if (host === '*') hostRe = ANY_HOST;
  else if (host.startsWith('*.')) hostRe = `(?:${LABEL}\\.)+${escapeRegex(host.slice(2))}`;
  else hostRe = escapeRegex(host);
  const portRe = port === defaultPort ? `(?::${port})?` : `:${port}`;
  return `${scheme}://${hostRe}${portRe}`;
}

/**
 * Why HAProxy cannot carry out this CORS filter, or undefined. The CRD's patterns already keep
 * these values in shape; this holds for objects that reach the graph some other way, and for
 * what the patterns let through (an origin port above 65535).
 */
export function corsProblem(cors: IRCors): string | undefined {
  for (const origin of cors.allowOrigins ?? []) {
    if (origin === '*') continue;
    try {
      originRegex(origin);
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }
  const lists: [string, string[] | undefined][] = [
    ['allowMethods', cors.allowMethods],
    ['allowHeaders', cors.allowHeaders],
    ['exposeHeaders', cors.exposeHeaders],
  ];
  for (const [field, list] of lists) {
    const bad = (list ?? []).find((v) => !TOKEN.test(v));
    if (bad !== undefined) return `CORS ${field}: ${JSON.stringify(bad)} is not a valid name`;
  }
  if (cors.maxAge !== undefined && !(Number.isInteger(cors.maxAge) && cors.maxAge >= 1)) {
    return `CORS maxAge: ${String(cors.maxAge)} is not a whole number of seconds of at least 1`;
  }
  return undefined;
}

/** A response header set on responses meeting `condition`, after the backend's own is removed. */
function setHeader(name: string, valueWord: string, condition: string): string {
  return `http-after-response set-header ${name} ${valueWord} if ${condition}`;
}

/**
 * The backend lines of one CORS filter. They must come before the rule's other http-request
 * lines: a preflight is answered before anything else the rule does (a redirect, the 500 of a
 * rule without backends) and sees the Origin header before a RequestHeaderModifier changes it.
 * Throws UnsafeValueError for a value corsProblem() refuses.
 */
export function corsLines(cors: IRCors): string[] {
  const problem = corsProblem(cors);
  if (problem) throw new UnsafeValueError(problem);
  const origins = cors.allowOrigins ?? [];
  const anyOrigin = origins.includes('*');
  const credentials = cors.allowCredentials === true;
  const out: string[] = [];

  // Exactly one Origin header: with several, the value matched and the value echoed could differ.
  const single = '{ req.fhdr_cnt(origin) eq 1 }';
  if (anyOrigin) {
    out.push(`http-request set-var(${ORIGIN_VAR}) req.fhdr(origin) if ${single} { req.fhdr(origin) -m len gt 0 }`);
  } else if (origins.length > 0) {
    const alternatives = [...new Set(origins.map(originRegex))];
    const regex = `^(?:${alternatives.join('|')})$`;
    out.push(`http-request set-var(${ORIGIN_VAR}) req.fhdr(origin) if ${single} { req.fhdr(origin) -m reg -i -- ${word(regex, 'CORS origin')} }`);
  }

  // A preflight: OPTIONS with an Origin and Access-Control-Request-Method. Another OPTIONS
  // request is an actual request and goes to the backend.
  out.push(
    `http-request set-var(${PREFLIGHT_VAR}) bool(true) if METH_OPTIONS { req.fhdr_cnt(origin) gt 0 } { req.fhdr_cnt(access-control-request-method) gt 0 }`,
    `http-request return status 403 content-type text/plain string "CORS preflight refused: origin not allowed\\n" if ${found(PREFLIGHT_VAR)} !${ALLOWED}`,
  );
  const allowMethods = cors.allowMethods ?? [];
  const allowHeaders = cors.allowHeaders ?? [];
  // A "*" is answered with what the preflight asks for: the spec requires that with credentials
  // and allows it without; a token check keeps anything else out of the response.
  if (allowMethods.includes('*')) {
    const name = 'access-control-request-method';
    out.push(`http-request set-var(${METHOD_VAR}) req.fhdr(${name}) if ${found(PREFLIGHT_VAR)} { req.fhdr_cnt(${name}) eq 1 } { req.fhdr(${name}) -m reg -- ${word(`^${TOKEN_CLASS}+$`)} }`);
  }
  if (allowHeaders.includes('*')) {
    const name = 'access-control-request-headers';
    const list = `^${TOKEN_CLASS}+(?:[[:blank:]]*,[[:blank:]]*${TOKEN_CLASS}+)*$`;
    out.push(`http-request set-var(${HEADERS_VAR}) req.fhdr(${name}) if ${found(PREFLIGHT_VAR)} { req.fhdr_cnt(${name}) eq 1 } { req.fhdr(${name}) -m reg -- ${word(list)} }`);
  }
  out.push(`http-request return status 204 if ${found(PREFLIGHT_VAR)}`);

  // Responses: this filter alone decides the CORS headers of the rule's responses, so the ones a
  // backend sent are removed first, and none are left for an origin that is not allowed.
  for (const name of ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Access-Control-Expose-Headers']) {
    out.push(`http-after-response del-header ${name}`);
  }
  const expose = cors.exposeHeaders ?? [];
  const named = expose.filter((h) => h !== '*');
  if (expose.includes('*') && credentials) {
    // Browsers do not honour "*" for requests with credentials: the response's own header names
    // stand in for it (read before the CORS headers are added).
    const prefix = named.length ? literalFormat(`${named.join(', ')}, `, 'CORS exposeHeaders') : '';
    out.push(setHeader('Access-Control-Expose-Headers', word(`${prefix}%[res.hdr_names]`), ACTUAL));
    if (named.length) out.push(setHeader('Access-Control-Expose-Headers', formatWord(named.join(', '), 'CORS exposeHeaders'), PREFLIGHT));
  } else if (expose.length) {
    out.push(setHeader('Access-Control-Expose-Headers', formatWord(expose.join(', '), 'CORS exposeHeaders'), ALLOWED));
  }
  // "*" is the answer for any origin only without credentials; otherwise the origin is echoed.
  out.push(setHeader('Access-Control-Allow-Origin', anyOrigin && !credentials ? "'*'" : `%[var(${ORIGIN_VAR})]`, ALLOWED));
  if (credentials) out.push(setHeader('Access-Control-Allow-Credentials', 'true', ALLOWED));
  if (allowMethods.includes('*')) out.push(setHeader('Access-Control-Allow-Methods', `%[var(${METHOD_VAR})]`, `${PREFLIGHT} ${found(METHOD_VAR)}`));
  else if (allowMethods.length) out.push(setHeader('Access-Control-Allow-Methods', formatWord(allowMethods.join(', '), 'CORS allowMethods'), PREFLIGHT));
  if (allowHeaders.includes('*')) out.push(setHeader('Access-Control-Allow-Headers', `%[var(${HEADERS_VAR})]`, `${PREFLIGHT} ${found(HEADERS_VAR)}`));
  else if (allowHeaders.length) out.push(setHeader('Access-Control-Allow-Headers', formatWord(allowHeaders.join(', '), 'CORS allowHeaders'), PREFLIGHT));
  out.push(setHeader('Access-Control-Max-Age', String(cors.maxAge ?? DEFAULT_MAX_AGE), PREFLIGHT));
  // The answer depends on the Origin header, so shared caches must keep one copy per origin.
  out.push(`http-after-response add-header Vary Origin unless { res.hdr(vary) -m str -i origin '*' }`);
  return out;
}

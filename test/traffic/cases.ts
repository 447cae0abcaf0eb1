/**
 * Request/expectation tables for traffic tests, judged the way the upstream conformance suite
 * judges a round trip: status code; for a 200, the request as the echo backend saw it (path,
 * method, host, headers present and absent, backend and namespace) and the response headers; for
 * a redirect, the parts of the Location header.
 */
import type { JsonResponse } from '../support/echo-server.js';
import { echoedHeader, headerValue, type Stack } from './harness.js';

export const INFRA_NS = 'gateway-conformance-infra';

export interface Case {
  /** Host header; default the Gateway address. */
  host?: string;
  /** Request target, query included. */
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** Response headers the echo backend is asked to add (upstream's BackendSetResponseHeaders). */
  backendSetResponseHeaders?: Record<string, string>;
  /** Expected status; default 200. */
  status?: number;
  /** Expected backend (echo "pod" prefix) of a 200. */
  backend?: string;
  /** Expected namespace of the backend of a 200; default gateway-conformance-infra. */
  namespace?: string;
  /** What the backend should have received, when it differs from the request. */
  expectedRequest?: { path?: string; host?: string; headers?: Record<string, string>; absentHeaders?: string[] };
  response?: { headers?: Record<string, string>; absentHeaders?: string[] };
  /** Expected Location parts of a redirect; unspecified parts default as upstream does. */
  redirect?: { scheme?: string; host?: string; port?: string; path?: string };
}

export function describeCase(c: Case): string {
  const headers = c.headers && Object.keys(c.headers).length ? ` ${JSON.stringify(c.headers)}` : '';
  return `${c.method ?? 'GET'} ${c.host ?? '(gateway)'}${c.path}${headers} → ${c.status ?? 200}${c.backend ? ` ${c.backend}` : ''}`;
}

/** Why a response does not satisfy the case, or undefined when it does. */
export function mismatch(c: Case, r: JsonResponse, requestScheme = 'http'): string | undefined {
  const status = c.status ?? 200;
  if (r.status !== status) return `status ${r.status}, want ${status}`;
  if (status === 200) {
    const got = r.json;
    if (!got) return `no echo body: ${r.text.slice(0, 200)}`;
    const want = c.expectedRequest ?? {};
    const wantPath = want.path ?? c.path;
    if (got.path !== wantPath) return `backend saw path ${JSON.stringify(got.path)}, want ${JSON.stringify(wantPath)}`;
    if (got.method !== (c.method ?? 'GET')) return `backend saw method ${got.method}`;
    if (want.host !== undefined && got.host !== want.host) return `backend saw host ${JSON.stringify(got.host)}, want ${JSON.stringify(want.host)}`;
    if (got.namespace !== (c.namespace ?? INFRA_NS)) return `backend namespace ${got.namespace}`;
    if (c.backend !== undefined && !got.pod.startsWith(c.backend)) return `backend ${got.pod}, want ${c.backend}`;
    for (const [name, value] of Object.entries(want.headers ?? {})) {
      const seen = echoedHeader(got, name);
      if (seen !== value) return `backend saw ${name}: ${JSON.stringify(seen)}, want ${JSON.stringify(value)}`;
    }
    for (const name of want.absentHeaders ?? []) {
      const seen = echoedHeader(got, name);
      if (seen !== undefined) return `backend saw ${name}: ${JSON.stringify(seen)}, want it absent`;
    }
    for (const [name, value] of Object.entries(c.response?.headers ?? {})) {
      const seen = headerValue(r.headers, name);
      if (seen !== value) return `response ${name}: ${JSON.stringify(seen)}, want ${JSON.stringify(value)}`;
    }
    for (const name of c.response?.absentHeaders ?? []) {
      const seen = headerValue(r.headers, name);
      if (seen !== undefined) return `response ${name}: ${JSON.stringify(seen)}, want it absent`;
    }
  } else if ([301, 302, 303, 307, 308].includes(status) && c.redirect) {
    const location = headerValue(r.headers, 'location');
    if (!location) return 'redirect without Location';
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return `Location ${JSON.stringify(location)} is not an absolute URL`;
    }
    const scheme = url.protocol.replace(/:$/, '');
    const wantScheme = c.redirect.scheme ?? requestScheme;
    if (scheme !== wantScheme) return `Location ${location}: scheme ${scheme}, want ${wantScheme}`;
    if (c.redirect.host !== undefined && url.hostname !== c.redirect.host) return `Location ${location}: host ${url.hostname}, want ${c.redirect.host}`;
    // URL drops a scheme's default port, so "" stands for "omitted or the default", which
    // upstream accepts when the test names no port.
    const port = url.port || (scheme === 'http' ? '80' : scheme === 'https' ? '443' : '');
    const wantPort = c.redirect.port ?? (scheme === 'https' ? '443' : '80');
    if (port !== wantPort) return `Location ${location}: port ${port}, want ${wantPort}`;
    const wantPath = c.redirect.path ?? c.path.split('?')[0];
    if (url.pathname !== wantPath) return `Location ${location}: path ${url.pathname}, want ${wantPath}`;
  }
  return undefined;
}

/** Sends each case (in order) until its response matches, as upstream's eventually-consistent checks do. */
export async function runCases(stack: Stack, address: string, port: number, cases: readonly Case[]): Promise<void> {
  for (const c of cases) {
    let why: string | undefined;
    const headers: Record<string, string> = { ...c.headers };
    if (c.backendSetResponseHeaders) {
      headers['X-Echo-Set-Header'] = Object.entries(c.backendSetResponseHeaders)
        .map(([k, v]) => `${k}:${v}`)
        .join(',');
    }
    await stack
      .eventually(
        describeCase(c),
        () => stack.request(address, port, { path: c.path, host: c.host, method: c.method, headers }),
        (r) => (why = mismatch(c, r)) === undefined,
      )
      .catch((err: unknown) => {
        throw new Error(`${describeCase(c)}: ${why ?? ''}\n${err instanceof Error ? err.message : String(err)}`);
      });
  }
}

export function backends(...names: string[]): { name: string; namespace: string }[] {
  return names.map((name) => ({ name, namespace: INFRA_NS }));
}

export const V1 = 'infra-backend-v1';
export const V2 = 'infra-backend-v2';
export const V3 = 'infra-backend-v3';

/**
 * How an observed spread over backends (`seen`: answers per backend out of `total`) differs from
 * the wanted shares, each allowed `tolerance`; a backend of share 0 must get nothing at all.
 */
export function shareProblems(seen: ReadonlyMap<string, number>, want: Readonly<Record<string, number>>, total: number, tolerance: number): string[] {
  const out: string[] = [];
  for (const pod of seen.keys()) if (!(pod in want)) out.push(`unexpected backend ${pod}`);
  for (const [pod, share] of Object.entries(want)) {
    const got = (seen.get(pod) ?? 0) / total;
    if (share === 0 && got > 0) out.push(`${pod} has weight 0 but got ${got}`);
    if (Math.abs(got - share) > tolerance) out.push(`${pod}: ${got}, want ${share} ±${tolerance}`);
  }
  return out;
}

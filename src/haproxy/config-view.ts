/**
 * A Gateway's running configuration as the admin API's web view shows it: haproxy.cfg with
 * secrets hidden, and the sections that came from each port and each route. Certificates, keys,
 * API keys and password hashes live in files beside haproxy.cfg, which are not shown (routing maps
 * excepted); the one secret haproxy.cfg itself can hold, a JWT HMAC key, is hidden here.
 */
import type { GatewayConfigView } from '../api/data-plane.js';
import { sectionLines, type HaproxyConfig, type Section } from './config-model.js';

const HIDDEN_HMAC = '<HMAC key hidden>';

/**
 * The line with its secrets hidden: a JWT HMAC key given inline to jwt_verify, and, should one
 * ever appear, the whole line when it holds PEM key material. jwt_verify's argument stays only
 * when it is the path of one of the configuration's own files (`files`: their names), a public
 * key: an HMAC key may look like a path, base64 has slashes.
 */
export function hideSecrets(line: string, files: ReadonlySet<string> = new Set()): string {
  if (/-----BEGIN|PRIVATE KEY/.test(line)) return line.replace(/\S.*$/, '# <line hidden: it holds key material>');
  return line.replace(/jwt_verify\(([A-Z0-9]+),([^)]*)\)/g, (whole, alg: string, arg: string) => {
    const isOwnFile = arg.startsWith('/') && files.has(arg.slice(arg.lastIndexOf('/') + 1));
    return isOwnFile ? whole : `jwt_verify(${alg},${HIDDEN_HMAC})`;
  });
}

/** "HTTPRoute default/app rule 1" or "TCPRoute default/db": the route a backend section says it comes from. */
const ROUTE_COMMENT = /^([A-Za-z]+Route) ([^/\s]+)\/(\S+?)(?: rule \d+)?$/;
/**
 * Frontends serving a port: p443, and where TLS and HTTPS listeners share it, p443_sni (HTTPS
 * behind the TLS one) and p443_tls (TLS terminated for TLSRoutes) too.
 */
const PORT_FRONTEND = /^p(\d+)(?:_sni|_tls)?$/;
/** Routing maps of a port (hosts, paths, splits, access log names): no secrets in them. */
const ROUTING_MAP = /^p\d+\.[a-z.-]+\.map$/;

function append(into: Record<string, string>, key: string, text: string): void {
  into[key] = into[key] === undefined ? text : `${into[key]}\n\n${text}`;
}

/** The view of a running configuration; `text` is the haproxy.cfg it was serialized to. */
export function configView(model: HaproxyConfig, text: string): GatewayConfigView {
  const files = new Set(Object.keys(model.files));
  const hidden = (lines: readonly string[]): string => lines.map((l) => hideSecrets(l, files)).join('\n');
  const ports: Record<string, string> = {};
  const routes: Record<string, string> = {};
  const byName = new Map<string, Section>();
  for (const s of model.sections) if (s.name !== undefined) byName.set(s.name, s);

  for (const s of model.sections) {
    const port = s.keyword === 'frontend' && s.name !== undefined ? PORT_FRONTEND.exec(s.name) : null;
    if (port) append(ports, port[1] as string, hidden(sectionLines(s)));
  }

  const backendsOf = new Map<string, string[]>();
  for (const s of model.sections) {
    const m = s.keyword === 'backend' && s.name !== undefined && s.comment !== undefined ? ROUTE_COMMENT.exec(s.comment) : null;
    if (!m || s.name === undefined) continue;
    const key = `${m[1]}/${m[2]}/${m[3]}`;
    const names = backendsOf.get(key) ?? [];
    names.push(s.name);
    backendsOf.set(key, names);
  }
  for (const [key, names] of backendsOf) {
    const parts: string[] = [];
    for (const name of names) {
      // A backend that retries sends through a frontend of its own (_t) to the servers (_a).
      for (const n of [name, `${name}_t`, `${name}_a`]) {
        const s = byName.get(n);
        if (s) parts.push(hidden(sectionLines(s)));
      }
    }
    const token = new RegExp(`(^|[\\s|,'"])(${names.map(escapeRegExp).join('|')})($|[\\s|,'"])`);
    for (const [file, content] of Object.entries(model.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!ROUTING_MAP.test(file)) continue;
      const lines = content.split('\n').filter((l) => token.test(l));
      if (lines.length > 0) parts.push(`# ${file}\n${hidden(lines)}`);
    }
    routes[key] = parts.join('\n\n');
  }
  return { format: 'haproxy.cfg', text: hidden(text.split('\n')), ports, routes };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Credentials that Portico's own kinds may hold inline, hidden before an object leaves the admin
 * API (and so the web view, `portico get --server` and `portico explain --server`): a JWKS's
 * HMAC secrets in a GatewayExtension, htpasswd hashes in a TrafficPolicy's basicAuth. Public
 * keys, names and everything else stay. Whoever reads the admin API may see every spec, but a
 * secret verifies and forges tokens alike, and a hash can be attacked offline.
 */
import type { KubeObject } from '../api/object.js';

export const HIDDEN = '(hidden)';

/** kubectl's copy of the whole object, secrets included. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object with its inline credentials hidden; the same object when it holds none. */
export function hideCredentials(obj: KubeObject): KubeObject {
  const spec = (obj as { spec?: unknown }).spec;
  if (!isRecord(spec)) return obj;
  let hidden: Rec | undefined;
  if (obj.kind === 'GatewayExtension') hidden = hideJwks(spec);
  else if (obj.kind === 'TrafficPolicy') hidden = hideHtpasswd(spec);
  if (!hidden) return obj;
  const annotations = obj.metadata.annotations ? Object.fromEntries(Object.entries(obj.metadata.annotations).filter(([k]) => k !== LAST_APPLIED)) : undefined;
  return { ...obj, metadata: { ...obj.metadata, ...(annotations ? { annotations } : {}) }, spec: hidden } as KubeObject;
}

function hideJwks(spec: Rec): Rec | undefined {
  const jwt = spec.jwt;
  if (!isRecord(jwt) || !Array.isArray(jwt.providers)) return undefined;
  let changed = false;
  const providers = jwt.providers.map((p: unknown) => {
    if (!isRecord(p) || !isRecord(p.jwks) || !isRecord(p.jwks.local) || typeof p.jwks.local.inline !== 'string') return p;
    const inline = hideInlineJwks(p.jwks.local.inline);
    if (inline === p.jwks.local.inline) return p;
    changed = true;
    return { ...p, jwks: { ...p.jwks, local: { ...p.jwks.local, inline } } };
  });
  return changed ? { ...spec, jwt: { ...jwt, providers } } : undefined;
}

/**
 * A JWKS (or one JWK) with the `k` of every symmetric key hidden; PEM public keys as they are;
 * text holding a private key, or that cannot be read, hidden whole.
 */
export function hideInlineJwks(text: string): string {
  if (/PRIVATE KEY/.test(text)) return HIDDEN;
  if (text.trimStart().startsWith('-----BEGIN')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return HIDDEN;
  }
  // Private parts of asymmetric keys (d, p, q, ...) have no place in a JWKS either.
  const SECRET_MEMBERS = ['k', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];
  let changed = false;
  const hideKey = (key: unknown): unknown => {
    if (!isRecord(key)) return key;
    const secret = SECRET_MEMBERS.filter((m) => key[m] !== undefined);
    if (secret.length === 0) return key;
    changed = true;
    return { ...key, ...Object.fromEntries(secret.map((m) => [m, HIDDEN])) };
  };
  const result = isRecord(parsed) && Array.isArray(parsed.keys) ? { ...parsed, keys: parsed.keys.map(hideKey) } : hideKey(parsed);
  return changed ? JSON.stringify(result) : text;
}

function hideHtpasswd(spec: Rec): Rec | undefined {
  const basicAuth = spec.basicAuth;
  if (!isRecord(basicAuth) || !Array.isArray(basicAuth.users) || basicAuth.users.length === 0) return undefined;
  // "user:hash": the user stays, the hash goes.
  const users = basicAuth.users.map((u: unknown) => (typeof u === 'string' && u.includes(':') ? `${u.slice(0, u.indexOf(':'))}:${HIDDEN}` : HIDDEN));
  return { ...spec, basicAuth: { ...basicAuth, users } };
}

/**
 * JSON Web Keys as a data plane can use them: each key a PEM public key or an HMAC secret, with
 * the algorithms a token signed by it may name. A GatewayExtension's JWKS may be a key set, one
 * key, or a PEM public key (kgateway's `jwks.local.inline`).
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface VerificationKey {
  /** The key's id; a token naming another kid is not checked against it. */
  kid?: string;
  /** The `alg` values a token signed with this key may carry. */
  algs: string[];
  /** An RSA or EC public key, SPKI PEM. */
  pem?: string;
  /** An HMAC secret. */
  secret?: string;
}

const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const EC_ALGS: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];

/**
 * HAProxy 2.6 takes an HMAC secret as a word of its configuration, inside a converter's
 * arguments: only characters that need no quoting at either level can be written there.
 */
const SECRET_SAFE = /^[A-Za-z0-9_.~+/=-]+$/;
// A kid is compared as a configuration word; it may hold anything printable.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function algsFor(key: KeyObject, declared: string | undefined): string[] | string {
  const type = key.asymmetricKeyType;
  let algs: string[];
  if (type === 'rsa' || type === 'rsa-pss') algs = RSA_ALGS;
  else if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    const alg = EC_ALGS[curve];
    if (!alg) return `the EC curve ${curve} is not supported (P-256, P-384, P-521 are)`;
    algs = [alg];
  } else return `keys of type ${type ?? 'unknown'} are not supported (RSA, EC and HMAC keys are)`;
  if (declared === undefined) return algs;
  return algs.includes(declared) ? [declared] : `alg ${declared} does not fit a key of type ${type}`;
}

function fromJwk(jwk: Record<string, unknown>, where: string): VerificationKey | string | undefined {
  if (jwk.use === 'enc') return undefined; // an encryption key signs nothing
  const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  if (kid !== undefined && CONTROL.test(kid)) return `${where}: the kid holds a control character`;
  const declared = typeof jwk.alg === 'string' ? jwk.alg : undefined;
  const label = `${where}${kid !== undefined ? ` (kid ${JSON.stringify(kid)})` : ''}`;
  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string') return `${label}: an oct key needs k`;
    const secret = Buffer.from(jwk.k, 'base64url').toString('latin1');
    if (!SECRET_SAFE.test(secret)) return `${label}: HAProxy takes an HMAC secret as text in its configuration; this one holds characters other than letters, digits and _.~+/=-`;
    if (declared !== undefined && !HMAC_ALGS.includes(declared)) return `${label}: alg ${declared} does not fit an oct key`;
    return { ...(kid !== undefined ? { kid } : {}), algs: declared ? [declared] : HMAC_ALGS, secret };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch (e) {
    return `${label}: not a usable public key (${(e as Error).message})`;
  }
  const algs = algsFor(key, declared);
  if (typeof algs === 'string') return `${label}: ${algs}`;
  return { ...(kid !== undefined ? { kid } : {}), algs, pem: key.export({ type: 'spki', format: 'pem' }).toString() };
}

/** The keys of a JWKS text (a key set, one JWK, or a PEM public key), or why they cannot be used. */
export function parseJwks(text: string, where: string): VerificationKey[] | string {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    let key: KeyObject;
    try {
      key = createPublicKey(trimmed);
    } catch (e) {
      return `${where}: not a PEM public key (${(e as Error).message})`;
    }
    const algs = algsFor(key, undefined);
    return typeof algs === 'string' ? `${where}: ${algs}` : [{ algs, pem: key.export({ type: 'spki', format: 'pem' }).toString() }];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return `${where}: neither JSON nor a PEM public key`;
  }
  if (typeof parsed !== 'object' || parsed === null) return `${where}: not a JWK or a key set`;
  const record = parsed as Record<string, unknown>;
  const list = Array.isArray(record.keys) ? (record.keys as unknown[]) : [record];
  const keys: VerificationKey[] = [];
  for (const [i, jwk] of list.entries()) {
    if (typeof jwk !== 'object' || jwk === null) return `${where}: keys[${i}] is not a JWK`;
    const key = fromJwk(jwk as Record<string, unknown>, `${where} keys[${i}]`);
    if (typeof key === 'string') return key;
    if (key) keys.push(key);
  }
  return keys.length > 0 ? keys : `${where}: no signing key`;
}

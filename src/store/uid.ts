import { createHash } from 'node:crypto';

/** Namespace of Portico's name-based UUIDs (random, fixed forever so uids stay the same across releases). */
const PORTICO_UUID_NAMESPACE = Buffer.from('3c5a8f1e9b2d4e7fa1c06d2b8e4f7a93', 'hex');

/**
 * A UUIDv5 (RFC 9562, SHA-1 name-based) of the object's identity: the same kind/namespace/name
 * always gets the same uid, so references by uid survive restarts of a file-driven Portico.
 */
export function uidFor(key: string): string {
  const hash = createHash('sha1').update(PORTICO_UUID_NAMESPACE).update(key, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

import { type JsonObject } from '../json.js';
import { configMapKey } from '../meta/names.js';
import { stringMap } from '../meta/object-meta.js';
import { keyPath } from '../paths.js';
import type { FieldProblem } from '../types.js';
import { defaultedString, invalid } from './fields.js';

export const MAX_DATA_BYTES = 1024 * 1024;

/** Keys each built-in Secret type must have in data, as the API server checks them. */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
};

/** Go's base64.StdEncoding, which decodes Secret data: padded, newlines ignored. */
export function decodeBase64(text: string): Buffer | undefined {
  const clean = text.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  return Buffer.from(clean, 'base64');
}

/**
 * Secret as the API server stores it: stringData merged into data (base64-encoded, winning over
 * data), type defaulted to Opaque, keys and sizes checked, and the keys each built-in type needs.
 * Values are never echoed into messages.
 */
export function validateSecret(obj: JsonObject, problems: FieldProblem[]): void {
  const type = defaultedString(obj, 'type', 'Opaque', 'type', problems);
  const data: Record<string, string> = {};
  let size = 0;
  if (obj.data !== undefined && obj.data !== null) {
    for (const [key, value] of stringMap(obj.data, 'data', problems)) {
      const bytes = decodeBase64(value);
      if (!bytes) problems.push({ path: keyPath('data', key), message: 'Invalid value: "<secret data>": illegal base64 data' });
      else size += bytes.length;
      data[key] = value;
    }
  }
  if (obj.stringData !== undefined && obj.stringData !== null) {
    for (const [key, value] of stringMap(obj.stringData, 'stringData', problems)) {
      const prior = data[key] !== undefined ? decodeBase64(data[key]) : undefined;
      if (prior) size -= prior.length;
      const bytes = Buffer.from(value, 'utf8');
      size += bytes.length;
      data[key] = bytes.toString('base64');
    }
    delete obj.stringData;
  }
  for (const key of Object.keys(data)) for (const m of configMapKey(key)) problems.push(invalid(keyPath('data', key), key, m));
  if (size > MAX_DATA_BYTES) problems.push({ path: 'data', message: `Too long: must have at most ${MAX_DATA_BYTES} bytes` });
  obj.data = data;

  const missing = (key: string): boolean => data[key] === undefined;
  switch (type) {
    case 'kubernetes.io/service-account-token': {
      const annotations = (obj.metadata as JsonObject | undefined)?.annotations as JsonObject | undefined;
      const key = 'kubernetes.io/service-account.name';
      if (!annotations || typeof annotations[key] !== 'string' || annotations[key] === '') {
        problems.push({ path: keyPath('metadata.annotations', key), message: 'Required value' });
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (missing('username') && missing('password')) {
        problems.push({ path: keyPath('data', 'username'), message: 'Required value' });
        problems.push({ path: keyPath('data', 'password'), message: 'Required value' });
      }
      break;
    default:
      for (const key of REQUIRED_KEYS[type ?? ''] ?? []) if (missing(key)) problems.push({ path: keyPath('data', key), message: 'Required value' });
  }
}

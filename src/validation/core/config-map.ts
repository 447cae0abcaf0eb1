import type { JsonObject } from '../json.js';
import { configMapKey } from '../meta/names.js';
import { stringMap } from '../meta/object-meta.js';
import { keyPath } from '../paths.js';
import type { FieldProblem } from '../types.js';
import { invalid } from './fields.js';
import { decodeBase64, MAX_DATA_BYTES } from './secret.js';

/** ConfigMap keys, value types and total size, as the API server checks them. */
export function validateConfigMap(obj: JsonObject, problems: FieldProblem[]): void {
  let size = 0;
  const dataKeys = new Set<string>();
  if (obj.data !== undefined && obj.data !== null) {
    for (const [key, value] of stringMap(obj.data, 'data', problems)) {
      for (const m of configMapKey(key)) problems.push(invalid(keyPath('data', key), key, m));
      dataKeys.add(key);
      size += key.length + Buffer.byteLength(value);
    }
  }
  if (obj.binaryData !== undefined && obj.binaryData !== null) {
    for (const [key, value] of stringMap(obj.binaryData, 'binaryData', problems)) {
      for (const m of configMapKey(key)) problems.push(invalid(keyPath('binaryData', key), key, m));
      if (dataKeys.has(key)) problems.push(invalid(keyPath('binaryData', key), key, 'duplicate of key present in data'));
      const bytes = decodeBase64(value);
      if (!bytes) problems.push({ path: keyPath('binaryData', key), message: `Invalid value: ${JSON.stringify(key)}: illegal base64 data` });
      else size += key.length + bytes.length;
    }
  }
  if (size > MAX_DATA_BYTES) problems.push({ path: '', message: `Too long: must have at most ${MAX_DATA_BYTES} bytes` });
}

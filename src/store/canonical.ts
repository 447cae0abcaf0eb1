/**
 * JSON with object keys sorted at every level: two values are deep-equal exactly when their
 * canonical strings are equal (for the JSON data objects are made of).
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

const remembered = new WeakMap<object, string>();

/**
 * canonicalJson, remembered per object: for values never changed once made (snapshot objects
 * and the statuses a translation computes), which are compared again and again by identity.
 */
export function canonicalJsonOf(value: unknown): string {
  if (value === null || typeof value !== 'object') return canonicalJson(value);
  let text = remembered.get(value);
  if (text === undefined) {
    text = canonicalJson(value);
    remembered.set(value, text);
  }
  return text;
}

/**
 * Turning user strings into HAProxy configuration safely. Everything a user controls goes
 * through one of these; a string that cannot be represented is refused with an error, never
 * passed through, so a crafted value can never end a line, start a comment or add a directive.
 */

export class UnsafeValueError extends Error {}

// Control characters cannot appear in HTTP fields, paths or hostnames; a newline would end the
// configuration line, so they are refused outright.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** True when the value holds a character no configuration line or HTTP field may carry. */
export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value);
}

function refuseControl(value: string, what: string): void {
  if (hasControlCharacter(value)) throw new UnsafeValueError(`${what} contains a control character: ${JSON.stringify(value)}`);
}

/**
 * One configuration word. Bare when it is plainly safe; otherwise single-quoted (HAProxy takes
 * single-quoted text literally: no escapes, no ${ENV} expansion); double-quoted with escapes only
 * when it contains a single quote.
 */
export function word(value: string, what = 'value'): string {
  refuseControl(value, what);
  if (/^[A-Za-z0-9._/:@+=-]+$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** A log-format string holding literal text: "%" introduces expressions there, so it doubles. */
export function literalFormat(value: string, what = 'value'): string {
  refuseControl(value, what);
  return value.replace(/%/g, '%%');
}

/** A log-format argument made of literal text, quoted as one word. */
export function formatWord(value: string, what = 'value'): string {
  return word(literalFormat(value, what), what);
}

/** Header names used inside sample fetch arguments, e.g. req.fhdr(NAME): a conservative token set. */
const FETCH_ARG_SAFE = /^[A-Za-z0-9!*+.^_|~&-]+$/;

/** True when the value may be used as a sample fetch argument; lets the graph refuse a rule before rendering. */
export function isFetchArgSafe(value: string): boolean {
  return FETCH_ARG_SAFE.test(value);
}

/**
 * A key or value in a map file: one line, key and value separated by whitespace, "#" starting a
 * comment. Hostnames and paths reaching maps are validated by the CRDs (no spaces), but a map
 * line is still refused rather than written when it could be misread.
 */
export function mapField(value: string, what = 'map entry'): string {
  refuseControl(value, what);
  if (/[\s#\\]/.test(value)) throw new UnsafeValueError(`${what} ${JSON.stringify(value)} cannot be written to a map file`);
  return value;
}

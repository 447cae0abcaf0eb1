/** Regular expressions Portico accepts, in routes and policies alike. */
import { RE2JS } from '@bufbuild/re2';

/**
 * Regular expressions run in HAProxy's PCRE2 (route.lua's Regex, `-m reg`), without UTF mode.
 * A pattern PCRE2 refuses would stop the whole Gateway's configuration, and one it reads
 * differently would match what its author did not mean; so patterns are held to what both read
 * alike: RE2's syntax (checked with RE2 itself: no lookaround, no backreferences, repeats up to
 * 1,000), printable ASCII, and no escapes for Unicode classes or characters above 0x7f.
 */
export function regexProblem(source: string, where: string): string | undefined {
  const refuse = (why: string) => `${where}: regular expression ${JSON.stringify(source)} ${why}`;
  if (/[^\x20-\x7e]/.test(source)) return refuse('must be printable ASCII');
  // Escaped backslashes first, so a literal backslash followed by "p" is not read as the \p class.
  if (/\\(?:[pP]|x\{|x[89a-fA-F])/.test(source.replace(/\\\\/g, ''))) return refuse('uses a Unicode class or a character above 0x7f, which HAProxy reads differently');
  try {
    new RE2JS(source);
  } catch (e) {
    return refuse(`is not valid RE2 syntax: ${(e as Error).message.replace(/^error parsing regexp: /, '')}`);
  }
  return undefined;
}

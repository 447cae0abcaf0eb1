/**
 * "an HTTPRoute", "a TCPRoute", "an HTTPS listener": the words this is used for are acronyms,
 * read letter by letter, so a leading H sounds like a vowel.
 */
export function withArticle(word: string): string {
  return `${/^[HAEIO]/.test(word) ? 'an' : 'a'} ${word}`;
}

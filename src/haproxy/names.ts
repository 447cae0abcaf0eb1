/**
 * Names derived from content. A section or map key named after what it holds keeps its name when
 * other routes come and go, so a rendering differs from the previous one only where something
 * changed, and such a change can often be made through the runtime API instead of a reload.
 */

/** A 53-bit hash of the text (cyrb53), in base 36: fast, and plenty for names checked for clashes. */
export function contentHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * Hands out names `prefix + hash of the content`. Callers ask once per distinct content (they
 * keep their own map from content to name), so only the name is looked up here: a clash of two
 * contents on one hash (not expected at 53 bits) gets a suffix, so names stay unique regardless.
 */
export class ContentNames {
  private readonly taken = new Map<string, string>();

  constructor(private readonly prefix: string) {}

  /** The name of a content not asked for before. */
  nameOf(content: string): string {
    const base = `${this.prefix}${contentHash(content)}`;
    let name = base;
    for (let n = 2; this.taken.has(name) && this.taken.get(name) !== content; n++) name = `${base}_${n}`;
    this.taken.set(name, content);
    return name;
  }
}

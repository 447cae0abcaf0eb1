/** Gateway API durations ("1h", "2m30s", "500ms") in milliseconds, as the data plane and policies read them. */
export function durationMs(text: string): number | undefined {
  const re = /(\d+)(h|ms|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
    consumed += m[0].length;
  }
  return consumed === text.length && text.length > 0 ? total : undefined;
}

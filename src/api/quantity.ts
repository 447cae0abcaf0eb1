/** Kubernetes resource quantities, read as numbers (the CEL quantity library and policy sizes use them). */

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
// prettier-ignore
const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

/**
 * A Kubernetes resource quantity ("4Gi", "100m", "1e3") as a number of base units. The API
 * server's quantity type is exact; a double is exact for every size a rule compares (integers up
 * to 2^53), which is all the rules Portico ships do.
 */
export function quantityOf(text: string): number {
  const m = QUANTITY.exec(text);
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', got ${JSON.stringify(text)}`);
  const base = Number(m[1]);
  return m[2] ? base * 10 ** Number(m[2].slice(1)) : base * (m[3] ? (SUFFIX[m[3]] as number) : 1);
}

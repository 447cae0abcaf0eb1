/**
 * Server lines, shared by HTTP rule backends (render.ts) and stream backends (render-stream.ts).
 * Their exact shape matters beyond HAProxy: endpoint-update.ts reads them back to turn endpoint
 * changes into runtime API commands, so every backend writes them the same way.
 */
import type { IRBackend, IRBackendRef } from '../ir/model.js';

/** Address of a spare server slot; it is disabled, so nothing is ever sent there. */
export const SPARE_SLOT = '127.0.0.1:9';

/** HAProxy server weights are 1..256; backend shares are kept as closely as that allows. */
const MAX_WEIGHT = 256;

/** An address and port as HAProxy reads them in bind and server lines (IPv6 behind "ipv6@"). */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `ipv6@${address}:${port}` : `${address}:${port}`;
}

/** Server slots for a Service with n endpoints: the next power of two, at least 2. */
export function serverSlots(n: number): number {
  let slots = 2;
  while (slots < n) slots *= 2;
  return slots;
}

/**
 * The balance and server lines of a backend sending to `refs` by weight. `http: false` for
 * stream backends, where an h2c appProtocol means nothing to HAProxy (bytes pass through as they are).
 */
export function serverLines(backends: Readonly<Record<string, IRBackend>>, refs: readonly IRBackendRef[], options: { http: boolean } = { http: true }): string[] {
  const out = ['  balance roundrobin'];
  const used = refs.filter((r) => r.weight > 0);
  const resolved = used.map((r) => backends[r.backend] as IRBackend);
  // Each backendRef's share is split evenly over its endpoints.
  const raw = used.map((r, i) => r.weight / Math.max(1, resolved[i]?.endpoints.length ?? 1));
  const top = Math.max(...raw, 1e-9);
  used.forEach((_r, i) => {
    const b = resolved[i] as IRBackend;
    const weight = Math.max(1, Math.round(((raw[i] as number) / top) * MAX_WEIGHT));
    const proto = options.http && b.protocol === 'h2c' ? ' proto h2' : '';
    // Spare slots, disabled, let endpoints come and go through the runtime API without a reload.
    const slots = serverSlots(b.endpoints.length);
    for (let ei = 0; ei < slots; ei++) {
      const e = b.endpoints[ei];
      const addr = e ? hostPort(e.address, e.port) : SPARE_SLOT;
      out.push(`  server s${i}_${ei} ${addr} weight ${weight}${proto}${e ? '' : ' disabled'}`);
    }
  });
  return out;
}

import type { IRBackend, IRGateway } from './model.js';

function sameEndpoints(a: IRBackend['endpoints'], b: IRBackend['endpoints']): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((e, i) => e.address === b[i]?.address && e.port === b[i]?.port);
}

/**
 * The ids of the backends whose endpoints differ between two versions of a Gateway's IR, or
 * undefined when anything else differs too. Cheap by design: listeners and routes count as the
 * same only when they are the same objects (as withEndpoints in src/pipeline/endpoint-patch.ts
 * leaves them), so a fresh translation always answers undefined and goes the full way.
 */
export function endpointOnlyChange(before: IRGateway, after: IRGateway): Set<string> | undefined {
  if (before.name !== after.name || before.ports !== after.ports || before.addresses.join(' ') !== after.addresses.join(' ')) return undefined;
  const ids = Object.keys(after.backends);
  if (ids.length !== Object.keys(before.backends).length) return undefined;
  const changed = new Set<string>();
  for (const id of ids) {
    const a = before.backends[id];
    const b = after.backends[id] as IRBackend;
    if (!a || a.namespace !== b.namespace || a.service !== b.service || a.port !== b.port || a.protocol !== b.protocol) return undefined;
    if (!sameEndpoints(a.endpoints, b.endpoints)) changed.add(id);
  }
  return changed;
}

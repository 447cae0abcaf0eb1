/**
 * The short way from an EndpointSlice edit to the data plane. Endpoints reach nothing but the
 * IR's backends: no status, no route, no listener depends on them. So when a new snapshot differs
 * from the last translated one only in EndpointSlices, the last translation's IR with those
 * Services' endpoints looked up again is exactly what a full translation would give, at a cost
 * that does not grow with the number of routes. Everything else is shared with the previous IR,
 * which lets the data plane see at a glance that only endpoints moved (ir/endpoint-change.ts).
 */
import { EndpointIndex } from '../graph/backends.js';
import type { EndpointSliceObject, ServiceObject } from '../api/spec.js';
import type { IR, IRBackend } from '../ir/model.js';
import { importKey, type ServiceImportObject } from '../api/multicluster.js';
import type { ResourceSet } from '../store/resources.js';
import { changedServices, serviceKeyOf } from '../graph/memo.js';

/**
 * "namespace/service" of every Service whose EndpointSlices differ between the snapshots, or
 * undefined when objects of any other kind differ too (or nothing differs).
 */
export function endpointSliceChanges(before: ResourceSet, after: ResourceSet): Set<string> | undefined {
  const kinds = after.changedKinds(before);
  if (kinds.size !== 1 || !kinds.has('EndpointSlice')) return undefined;
  return changedServices([...before.unordered('EndpointSlice')], [...after.unordered('EndpointSlice')]);
}

/**
 * `ir` with the endpoints of the backends of `services` read again from `resources`. Gateways
 * and backends untouched keep their identity. Undefined when a backend's Service port is gone,
 * which cannot happen when only EndpointSlices changed, but a full translation is the safe answer.
 */
export function withServiceEndpoints(ir: IR, resources: ResourceSet, services: ReadonlySet<string>): IR | undefined {
  if (services.size === 0) return ir;
  const slices: EndpointSliceObject[] = [];
  for (const s of resources.unordered<EndpointSliceObject>('EndpointSlice')) {
    const service = serviceKeyOf(s);
    if (service && services.has(service)) slices.push(s);
  }
  const index = new EndpointIndex(slices);
  const gateways: IR['gateways'] = [];
  for (const gw of ir.gateways) {
    let backends: Record<string, IRBackend> | undefined;
    for (const [id, b] of Object.entries(gw.backends)) {
      // A Backend's endpoints are its spec, not EndpointSlices.
      if (b.source === 'Backend') continue;
      if (b.source === 'ServiceImport') {
        if (!services.has(importKey(b.namespace, b.service))) continue;
        const port = resources.get<ServiceImportObject>('ServiceImport', b.namespace, b.service)?.spec.ports?.find((p) => p.port === b.port);
        if (!port) return undefined;
        backends ??= { ...gw.backends };
        backends[id] = { ...b, endpoints: index.importEndpoints(b.namespace, b.service, port) };
        continue;
      }
      if (!services.has(`${b.namespace}/${b.service}`)) continue;
      // Its BackendTLSPolicy cannot be carried out: it keeps no endpoints, whatever moves.
      if (b.tls && 'unusable' in b.tls) continue;
      const port = resources.get<ServiceObject>('Service', b.namespace, b.service)?.spec.ports?.find((p) => p.port === b.port);
      if (!port) return undefined;
      backends ??= { ...gw.backends };
      backends[id] = { ...b, endpoints: index.endpoints(b.namespace, b.service, port) };
    }
    gateways.push(backends ? { ...gw, backends } : gw);
  }
  return { gateways };
}

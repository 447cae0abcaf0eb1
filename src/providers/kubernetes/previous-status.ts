import { STATUS_KINDS } from '../../api/kinds.js';
import { objectKey, type KubeObject } from '../../api/object.js';
import { canonicalJsonOf } from '../../store/canonical.js';
import type { ResourceSet } from '../../store/resources.js';

/**
 * The "previous status" a translation starts from in Kubernetes mode: what each object carries on
 * the API server, so that lastTransitionTime survives a restart of the controller or a change of
 * leader, and a replica that did not write it agrees with the one that did. Where the status
 * this process computed last time is equal to it, that very value is kept, so the core's route
 * status cache (which works by identity) keeps hitting.
 */
export function previousStatusFromObjects(resources: ResourceSet, computed: ReadonlyMap<string, unknown> | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>(computed ?? []);
  for (const kind of STATUS_KINDS) {
    for (const obj of resources.list<KubeObject>(kind)) {
      const live = obj.status;
      if (live === null || typeof live !== 'object') continue;
      const key = objectKey(kind, obj.metadata.namespace, obj.metadata.name);
      const mine = computed?.get(key);
      if (mine !== null && typeof mine === 'object' && canonicalJsonOf(mine) === canonicalJsonOf(live)) continue;
      out.set(key, live);
    }
  }
  return out;
}

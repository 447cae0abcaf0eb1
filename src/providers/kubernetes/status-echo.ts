import type { KindName } from '../../api/kinds.js';
import { objectKey, type KubeObject } from '../../api/object.js';
import { canonicalJson, canonicalJsonOf } from '../../store/canonical.js';
import type { ResourceSet } from '../../store/resources.js';

/**
 * Whether `next` differs from `previous` only by the watch's echoes of status Portico asked for:
 * the same objects, and every one that changed carries, besides a new resourceVersion, exactly the
 * status `desired` holds for it. Translating such a snapshot would give the same result (status
 * is an input only through lastTransitionTime and other controllers' entries, both part of what
 * was desired), so the controller hands it to the status writer without translating: a burst of
 * 1,000 status writes otherwise brings dozens of whole translations and renders of the config.
 *
 * False when nothing differs at all: a snapshot without changes is asked for on purpose.
 */
export function onlyStatusEchoes(previous: ResourceSet, next: ResourceSet, desired: ReadonlyMap<string, unknown>): boolean {
  if (previous.size !== next.size) return false;
  let echoes = 0;
  for (const object of next.all()) {
    const { kind, metadata } = object;
    const before = previous.get(kind as KindName, metadata.namespace, metadata.name);
    if (before === object) continue;
    if (!before) return false;
    const key = objectKey(kind, metadata.namespace, metadata.name);
    if (!desired.has(key)) return false;
    // Remembered per object: the status writer compares the very same values.
    if (canonicalJsonOf(object.status) !== canonicalJsonOf(desired.get(key))) return false;
    if (canonicalJson(withoutStatus(object)) !== canonicalJson(withoutStatus(before))) return false;
    echoes++;
  }
  return echoes > 0;
}

/** The object as translation reads it, minus what a status write changes. */
function withoutStatus(object: KubeObject): unknown {
  const { resourceVersion: _version, managedFields: _fields, ...metadata } = object.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  return { ...object, metadata, status: undefined };
}

import type { KindName } from '../api/kinds.js';
import { keyOf, type KubeObject } from '../api/object.js';
import { canonicalJson } from './canonical.js';
import { ResourceSet, type SourceLocation } from './resources.js';
import { uidFor } from './uid.js';

interface Entry {
  /** The object as the provider gave it; the same instance means nothing changed. */
  input: KubeObject;
  stored: KubeObject;
  spec: string;
  /** Everything but the fields the store assigns. */
  body: string;
  source: SourceLocation | undefined;
}

/**
 * The current valid objects, with the metadata the API server would assign:
 * - `generation`: 1 when first seen, +1 each time `spec` changes (metadata or status changes do
 *   not count), like the API server for custom resources.
 * - `uid`: derived from kind/namespace/name, stable for the life of the process (and beyond).
 * - `resourceVersion`: a counter that moves on any change of the object.
 * `creationTimestamp` is never invented: files have none unless they say so, and the core
 * orders routes by namespace/name when it is absent.
 *
 * Unlike the API server, an object that disappears (file deleted, object now invalid) and comes
 * back keeps counting from its last generation instead of starting over at 1, so
 * observedGeneration in status never goes backwards while someone edits a file.
 */
export class ObjectStore {
  private live = new Map<string, Entry>();
  private readonly lastGeneration = new Map<string, { generation: number; spec: string }>();
  private version = 0;
  private snapshot = new ResourceSet();

  get current(): ResourceSet {
    return this.snapshot;
  }

  /**
   * Replaces the whole object set. Returns the new snapshot, or undefined when nothing changed
   * (same objects, same places), in which case `current` stays the same instance.
   */
  update(objects: readonly KubeObject[], sources?: ReadonlyMap<KubeObject, SourceLocation>): ResourceSet | undefined {
    const next = new Map<string, Entry>();
    /** Kinds with an object added, changed, moved or removed: only those are rebuilt in the snapshot. */
    const changedKinds = new Set<KindName>();
    const kindOf = (o: KubeObject) => o.kind as KindName;

    for (const input of objects) {
      const key = keyOf(input);
      const source = sources?.get(input);
      const before = this.live.get(key);
      if (before && before.input === input) {
        next.set(key, sameSource(before.source, source) ? before : { ...before, source });
        if (!sameSource(before.source, source)) changedKinds.add(kindOf(input));
        continue;
      }
      const { metadata, ...rest } = input;
      const { generation: _g, uid: _u, resourceVersion: _r, ...ownMeta } = metadata;
      const body = canonicalJson({ ...rest, metadata: ownMeta });
      if (before && before.body === body) {
        next.set(key, { ...before, input, source });
        if (!sameSource(before.source, source)) changedKinds.add(kindOf(input));
        continue;
      }
      const spec = canonicalJson(input.spec);
      const previous = before ? { generation: before.stored.metadata.generation ?? 1, spec: before.spec } : this.lastGeneration.get(key);
      const generation = !previous ? 1 : previous.spec === spec ? previous.generation : previous.generation + 1;
      const stored: KubeObject = {
        ...input,
        metadata: { ...ownMeta, uid: uidFor(key), resourceVersion: String(++this.version), generation },
      };
      next.set(key, { input, stored, spec, body, source });
      changedKinds.add(kindOf(input));
    }

    for (const [key, entry] of this.live) {
      if (next.has(key)) continue;
      changedKinds.add(kindOf(entry.stored));
      this.lastGeneration.set(key, { generation: entry.stored.metadata.generation ?? 1, spec: entry.spec });
    }
    this.live = next;
    if (changedKinds.size === 0) return undefined;

    const replaced = new Map<KindName, KubeObject[]>([...changedKinds].map((k) => [k, []]));
    const storedSources = new Map<KubeObject, SourceLocation>();
    for (const entry of next.values()) {
      const list = replaced.get(kindOf(entry.stored));
      if (!list) continue;
      list.push(entry.stored);
      if (entry.source) storedSources.set(entry.stored, entry.source);
    }
    this.snapshot = this.snapshot.withKinds(replaced, storedSources);
    return this.snapshot;
  }
}

function sameSource(a: SourceLocation | undefined, b: SourceLocation | undefined): boolean {
  return a?.file === b?.file && a?.document === b?.document && a?.line === b?.line;
}

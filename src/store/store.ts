import type { KindName } from '../api/kinds.js';
import { keyOf, type KubeObject } from '../api/object.js';
import { canonicalJson } from './canonical.js';
import { ResourceSet, type SourceLocation } from './resources.js';
import { uidFor } from './uid.js';

interface Entry {
  /** The object as the provider gave it; the same instance means nothing changed. */
  input: KubeObject;
  stored: KubeObject;
  /**
   * canonicalJson of the spec, and of everything but the fields the store assigns: made when
   * first compared, not when stored. A cold start of 20,000 objects compares none of them, and
   * making both up front cost 0.4-0.6 s and about 30 MB of strings kept for as long as the
   * objects live (bench/load); after that, only objects a file edit re-created are compared.
   */
  spec?: string;
  body?: string;
  source: SourceLocation | undefined;
}

function bodyOf(entry: Entry): string {
  return (entry.body ??= canonicalBody(entry.input));
}

function specOf(entry: Entry): string {
  return (entry.spec ??= canonicalJson(entry.input.spec));
}

function canonicalBody(input: KubeObject): string {
  const { metadata, ...rest } = input;
  const { generation: _g, uid: _u, resourceVersion: _r, ...ownMeta } = metadata;
  return canonicalJson({ ...rest, metadata: ownMeta });
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
  private readonly lastGeneration = new Map<string, { generation: number; spec: () => string }>();
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
      const entry: Entry = { input, stored: input, source };
      if (before && bodyOf(before) === bodyOf(entry)) {
        next.set(key, { ...before, input, source });
        if (!sameSource(before.source, source)) changedKinds.add(kindOf(input));
        continue;
      }
      const previous = before ? { generation: before.stored.metadata.generation ?? 1, spec: () => specOf(before) } : this.lastGeneration.get(key);
      const generation = !previous ? 1 : previous.spec() === specOf(entry) ? previous.generation : previous.generation + 1;
      const { generation: _g, uid: _u, resourceVersion: _r, ...ownMeta } = input.metadata;
      entry.stored = {
        ...input,
        metadata: { ...ownMeta, uid: uidFor(key), resourceVersion: String(++this.version), generation },
      };
      next.set(key, entry);
      changedKinds.add(kindOf(input));
    }

    for (const [key, entry] of this.live) {
      if (next.has(key)) continue;
      changedKinds.add(kindOf(entry.stored));
      const spec = specOf(entry);
      this.lastGeneration.set(key, { generation: entry.stored.metadata.generation ?? 1, spec: () => spec });
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

import type { KubeObject } from '../api/object.js';
import type { KindName } from '../api/kinds.js';

/** Where an object was read from, so every problem can name its file and document. */
export interface SourceLocation {
  /** File path as the user gave it (or a synthetic name such as "kubernetes"). */
  file: string;
  /** 1-based index of the YAML document inside the file. */
  document: number;
  /** 1-based line where the document starts, when known. */
  line?: number;
}

/**
 * One immutable snapshot of every valid object the providers hold, indexed by kind and
 * "namespace/name". The core (graph, status, IR) is a function of this and nothing else.
 */
export class ResourceSet {
  /**
   * Per kind, never changed once the constructor or withKinds has filled it: a snapshot derived
   * from another shares the maps (and sorted lists) of the kinds that did not change.
   */
  private readonly byKind = new Map<KindName, Map<string, KubeObject>>();
  private readonly sources = new Map<KindName, Map<KubeObject, SourceLocation>>();
  /** Sorted lists, made on first use: a snapshot never changes after construction. */
  private readonly sorted = new Map<KindName, KubeObject[]>();

  constructor(objects: Iterable<KubeObject> = [], sources?: ReadonlyMap<KubeObject, SourceLocation>) {
    for (const obj of objects) this.add(obj, sources?.get(obj));
  }

  private add(obj: KubeObject, source: SourceLocation | undefined): void {
    const kind = obj.kind as KindName;
    let objects = this.byKind.get(kind);
    if (!objects) {
      objects = new Map();
      this.byKind.set(kind, objects);
    }
    objects.set(ResourceSet.key(obj.metadata.namespace, obj.metadata.name), obj);
    if (source) {
      let located = this.sources.get(kind);
      if (!located) this.sources.set(kind, (located = new Map()));
      located.set(obj, source);
    }
  }

  /**
   * This snapshot with every object of the kinds in `objects` replaced by the ones given (none:
   * the kind is gone). The other kinds are shared, not copied: an edit of one object costs the
   * size of its kind, and changedKinds sees the others unchanged at a glance.
   */
  withKinds(objects: ReadonlyMap<KindName, readonly KubeObject[]>, sources?: ReadonlyMap<KubeObject, SourceLocation>): ResourceSet {
    const next = new ResourceSet();
    for (const [kind, map] of this.byKind) {
      if (objects.has(kind)) continue;
      next.byKind.set(kind, map);
      const located = this.sources.get(kind);
      if (located) next.sources.set(kind, located);
      const sorted = this.sorted.get(kind);
      if (sorted) next.sorted.set(kind, sorted);
    }
    for (const list of objects.values()) for (const obj of list) next.add(obj, sources?.get(obj));
    return next;
  }

  static key(namespace: string | undefined, name: string): string {
    return namespace ? `${namespace}/${name}` : name;
  }

  get<T extends KubeObject = KubeObject>(kind: KindName, namespace: string | undefined, name: string): T | undefined {
    return this.byKind.get(kind)?.get(ResourceSet.key(namespace, name)) as T | undefined;
  }

  /** Objects of one kind, sorted by namespace then name so every consumer sees one order. */
  list<T extends KubeObject = KubeObject>(kind: KindName): T[] {
    let sorted = this.sorted.get(kind);
    if (!sorted) {
      const objects = this.byKind.get(kind);
      if (!objects) return [];
      sorted = [...objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
      this.sorted.set(kind, sorted);
    }
    // A copy: callers may sort or filter what they get, and the snapshot must not change.
    return sorted.slice() as T[];
  }

  /**
   * Kinds whose objects differ from `other`'s, object identity deciding: the store hands over the
   * same object while it is unchanged, so an edit of one object shows as its kind alone.
   */
  changedKinds(other: ResourceSet): Set<KindName> {
    const out = new Set<KindName>();
    for (const kind of new Set([...this.byKind.keys(), ...other.byKind.keys()])) {
      const mine = this.byKind.get(kind);
      const theirs = other.byKind.get(kind);
      if (mine === theirs) continue;
      if (!mine || !theirs || mine.size !== theirs.size) {
        out.add(kind);
        continue;
      }
      for (const [key, obj] of mine) {
        if (theirs.get(key) !== obj) {
          out.add(kind);
          break;
        }
      }
    }
    return out;
  }

  /** Objects of one kind in no particular order, without sorting or copying. */
  unordered<T extends KubeObject = KubeObject>(kind: KindName): IterableIterator<T> {
    return ((this.byKind.get(kind) ?? new Map<string, KubeObject>()).values() as IterableIterator<T>);
  }

  sourceOf(obj: KubeObject): SourceLocation | undefined {
    return this.sources.get(obj.kind as KindName)?.get(obj);
  }

  get size(): number {
    let n = 0;
    for (const m of this.byKind.values()) n += m.size;
    return n;
  }

  *all(): IterableIterator<KubeObject> {
    for (const m of this.byKind.values()) yield* m.values();
  }
}

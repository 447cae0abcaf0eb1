import type { ReferenceGrantObject } from '../api/spec.js';

export interface Referrer {
  group: string;
  kind: string;
  namespace: string;
}
export interface Referent {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Answers "may this object refer to that one?" across namespaces. Same-namespace references are
 * always allowed; cross-namespace ones need a ReferenceGrant in the referent's namespace.
 */
export class ReferenceGrantIndex {
  private readonly byNamespace = new Map<string, ReferenceGrantObject[]>();

  constructor(grants: readonly ReferenceGrantObject[]) {
    for (const g of grants) {
      const ns = g.metadata.namespace ?? 'default';
      const list = this.byNamespace.get(ns) ?? [];
      list.push(g);
      this.byNamespace.set(ns, list);
    }
  }

  allows(from: Referrer, to: Referent): boolean {
    if (from.namespace === to.namespace) return true;
    for (const grant of this.byNamespace.get(to.namespace) ?? []) {
      const fromOk = grant.spec.from.some(
        (f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace,
      );
      if (!fromOk) continue;
      const toOk = grant.spec.to.some(
        (t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === '' || t.name === to.name),
      );
      if (toOk) return true;
    }
    return false;
  }
}

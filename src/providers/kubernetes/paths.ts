/** Where a resource lives on the API server: `/api/v1/...` for the core group, `/apis/{group}/{version}/...` otherwise. */

/** What the provider needs to know of a resource type (KindInfo has this shape). */
export interface ResourceType {
  kind: string;
  group: string;
  plural: string;
  namespaced: boolean;
  /** Versions to try, preferred first. */
  versions: readonly string[];
}

export function apiVersionFor(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function prefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** The collection: every object of the type, or those of one namespace. */
export function collectionPath(type: ResourceType, version: string, namespace?: string): string {
  const ns = type.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${prefix(type.group, version)}${ns}/${type.plural}`;
}

/** One object, or one of its subresources ("status"). */
export function objectPath(type: ResourceType, version: string, namespace: string | undefined, name: string, subresource?: string): string {
  const base = `${collectionPath(type, version, type.namespaced ? (namespace ?? '') : undefined)}/${encodeURIComponent(name)}`;
  return subresource ? `${base}/${subresource}` : base;
}

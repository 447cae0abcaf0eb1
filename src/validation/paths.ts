/**
 * Field paths in the API server's notation: "spec.rules[0].matches[1]" with map entries as
 * "metadata.labels[app]". The root is "".
 */

export function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

export function keyPath(parent: string, key: string): string {
  return `${parent}[${key}]`;
}

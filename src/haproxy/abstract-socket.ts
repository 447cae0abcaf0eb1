import { createHash } from 'node:crypto';

/**
 * An address in the machine's abstract unix socket namespace for one of an instance's internal
 * frontends, `abns@portico-<label><hash>`. Several HAProxy instances share that namespace, so the
 * name comes from the instance's own configuration directory; it stays the same across reloads,
 * so the listening socket is handed over like the others.
 */
export function abstractSocket(dir: string, label: string, hashChars: number): string {
  return `abns@portico-${label}${createHash('sha256').update(dir).digest('hex').slice(0, hashChars)}`;
}

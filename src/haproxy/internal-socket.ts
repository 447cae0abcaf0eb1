import path from 'node:path';

/**
 * The longest name a rendering gives an internal socket: a port's HTTPS or TLS hop
 * ("p65535-https") or a rule's attempts hop ("a" and a content hash of at most 11 characters, a
 * suffix only on a hash clash). The instance's directory must leave room for it (process.ts).
 */
export const LONGEST_INTERNAL_SOCKET_NAME = `a${'0'.repeat(11)}_9`;

/**
 * The address of one of an instance's internal frontends (the HTTPS and TLS hops behind a port
 * read by SNI, the mirror frontend, a rule's attempts hop): a unix socket in the instance's own directory, beside the
 * configuration directory `dir` renderers are given. That directory is private to Portico's user
 * (state-dir.ts), so no other process can connect, let alone send a PROXY header the hop would
 * trust (an abstract socket could be reached by any process of the host or, with hostNetwork, of
 * the node). The path stays the same across reloads, so the listening socket is handed over like
 * the others.
 */
export function internalSocket(dir: string, name: string): string {
  return `unix@${path.join(path.dirname(dir), `${name}.sock`)}`;
}

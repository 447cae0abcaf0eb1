/** Certificate lists for TLS binds: one PEM per certificate, restricted to its listener's hostname. */
import path from 'node:path';
import type { IRListener, IRPort } from '../ir/model.js';
import { mapField } from './quote.js';

/**
 * Writes the crt-list of the certificates of the port's listeners that `include` selects (with
 * `lineOptions`, e.g. "[alpn h2,http/1.1] ", on each line restricted to a hostname) and returns
 * its path. Each certificate is restricted to its listener's hostname, so listeners stay isolated.
 */
export function writeCrtList(port: IRPort, include: (l: IRListener) => boolean, name: string, lineOptions: string, dir: string, files: Record<string, string>): string {
  const lines: string[] = [];
  const withoutHostname: string[] = [];
  port.listeners.forEach((l, i) => {
    if (!include(l)) return;
    (l.tls?.certificates ?? []).forEach((c, ci) => {
      const pem = `p${port.port}.l${i}.c${ci}.pem`;
      files[pem] = `${c.certPem.trim()}\n${c.keyPem.trim()}\n`;
      if (l.hostname) lines.push(`${path.join(dir, pem)} ${lineOptions}${mapField(l.hostname, 'hostname')}`);
      else withoutHostname.push(path.join(dir, pem));
    });
  });
  // HAProxy presents the first certificate of the list when no SNI filter matches (or there is
  // no SNI): that must be the certificate of the listener without hostname, which owns those names.
  lines.unshift(...withoutHostname);
  files[name] = lines.join('\n') + '\n';
  return path.join(dir, name);
}

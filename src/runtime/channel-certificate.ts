/**
 * The data plane channel's certificate when none is given (`--dataplane-tls-cert`): one that
 * Portico makes itself, once per cluster, and keeps in a Secret of its namespace so that every
 * controller replica and every restart serves the same one. It is self-signed and names the
 * hosts data planes use (the controller URL's host, 127.0.0.1); each data plane trusts exactly it
 * (the deployer copies it into the Gateway's token Secret as ca.crt). Made with the openssl
 * command: Node has no API for certificates, and the image carries openssl for this.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../log.js';
import type { KubeTransport } from '../providers/kubernetes/transport.js';

const run = promisify(execFile);

export const CHANNEL_SECRET = 'portico-channel-tls';

export interface ChannelCertificate {
  certFile: string;
  keyFile: string;
  /** What data planes trust: the certificate itself. */
  caFile: string;
}

/** The subjectAltName of the channel's certificate: the controller URL's host, and loopback. */
export function channelNames(controllerUrl: string): string {
  const host = new URL(controllerUrl).hostname.replace(/^\[|\]$/g, '');
  const names = new Set([isIP(host) ? `IP:${host}` : `DNS:${host}`, 'IP:127.0.0.1']);
  return [...names].join(',');
}

async function generate(dir: string, names: string): Promise<{ cert: string; key: string }> {
  const keyFile = path.join(dir, 'new.key');
  const certFile = path.join(dir, 'new.crt');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '3650', '-subj', '/CN=portico data plane channel',
    '-addext', `subjectAltName=${names}`, '-addext', 'basicConstraints=critical,CA:TRUE',
  ]);
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/**
 * The channel's certificate from the Secret `namespace/portico-channel-tls`, made and stored
 * first when there is none (a replica that loses the race to create it reads the winner's).
 */
export async function channelCertificate(options: { transport: KubeTransport; namespace: string; controllerUrl: string; dir?: string; logger: Logger }): Promise<ChannelCertificate> {
  const { transport, namespace, logger } = options;
  const dir = options.dir ?? mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'portico-channel-'));
  const secretPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  const read = async (): Promise<{ cert: string; key: string } | undefined> => {
    const r = await transport.request({ method: 'GET', path: `${secretPath}/${CHANNEL_SECRET}` });
    if (r.status === 404) return undefined;
    const data = (r.body as { data?: Record<string, string> } | undefined)?.data;
    if (r.status !== 200 || !data?.['tls.crt'] || !data['tls.key']) throw new Error(`cannot read Secret ${namespace}/${CHANNEL_SECRET}: ${r.status}`);
    return { cert: Buffer.from(data['tls.crt'], 'base64').toString('utf8'), key: Buffer.from(data['tls.key'], 'base64').toString('utf8') };
  };
  let pair = await read();
  if (!pair) {
    const made = await generate(dir, channelNames(options.controllerUrl));
    const r = await transport.request({
      method: 'POST',
      path: secretPath,
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: CHANNEL_SECRET, namespace, labels: { 'app.kubernetes.io/name': 'portico', 'app.kubernetes.io/managed-by': 'portico' } },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': Buffer.from(made.cert).toString('base64'), 'tls.key': Buffer.from(made.key).toString('base64') },
      },
    });
    if (r.status === 201) {
      logger.info({ secret: `${namespace}/${CHANNEL_SECRET}` }, 'made the data plane channel certificate');
      pair = made;
    } else if (r.status === 409) pair = await read();
    else throw new Error(`cannot store Secret ${namespace}/${CHANNEL_SECRET}: ${r.status}`);
  }
  if (!pair) throw new Error(`Secret ${namespace}/${CHANNEL_SECRET} vanished while it was being made`);
  const certFile = path.join(dir, 'tls.crt');
  const keyFile = path.join(dir, 'tls.key');
  writeFileSync(certFile, pair.cert);
  writeFileSync(keyFile, pair.key, { mode: 0o600 });
  return { certFile, keyFile, caFile: certFile };
}

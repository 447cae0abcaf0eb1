import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { KubeObject } from '../api/object.js';
import type { ResourceSet } from '../store/resources.js';
import type { Certificate } from './model.js';
import type { ReferenceGrantIndex } from './reference-grants.js';
import type { SecretObject, SecretObjectReference } from '../api/spec.js';
import { GATEWAY_GROUP } from '../api/kinds.js';

export type CertificateResult =
  | { ok: true; certificate: Certificate }
  | { ok: false; reason: 'InvalidCertificateRef' | 'RefNotPermitted'; message: string };

/** DNS names a certificate is valid for: its DNS SANs, or its CN when it has no SAN. */
export function certificateDnsNames(cert: X509Certificate): string[] {
  const sans = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase());
  if (sans.length > 0) return sans;
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
  return cn ? [cn.toLowerCase()] : [];
}

/**
 * Where a reference to a core object of `kind` points, if it may be followed: the right group and
 * kind, and the same namespace as its owner or one whose ReferenceGrant allows it.
 */
function followRef(
  ref: { group?: string; kind?: string; name: string; namespace?: string },
  owner: { kind: string; namespace: string },
  kind: 'Secret' | 'ConfigMap',
  field: string,
  grants: ReferenceGrantIndex,
): { ok: true; namespace: string; where: string } | { ok: false; wrongKind: boolean; message: string } {
  const group = ref.group ?? '';
  const refKind = ref.kind ?? kind;
  const namespace = ref.namespace ?? owner.namespace;
  const where = `${namespace}/${ref.name}`;
  if (group !== '' || refKind !== kind) {
    const what = group ? `${group}/${refKind}` : refKind;
    return { ok: false, wrongKind: true, message: `${field} ${what} ${where}: only core ${kind}s are supported` };
  }
  if (!grants.allows({ group: GATEWAY_GROUP, kind: owner.kind, namespace: owner.namespace }, { group: '', kind, namespace, name: ref.name })) {
    return { ok: false, wrongKind: false, message: `${field} to ${kind} ${where} is not permitted: no ReferenceGrant in namespace ${namespace} allows it` };
  }
  return { ok: true, namespace, where };
}

/**
 * Resolves one listener certificateRef: kind Secret in the core group, reachable (same namespace
 * or granted), of type kubernetes.io/tls, holding a parseable certificate and matching key.
 */
export function resolveCertificateRef(
  ref: SecretObjectReference,
  owner: { kind: string; namespace: string },
  resources: ResourceSet,
  grants: ReferenceGrantIndex,
): CertificateResult {
  const followed = followRef(ref, owner, 'Secret', 'certificateRef', grants);
  if (!followed.ok) return { ok: false, reason: followed.wrongKind ? 'InvalidCertificateRef' : 'RefNotPermitted', message: followed.message };
  const { namespace, where } = followed;
  const secret = resources.get<SecretObject>('Secret', namespace, ref.name);
  if (!secret) return { ok: false, reason: 'InvalidCertificateRef', message: `Secret ${where} does not exist` };
  if (secret.type !== 'kubernetes.io/tls') {
    return { ok: false, reason: 'InvalidCertificateRef', message: `Secret ${where} is of type "${secret.type ?? 'Opaque'}", not kubernetes.io/tls` };
  }
  const certB64 = secret.data?.['tls.crt'];
  const keyB64 = secret.data?.['tls.key'];
  if (!certB64 || !keyB64) {
    return { ok: false, reason: 'InvalidCertificateRef', message: `Secret ${where} lacks tls.crt or tls.key` };
  }
  const certPem = Buffer.from(certB64, 'base64').toString('utf8');
  const keyPem = Buffer.from(keyB64, 'base64').toString('utf8');
  // OpenSSL's own error text says little to a user; name the field that is wrong instead.
  let cert: X509Certificate;
  let key: KeyObject;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return { ok: false, reason: 'InvalidCertificateRef', message: `Secret ${where}: tls.crt does not hold a PEM certificate` };
  }
  try {
    key = createPrivateKey(keyPem);
  } catch {
    return { ok: false, reason: 'InvalidCertificateRef', message: `Secret ${where}: tls.key does not hold a PEM private key` };
  }
  if (!cert.checkPrivateKey(key)) {
    return { ok: false, reason: 'InvalidCertificateRef', message: `Secret ${where}: tls.key does not match tls.crt` };
  }
  return { ok: true, certificate: { secret: where, certPem, keyPem, dnsNames: certificateDnsNames(cert) } };
}

/** A CA certificate reference (spec.tls.frontend.*.validation.caCertificateRefs[]). */
export interface CACertificateReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
}

export type CACertificateResult =
  | { ok: true; pem: string }
  | { ok: false; reason: 'InvalidCACertificateRef' | 'InvalidCACertificateKind' | 'RefNotPermitted'; message: string };

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/**
 * Resolves one CA reference for client certificate validation: a core ConfigMap, reachable (same
 * namespace or granted), whose `ca.crt` holds one or more PEM certificates and nothing else that
 * claims to be one.
 */
export function resolveCACertificateRef(
  ref: CACertificateReference,
  owner: { kind: string; namespace: string },
  resources: ResourceSet,
  grants: ReferenceGrantIndex,
): CACertificateResult {
  const followed = followRef(ref, owner, 'ConfigMap', 'caCertificateRef', grants);
  if (!followed.ok) return { ok: false, reason: followed.wrongKind ? 'InvalidCACertificateKind' : 'RefNotPermitted', message: followed.message };
  const { namespace, where } = followed;
  const configMap = resources.get<KubeObject & { data?: Record<string, string> }>('ConfigMap', namespace, ref.name);
  if (!configMap) return { ok: false, reason: 'InvalidCACertificateRef', message: `caCertificateRef: ConfigMap ${where} does not exist` };
  const text = configMap.data?.['ca.crt'];
  if (text === undefined) return { ok: false, reason: 'InvalidCACertificateRef', message: `caCertificateRef: ConfigMap ${where} has no key ca.crt` };
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  // A block that does not parse would be dropped silently by OpenSSL: say so instead.
  const parses = (block: string): boolean => {
    try {
      new X509Certificate(block);
      return true;
    } catch {
      return false;
    }
  };
  if (blocks.length === 0 || !blocks.every(parses)) {
    return { ok: false, reason: 'InvalidCACertificateRef', message: `caCertificateRef: ConfigMap ${where}: ca.crt does not hold PEM certificates` };
  }
  return { ok: true, pem: blocks.join('\n') + '\n' };
}

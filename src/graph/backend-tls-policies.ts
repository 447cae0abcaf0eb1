import { PORTICO_GROUP } from '../api/kinds.js';
/**
 * BackendTLSPolicies: which Service ports the Gateway reaches over TLS, checked against which CAs
 * and names. A policy targets Services (optionally one port, by name); where several target the
 * same port, the oldest wins and the others are Conflicted. A policy that cannot be carried out
 * still applies to its targets: their traffic fails (5xx) rather than going out unverified.
 */
import type { BackendTLSPolicyObject } from '../api/spec.js';
import type { ResourceSet } from '../store/resources.js';
import { resolveCACertificateRef } from './certificates.js';
import { cond, setCond } from './conditions.js';
import { byAge } from './gateways.js';
import type { BackendTLS, Cond, GraphBackendTLSPolicy } from './model.js';
import type { ReferenceGrantIndex } from './reference-grants.js';

/** A DNS name HAProxy can take as an SNI and verifyhost value as it is. */
const PLAIN_HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Whether BackendTLSPolicy applies to a backend spoken to with `appProtocol`: the HTTP kinds'
 * backends; TCP and TLS routes pass bytes through, and UDP has no TLS.
 */
export function coveredByBackendTLS(appProtocol: string | undefined): boolean {
  return appProtocol !== undefined && appProtocol !== 'tcp' && appProtocol !== 'udp';
}

function targetKey(namespace: string, service: string, port: string): string {
  return `${namespace}/${service}#${port}`;
}

/** What the policy asks for, or why it cannot be carried out (Accepted=False, or ResolvedRefs=False). */
function resolvePolicy(object: BackendTLSPolicyObject, resources: ResourceSet, grants: ReferenceGrantIndex): { tls?: BackendTLS; conditions: Cond[] } {
  const conditions: Cond[] = [];
  const ns = object.metadata.namespace ?? 'default';
  const v = object.spec.validation;
  const invalid = (message: string) => {
    setCond(conditions, cond('Accepted', false, 'Invalid', message));
    setCond(conditions, cond('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved'));
    return { conditions };
  };
  if (!PLAIN_HOSTNAME.test(v.hostname)) return invalid(`validation.hostname ${JSON.stringify(v.hostname)} is not a DNS name Portico can verify`);
  const sans = v.subjectAltNames ?? [];
  // HAProxy 2.6 checks one name (verifyhost): a single Hostname SAN can be enforced, a list or a URI cannot.
  if (sans.some((s) => s.type !== 'Hostname') || sans.length > 1) {
    return invalid('validation.subjectAltNames: Portico verifies one name only; give at most one subjectAltName, of type Hostname');
  }
  const san = sans[0]?.hostname;
  if (san !== undefined && !PLAIN_HOSTNAME.test(san)) return invalid(`validation.subjectAltNames[0].hostname ${JSON.stringify(san)} is not a DNS name Portico can verify`);
  if (Object.keys(object.spec.options ?? {}).length > 0) {
    return invalid(`options ${Object.keys(object.spec.options ?? {}).map((o) => JSON.stringify(o)).join(', ')}: Portico supports no BackendTLSPolicy options`);
  }
  const verifyName = san ?? v.hostname;
  if (v.wellKnownCACertificates !== undefined) {
    if (v.wellKnownCACertificates !== 'System') return invalid(`validation.wellKnownCACertificates ${JSON.stringify(v.wellKnownCACertificates)}: only System is supported`);
    setCond(conditions, cond('Accepted', true, 'Accepted', 'Policy is accepted'));
    setCond(conditions, cond('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved'));
    return { conditions, tls: { systemCAs: true, sni: v.hostname, verifyName } };
  }
  const pems: string[] = [];
  const problems: { reason: string; message: string }[] = [];
  for (const ref of v.caCertificateRefs ?? []) {
    const r = resolveCACertificateRef({ group: ref.group, kind: ref.kind, name: ref.name }, { kind: 'BackendTLSPolicy', namespace: ns }, resources, grants);
    if (r.ok) pems.push(r.pem);
    else problems.push({ reason: r.reason === 'InvalidCACertificateKind' ? 'InvalidKind' : r.reason, message: r.message });
  }
  const first = problems[0];
  setCond(
    conditions,
    pems.length > 0 ? cond('Accepted', true, 'Accepted', 'Policy is accepted') : cond('Accepted', false, 'NoValidCACertificate', `no caCertificateRef resolves${first ? `: ${first.message}` : ''}`),
  );
  setCond(
    conditions,
    first ? cond('ResolvedRefs', false, first.reason, problems.map((p) => p.message).join('; ')) : cond('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved'),
  );
  return pems.length > 0 ? { conditions, tls: { caPem: pems.join(''), systemCAs: false, sni: v.hostname, verifyName } } : { conditions };
}

/** The BackendTLSPolicies of a snapshot, and which one applies to a Service port. */
/** How a Backend is named among the index's targets, apart from Services. */
export const backendTarget = (name: string): string => `Backend:${name}`;

export class BackendTLSIndex {
  readonly policies: GraphBackendTLSPolicy[] = [];
  private readonly byTarget = new Map<string, GraphBackendTLSPolicy>();
  /** Every policy naming a target, the conflicted ones too: they report on the same Gateways. */
  private readonly allByTarget = new Map<string, GraphBackendTLSPolicy[]>();

  constructor(resources: ResourceSet, grants: ReferenceGrantIndex) {
    const objects = [...resources.list<BackendTLSPolicyObject>('BackendTLSPolicy')].sort(byAge);
    for (const object of objects) {
      const { tls, conditions } = resolvePolicy(object, resources, grants);
      const policy: GraphBackendTLSPolicy = { object, conditions, ...(tls ? { tls } : {}), ancestors: [] };
      this.policies.push(policy);
      const ns = object.metadata.namespace ?? 'default';
      // Backends (gateway.portico.dev) are keyed apart from Services of the same name.
      const targets = object.spec.targetRefs
        .filter((t) => (t.group === '' && t.kind === 'Service') || (t.group === PORTICO_GROUP && t.kind === 'Backend'))
        .map((t) => (t.kind === 'Backend' ? { ...t, name: backendTarget(t.name) } : t));
      if (targets.length === 0) {
        setCond(policy.conditions, cond('Accepted', false, 'TargetNotFound', `no targetRef names a core Service or a ${PORTICO_GROUP} Backend`));
        continue;
      }
      for (const t of targets) {
        const key = targetKey(ns, t.name, t.sectionName ?? '');
        this.allByTarget.set(key, [...(this.allByTarget.get(key) ?? []), policy]);
      }
      const taken = targets.map((t) => this.byTarget.get(targetKey(ns, t.name, t.sectionName ?? ''))).find((p) => p !== undefined);
      if (taken) {
        const other = taken.object.metadata;
        setCond(policy.conditions, cond('Accepted', false, 'Conflicted', `BackendTLSPolicy ${other.namespace}/${other.name}, which is older, already targets the same Service port`));
        continue;
      }
      for (const t of targets) this.byTarget.set(targetKey(ns, t.name, t.sectionName ?? ''), policy);
    }
  }

  /** Every policy naming the Service port or the whole Service, whether it applies or not. */
  policiesNaming(namespace: string, service: string, portName: string | undefined): GraphBackendTLSPolicy[] {
    return [...(portName ? (this.allByTarget.get(targetKey(namespace, service, portName)) ?? []) : []), ...(this.allByTarget.get(targetKey(namespace, service, '')) ?? [])];
  }

  /** The policy for a Service port: one naming the port first, else one naming the whole Service. */
  policyFor(namespace: string, service: string, portName: string | undefined): GraphBackendTLSPolicy | undefined {
    return (portName ? this.byTarget.get(targetKey(namespace, service, portName)) : undefined) ?? this.byTarget.get(targetKey(namespace, service, ''));
  }
}

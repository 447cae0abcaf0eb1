/**
 * BackendTLSPolicy status, from the upstream manifests (status parts; the traffic parts are in
 * test/traffic/backend-tls-policy.test.ts). Upstream: BackendTLSPolicyConflictResolution,
 * BackendTLSPolicyInvalidCACertificateRef, BackendTLSPolicyInvalidKind.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CONTROLLER, INFRA, cond, runFiles, type Expect, type Outcome } from './helpers.js';

const FILES = ['base.yaml', 'backendtlspolicy.yaml'];
const ACCEPTED = cond('Accepted', 'True', 'Accepted');
const CONFLICTED = cond('Accepted', 'False', 'Conflicted');

type Ancestor = { ancestorRef: { group?: string; kind?: string; namespace?: string; name: string }; controllerName: string; conditions: { type: string; status: string; reason: string; observedGeneration?: number }[] };

/** Upstream BackendTLSPolicyMustHaveCondition: the policy's entry for Gateway same-namespace has the condition. */
function policyMustHave(out: Outcome, name: string, ...expected: Expect[]): void {
  const ancestors = (out.status('BackendTLSPolicy', INFRA, name).ancestors ?? []) as Ancestor[];
  const entry = ancestors.find((a) => a.controllerName === CONTROLLER && a.ancestorRef.name === 'same-namespace' && a.ancestorRef.namespace === INFRA);
  assert.ok(entry, `BackendTLSPolicy ${name}: no ancestor entry for Gateway ${INFRA}/same-namespace in ${JSON.stringify(ancestors)}`);
  assert.equal(entry.ancestorRef.kind, 'Gateway');
  for (const e of expected) {
    const c: Ancestor['conditions'][number] | undefined = entry.conditions.find((x) => x.type === e.type);
    assert.ok(c, `BackendTLSPolicy ${name}: no ${e.type} condition`);
    assert.equal(c.status, e.status, `BackendTLSPolicy ${name}: ${e.type}`);
    if (typeof e.reason === 'string') assert.equal(c.reason, e.reason, `BackendTLSPolicy ${name}: ${e.type} reason`);
    assert.equal(c.observedGeneration, out.object('BackendTLSPolicy', INFRA, name).metadata.generation ?? 1, `BackendTLSPolicy ${name}: ${e.type} observedGeneration`);
  }
}

describe('BackendTLSPolicy', () => {
  it('BackendTLSPolicyConflictResolution: the older of two policies on one target is Accepted, the other Conflicted; with and without sectionName both apply', async () => {
    const out = await runFiles(FILES);
    out.route('HTTPRoute', INFRA, 'backendtlspolicy-conflict-resolution').parent(0).acceptedAndResolved();
    policyMustHave(out, 'conflicted-without-section-name-1', ACCEPTED);
    policyMustHave(out, 'conflicted-without-section-name-2', CONFLICTED);
    policyMustHave(out, 'conflicted-with-section-name-1', ACCEPTED);
    policyMustHave(out, 'conflicted-with-section-name-2', CONFLICTED);
    policyMustHave(out, 'not-conflicted-with-section-name', ACCEPTED);
    policyMustHave(out, 'not-conflicted-without-section-name', ACCEPTED);
    // The winners' hostnames are what the backends are reached with (upstream checks the SNI).
    const backends = out.translation.ir.gateways.find((g) => g.name === `${INFRA}/same-namespace`)?.backends ?? {};
    const sni = (id: string) => {
      const tls = backends[id]?.tls;
      return tls && !('unusable' in tls) ? tls.sni : undefined;
    };
    assert.equal(sni(`${INFRA}/backendtlspolicy-conflicted-without-section-name-test:443`), 'other.example.com');
    assert.equal(sni(`${INFRA}/backendtlspolicy-conflicted-with-section-name-test:443`), 'other.example.com');
    assert.equal(sni(`${INFRA}/backendtlspolicy-not-conflicted-test:443`), 'other.example.com', 'the port named by sectionName');
    assert.equal(sni(`${INFRA}/backendtlspolicy-not-conflicted-test:8443`), 'abc.example.com', 'the other port, by the whole-Service policy');
  });

  it('BackendTLSPolicyInvalidCACertificateRef: NoValidCACertificate and InvalidCACertificateRef; the route stays accepted and its backend gets no traffic', async () => {
    const out = await runFiles(FILES);
    out.route('HTTPRoute', INFRA, 'backendtlspolicy-invalid-ca-certificate-ref').parent(0).condition('Accepted', 'True', 'Accepted');
    for (const name of ['nonexistent-ca-certificate-ref', 'malformed-ca-certificate-ref']) {
      policyMustHave(out, name, cond('Accepted', 'False', 'NoValidCACertificate'), cond('ResolvedRefs', 'False', 'InvalidCACertificateRef'));
    }
    const backends = out.translation.ir.gateways.find((g) => g.name === `${INFRA}/same-namespace`)?.backends ?? {};
    for (const svc of ['backendtlspolicy-nonexistent-ca-certificate-ref-test', 'backendtlspolicy-malformed-ca-certificate-ref-test']) {
      assert.deepEqual(backends[`${INFRA}/${svc}:443`]?.endpoints, [], `${svc}: no endpoints, so requests get 503`);
    }
  });

  it('BackendTLSPolicyInvalidKind: NoValidCACertificate and InvalidKind', async () => {
    const out = await runFiles(FILES);
    out.route('HTTPRoute', INFRA, 'backendtlspolicy-invalid-kind-test').parent(0).condition('Accepted', 'True', 'Accepted');
    policyMustHave(out, 'invalid-kind', cond('Accepted', 'False', 'NoValidCACertificate'), cond('ResolvedRefs', 'False', 'InvalidKind'));
  });
});

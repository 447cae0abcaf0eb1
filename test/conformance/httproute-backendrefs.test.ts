/**
 * HTTPRoute backendRefs: resolution failures are reported with ResolvedRefs=False while the route
 * stays attached.
 * Upstream: HTTPRouteInvalidCrossNamespaceBackendRef, HTTPRouteInvalidNonExistentBackendRef,
 * HTTPRouteInvalidBackendRefUnknownKind, HTTPRouteInvalidReferenceGrant,
 * HTTPRoutePartiallyInvalidViaInvalidReferenceGrant, HTTPRouteReferenceGrant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { INFRA, LATER, LISTENER_OK, NOW, WEB, cond, load, rerun, run, runFiles, without } from './helpers.js';

const ACCEPTED = cond('Accepted', 'True', 'Accepted');

describe('HTTPRoute backendRefs that do not resolve', () => {
  const cases: [string, string, string][] = [
    ['HTTPRouteInvalidCrossNamespaceBackendRef: no ReferenceGrant', 'invalid-cross-namespace-backend-ref', 'RefNotPermitted'],
    ['HTTPRouteInvalidNonExistentBackendRef: no such Service', 'invalid-nonexistent-backend-ref', 'BackendNotFound'],
    ['HTTPRouteInvalidBackendRefUnknownKind: unknown group/kind', 'invalid-backend-ref-unknown-kind', 'InvalidKind'],
  ];
  for (const [title, name, reason] of cases) {
    it(`${title} → Accepted=True, ResolvedRefs=False/${reason}`, async () => {
      const out = await runFiles(['base.yaml', 'httproute-backend-refs.yaml']);
      const route = out.httpRoute(INFRA, name);
      route.ourParentsAre(0);
      route.parent(0).conditionsAre(ACCEPTED, cond('ResolvedRefs', 'False', reason));
    });
  }

  it('the Gateway still counts all three routes as attached', async () => {
    const out = await runFiles(['base.yaml', 'httproute-backend-refs.yaml']);
    out.gateway(INFRA, 'same-namespace').expectListener('http', { conditions: LISTENER_OK, attachedRoutes: 3 });
  });
});

describe('HTTPRoute and ReferenceGrant', () => {
  it('HTTPRouteInvalidReferenceGrant: grants each wrong in one way → ResolvedRefs=False/RefNotPermitted', async () => {
    const out = await runFiles(['base.yaml', 'httproute-invalid-reference-grant.yaml']);
    const route = out.httpRoute(INFRA, 'reference-grant');
    route.ourParentsAre(0);
    route.parent(0).conditionsAre(ACCEPTED, cond('ResolvedRefs', 'False', 'RefNotPermitted'));
    out.gateway(INFRA, 'same-namespace').expectListener('http', { attachedRoutes: 1 });
  });

  it('HTTPRoutePartiallyInvalidViaInvalidReferenceGrant: one rule unresolved → still Accepted, ResolvedRefs=False/RefNotPermitted', async () => {
    const out = await runFiles(['base.yaml', 'httproute-partially-invalid-via-invalid-reference-grant.yaml']);
    const route = out.httpRoute(INFRA, 'invalid-reference-grant');
    route.ourParentsAre(0);
    route.parent(0).conditionsAre(ACCEPTED, cond('ResolvedRefs', 'False', 'RefNotPermitted'));
    out.gateway(INFRA, 'same-namespace').expectListener('http', { attachedRoutes: 1 });
  });

  it('HTTPRouteReferenceGrant: a matching grant resolves the ref; deleting it → RefNotPermitted', async () => {
    const objects = load('base.yaml', 'httproute-reference-grant.yaml');
    const first = await run(objects);
    const route = first.httpRoute(INFRA, 'reference-grant');
    route.ourParentsAre(0);
    route.parent(0).acceptedAndResolved();

    // Deleting the grant changes no generation of the route, only its status.
    const second = await rerun(first, without(objects, 'ReferenceGrant', WEB, 'reference-grant'));
    const after = second.httpRoute(INFRA, 'reference-grant');
    const parent = after.parent(0);
    const accepted = parent.condition('Accepted', 'True', 'Accepted');
    const resolved = parent.condition('ResolvedRefs', 'False', 'RefNotPermitted');
    assert.equal(accepted.lastTransitionTime, NOW, `Accepted did not change\n${after.whole()}`);
    assert.equal(resolved.lastTransitionTime, LATER, `ResolvedRefs changed status: new lastTransitionTime\n${after.whole()}`);
  });
});

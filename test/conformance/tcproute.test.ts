/**
 * TCPRoute status (status parts only).
 * Upstream: TCPRouteInvalidBackendRefNonexistent, TCPRouteInvalidCrossNamespaceBackendRef,
 * TCPRouteInvalidNonTCPListener, TCPRouteMultipleRoutesAttachment, TCPRouteParentRefAttachAll,
 * TCPRouteParentRefPortAndSectionName, TCPRouteReferenceGrant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GATEWAY_OK, INFRA, LATER, LISTENER_OK, NOW, WEB, cond, load, rerun, run, runFiles, without } from './helpers.js';

const FILES = ['base.yaml', 'tcproute.yaml'];
const ACCEPTED = cond('Accepted', 'True', 'Accepted');

describe('TCPRoute', () => {
  it('TCPRouteInvalidBackendRefNonexistent → Accepted, ResolvedRefs=False/BackendNotFound', async () => {
    const out = await runFiles(FILES);
    const route = out.route('TCPRoute', INFRA, 'tcp-route-invalid-backend-ref-nonexistent');
    route.ourParentsAre(0);
    route.parent(0).conditionsAre(ACCEPTED, cond('ResolvedRefs', 'False', 'BackendNotFound'));
  });

  it('TCPRouteInvalidCrossNamespaceBackendRef → Accepted, ResolvedRefs=False/RefNotPermitted; listener fine', async () => {
    const out = await runFiles(FILES);
    const route = out.route('TCPRoute', INFRA, 'tcp-invalid-cross-namespace-backend-ref');
    route.ourParentsAre(0);
    route.parent(0).conditionsAre(ACCEPTED, cond('ResolvedRefs', 'False', 'RefNotPermitted'));
    const gw = out.gateway(INFRA, 'tcp-invalid-cross-namespace-backend-ref-gateway');
    gw.conditionsAre(...GATEWAY_OK);
    gw.expectListener('tcp', { conditions: LISTENER_OK, kinds: ['TCPRoute'], exactKinds: true, attachedRoutes: 1 });
  });

  it('TCPRouteInvalidNonTCPListener: sectionName names an HTTP listener → NotAllowedByListeners', async () => {
    const out = await runFiles(FILES);
    const route = out.route('TCPRoute', INFRA, 'tcp-route');
    route.ourParentsAre(0);
    route.parent(0).condition('Accepted', 'False', 'NotAllowedByListeners');
    route.noAcceptedParents();
    out.gateway(INFRA, 'tcp-mixed-protocol-gateway').zeroRoutes();
  });

  it('TCPRouteMultipleRoutesAttachment: both routes Accepted, the listener counts 2', async () => {
    const out = await runFiles(FILES);
    for (const name of ['tcproute-attach-older', 'tcproute-attach-newer']) {
      out.route('TCPRoute', INFRA, name).parent(0).condition('Accepted', 'True', 'Accepted');
    }
    out.gateway(INFRA, 'tcp-multi-route-attach-gateway').expectListener('tcp', {
      conditions: [cond('Accepted', 'True', 'Accepted')],
      kinds: ['TCPRoute'],
      exactKinds: true,
      attachedRoutes: 2,
    });
  });

  it('TCPRouteParentRefAttachAll: no sectionName/port → attached to every TCP listener', async () => {
    const out = await runFiles(FILES);
    const route = out.route('TCPRoute', INFRA, 'tcp-route-attach-all');
    route.ourParentsAre(0);
    route.parent(0).acceptedAndResolved();
    const gw = out.gateway(INFRA, 'tcp-attach-all-gateway');
    gw.listenersAre('one', 'two', 'three', 'four');
    for (const l of ['one', 'two', 'three', 'four']) {
      gw.expectListener(l, { conditions: LISTENER_OK, kinds: ['TCPRoute'], exactKinds: true, attachedRoutes: 1 });
    }
  });

  it('TCPRouteParentRefPortAndSectionName: by port, by sectionName, by both', async () => {
    const out = await runFiles(FILES);
    for (const name of ['tcp-route-by-port', 'tcp-route-by-section', 'tcp-route-by-section-and-port']) {
      const route = out.route('TCPRoute', INFRA, name);
      route.ourParentsAre(0);
      route.parent(0).acceptedAndResolved();
    }
    const gw = out.gateway(INFRA, 'tcp-multi-listener-gateway');
    for (const l of ['one', 'two', 'three']) {
      gw.expectListener(l, { conditions: LISTENER_OK, attachedRoutes: 1 });
    }
  });

  it('TCPRouteReferenceGrant: granted cross-namespace backend resolves; deleting the grant → RefNotPermitted', async () => {
    const objects = load(...FILES);
    const first = await run(objects);
    first.route('TCPRoute', INFRA, 'tcp-reference-grant').parent(0).acceptedAndResolved();
    first.gateway(INFRA, 'tcp-reference-grant-gateway').expectListener('tcp', { conditions: LISTENER_OK, attachedRoutes: 1 });

    const second = await rerun(first, without(objects, 'ReferenceGrant', WEB, 'tcp-reference-grant'));
    const route = second.route('TCPRoute', INFRA, 'tcp-reference-grant');
    const accepted = route.parent(0).condition('Accepted', 'True', 'Accepted');
    const resolved = route.parent(0).condition('ResolvedRefs', 'False', 'RefNotPermitted');
    assert.equal(accepted.lastTransitionTime, NOW, `Accepted did not change\n${route.whole()}`);
    assert.equal(resolved.lastTransitionTime, LATER, `ResolvedRefs changed: new lastTransitionTime\n${route.whole()}`);
  });
});

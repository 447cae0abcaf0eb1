/**
 * HTTPRoute attachment to Gateways: which parentRefs attach, which do not and why, and how
 * listeners count them.
 * Upstream: HTTPRouteInvalidCrossNamespaceParentRef, HTTPRouteInvalidParentRefNotMatchingSectionName,
 * HTTPRouteInvalidParentRefNotMatchingListenerPort, HTTPRouteInvalidParentRefSectionNameNotMatchingPort,
 * HTTPRouteDisallowedKind, HTTPRouteHostnameIntersection, HTTPRouteListenerHostnameMatching,
 * HTTPRouteListenerPortMatching, HTTPRouteCrossNamespace, HTTPRouteObservedGenerationBump,
 * GRPCRouteListenerHostnameMatching.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GATEWAY_OK, INFRA, LISTENER_OK, NOW, WEB, cond, find, load, rerun, run, runFiles } from './helpers.js';

const RESOLVED = cond('ResolvedRefs', 'True', 'ResolvedRefs');

describe('HTTPRoute parentRefs that do not attach', () => {
  it('HTTPRouteInvalidCrossNamespaceParentRef: listener from Same, route elsewhere → NotAllowedByListeners', async () => {
    const out = await runFiles(['base.yaml', 'httproute-parent-refs.yaml']);
    const route = out.httpRoute(WEB, 'invalid-cross-namespace-parent-ref');
    route.ourParentsAre(0);
    route.parent(0).conditionsAre(cond('Accepted', 'False', 'NotAllowedByListeners'), RESOLVED);
    route.noAcceptedParents();
    out.gateway(INFRA, 'same-namespace').zeroRoutes();
  });

  it('HTTPRouteInvalidParentRefNotMatchingSectionName: unknown sectionName → NoMatchingParent', async () => {
    const out = await runFiles(['base.yaml', 'httproute-parent-refs.yaml']);
    const route = out.httpRoute(INFRA, 'httproute-listener-not-matching-section-name');
    route.ourParentsAre(0);
    route.parent(0).condition('Accepted', 'False', 'NoMatchingParent');
    route.noAcceptedParents();
    out.gateway(INFRA, 'same-namespace').zeroRoutes();
  });

  it('HTTPRouteInvalidParentRefNotMatchingListenerPort: no listener on the port → NoMatchingParent', async () => {
    const out = await runFiles(['base.yaml', 'httproute-parent-refs.yaml']);
    const route = out.httpRoute(INFRA, 'httproute-listener-not-matching-route-port');
    route.ourParentsAre(0);
    route.parent(0).conditionsAre(cond('Accepted', 'False', 'NoMatchingParent'), RESOLVED);
    route.noAcceptedParents();
    out.gateway(INFRA, 'same-namespace').zeroRoutes();
  });

  it('HTTPRouteInvalidParentRefSectionNameNotMatchingPort: listener found by name but on another port → NoMatchingParent', async () => {
    const out = await runFiles(['base.yaml', 'httproute-parent-refs.yaml']);
    const route = out.httpRoute(INFRA, 'httproute-listener-section-name-not-matching-port');
    route.ourParentsAre(0);
    route.parent(0).condition('Accepted', 'False', 'NoMatchingParent');
    route.noAcceptedParents();
    const gw = out.gateway(INFRA, 'gateway-with-one-not-matching-port-and-section-name-route');
    gw.conditionsAre(...GATEWAY_OK);
    gw.zeroRoutes();
  });

  it('HTTPRouteDisallowedKind: the only listener takes TLSRoute → NotAllowedByListeners', async () => {
    const out = await runFiles(['base.yaml', 'httproute-parent-refs.yaml']);
    const gw = out.gateway(INFRA, 'tlsroutes-only');
    gw.conditionsAre(...GATEWAY_OK);
    gw.expectListener('tls', { conditions: LISTENER_OK, kinds: ['TLSRoute'], exactKinds: true, attachedRoutes: 0 });
    const route = out.httpRoute(INFRA, 'disallowed-kind');
    route.ourParentsAre(0);
    route.parent(0).conditionsAre(cond('Accepted', 'False', 'NotAllowedByListeners'), RESOLVED);
    route.noAcceptedParents();
    gw.zeroRoutes();
  });
});

describe('HTTPRouteHostnameIntersection', () => {
  const intersecting = [
    'specific-host-matches-listener-specific-host',
    'specific-host-matches-listener-wildcard-host',
    'wildcard-host-matches-listener-specific-host',
    'wildcard-host-matches-listener-wildcard-host',
  ];

  it('routes with a hostname intersecting some listener are Accepted and resolved', async () => {
    const out = await runFiles(['base.yaml', 'httproute-hostname-intersection.yaml']);
    out.gateway(INFRA, 'httproute-hostname-intersection').conditionsAre(...GATEWAY_OK);
    for (const name of intersecting) {
      const route = out.httpRoute(INFRA, name);
      route.ourParentsAre(0);
      route.parent(0).acceptedAndResolved();
    }
  });

  it('a route intersecting no listener hostname → Accepted=False/NoMatchingListenerHostname', async () => {
    const out = await runFiles(['base.yaml', 'httproute-hostname-intersection.yaml']);
    const route = out.httpRoute(INFRA, 'no-intersecting-hosts');
    route.ourParentsAre(0);
    route.parent(0).condition('Accepted', 'False', 'NoMatchingListenerHostname');
  });

  it('attachedRoutes counts only the routes that attach to each listener', async () => {
    const out = await runFiles(['base.yaml', 'httproute-hostname-intersection.yaml']);
    const gw = out.gateway(INFRA, 'httproute-hostname-intersection');
    gw.listenersAre('listener-1', 'listener-2', 'listener-3');
    // listener-1 very.specific.com: specific-host-matches-listener-specific-host, wildcard-host-matches-listener-specific-host
    gw.expectListener('listener-1', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 2 });
    // listener-2 *.wildcard.io: specific-host-matches-listener-wildcard-host
    gw.expectListener('listener-2', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 1 });
    // listener-3 *.anotherwildcard.io: wildcard-host-matches-listener-wildcard-host
    gw.expectListener('listener-3', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 1 });
  });

  it('a listener without hostname accepts any route hostname', async () => {
    const out = await runFiles(['base.yaml', 'httproute-hostname-intersection.yaml']);
    const gw = out.gateway(INFRA, 'httproute-hostname-intersection-all');
    gw.conditionsAre(...GATEWAY_OK);
    gw.expectListener('listener-1', { conditions: LISTENER_OK, attachedRoutes: 1 });
    out.httpRoute(INFRA, 'httproute-hostname-intersection-all').parent(0).acceptedAndResolved();
  });
});

describe('HTTPRouteListenerHostnameMatching', () => {
  it('sectionName parentRefs attach to the named listener only, one status entry per parentRef', async () => {
    const out = await runFiles(['base.yaml', 'httproute-listener-hostname-matching.yaml']);
    const gw = out.gateway(INFRA, 'httproute-listener-hostname-matching');
    gw.conditionsAre(...GATEWAY_OK);
    for (const l of ['listener-1', 'listener-2', 'listener-3', 'listener-4']) {
      gw.expectListener(l, { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 1 });
    }
    for (const name of ['backend-v1', 'backend-v2']) {
      const route = out.httpRoute(INFRA, name);
      route.ourParentsAre(0);
      route.parent(0).acceptedAndResolved();
    }
    const v3 = out.httpRoute(INFRA, 'backend-v3');
    v3.ourParentsAre(0, 1);
    v3.parent(0).acceptedAndResolved();
    v3.parent(1).acceptedAndResolved();
  });
});

describe('HTTPRouteListenerPortMatching', () => {
  it('parentRef.port attaches to every listener on that port; with sectionName to that one only', async () => {
    const out = await runFiles(['base.yaml', 'httproute-listener-port-matching.yaml']);
    const gw = out.gateway(INFRA, 'httproute-listener-port-matching');
    gw.conditionsAre(...GATEWAY_OK);
    const counts: [string, number][] = [
      ['listener-1', 1], // backend-v1 (port 80)
      ['listener-2', 1], // backend-v2 (port 8080)
      ['listener-3', 1], // backend-v2 (port 8080)
      ['listener-4', 1], // backend-v3 (port 8090, sectionName listener-4)
      ['listener-5', 0],
    ];
    for (const [l, n] of counts) gw.expectListener(l, { conditions: LISTENER_OK, attachedRoutes: n });
    for (const name of ['backend-v1', 'backend-v2', 'backend-v3']) {
      const route = out.httpRoute(INFRA, name);
      route.ourParentsAre(0);
      route.parent(0).acceptedAndResolved();
    }
  });
});

describe('GRPCRouteListenerHostnameMatching', () => {
  it('GRPCRoutes attach to HTTP listeners by sectionName, exactly like HTTPRoutes', async () => {
    const out = await runFiles(['base.yaml', 'grpcroute-listener-hostname-matching.yaml']);
    const gw = out.gateway(INFRA, 'grpcroute-listener-hostname-matching');
    gw.conditionsAre(...GATEWAY_OK);
    for (const l of ['listener-1', 'listener-2', 'listener-3', 'listener-4']) {
      gw.expectListener(l, { conditions: LISTENER_OK, kinds: ['GRPCRoute'], attachedRoutes: 1 });
    }
    for (const name of ['backend-v1', 'backend-v2']) {
      const route = out.route('GRPCRoute', INFRA, name);
      route.ourParentsAre(0);
      route.parent(0).acceptedAndResolved();
    }
    const v3 = out.route('GRPCRoute', INFRA, 'backend-v3');
    v3.ourParentsAre(0, 1);
    v3.parent(0).acceptedAndResolved();
    v3.parent(1).acceptedAndResolved();
  });
});

describe('HTTPRouteCrossNamespace', () => {
  it('a route from a namespace the listener selector admits is Accepted and resolved', async () => {
    const out = await runFiles(['base.yaml', 'httproute-simple.yaml']);
    const route = out.httpRoute(WEB, 'cross-namespace');
    route.ourParentsAre(0);
    route.parent(0).acceptedAndResolved();
    out.gateway(INFRA, 'backend-namespaces').expectListener('http', { conditions: LISTENER_OK, attachedRoutes: 1 });
  });
});

describe('HTTPRouteObservedGenerationBump', () => {
  it('a spec change moves every condition of our parent entry to the new generation', async () => {
    const objects = load('base.yaml', 'httproute-simple.yaml');
    const first = await run(objects);
    first.httpRoute(INFRA, 'observed-generation-bump').parent(0).acceptedAndResolved();

    const route = find(objects, 'HTTPRoute', INFRA, 'observed-generation-bump');
    const spec = route.spec as { rules: { backendRefs: { name: string }[] }[] };
    const ref = spec.rules[0]?.backendRefs[0];
    assert.ok(ref);
    ref.name = 'infra-backend-v2';
    route.metadata.generation = 2;
    const second = await rerun(first, objects);
    const after = second.httpRoute(INFRA, 'observed-generation-bump'); // checks observedGeneration = 2
    after.ourParentsAre(0);
    const parent = after.parent(0);
    parent.acceptedAndResolved();
    const accepted = parent.condition('Accepted', 'True', 'Accepted');
    assert.equal(accepted.lastTransitionTime, NOW, `Accepted kept its status: lastTransitionTime stays\n${after.whole()}`);
  });
});

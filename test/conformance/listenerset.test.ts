/**
 * ListenerSet status, the parent Gateway's attachedListenerSets, and routes attached through
 * ListenerSets (status parts only).
 * Upstream: ListenerSetAllowedNamespaceNone, ListenerSetAllowedNamespaceSame,
 * ListenerSetAllowedNamespaceSelector, ListenerSetDefaultNotAllowed,
 * ListenerSetAllowedRoutesSupportedKinds, ListenerSetHostnameConflict, ListenerSetProtocolConflict,
 * ListenerSetReferenceGrant, ListenerSetHTTPRouting, ListenerSetAllowedRoutesNamespaces,
 * ListenerSetGatewayParentSectionNameNotFound, ListenerSetDualParentRefIndependence,
 * ListenerSetRouteStatusScopedToParentRef.
 */
import { describe, it } from 'node:test';

import { INFRA, LISTENER_OK, cond, runFiles, type Expect } from './helpers.js';

const LS_OK: Expect[] = [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')];
const LS_NOT_ALLOWED: Expect[] = [cond('Accepted', 'False', 'NotAllowed'), cond('Programmed', 'False', 'NotAllowed')];
const LS_NO_VALID_LISTENERS: Expect[] = [
  cond('Accepted', 'False', 'ListenersNotValid'),
  cond('Programmed', 'False', 'ListenersNotValid'),
];
const GW_ACCEPTED = cond('Accepted', 'True', 'Accepted');

const conflicted = (reason: string): Expect[] => [
  cond('Accepted', 'False', reason),
  cond('Programmed', 'False', reason),
  cond('Conflicted', 'True', reason),
];

describe('Gateway allowedListeners', () => {
  const FILES = ['base.yaml', 'listenerset-allowed-listeners.yaml'];

  it('ListenerSetAllowedNamespaceNone: from None → the ListenerSet is NotAllowed, none attached', async () => {
    const out = await runFiles(FILES);
    const gw = out.gateway(INFRA, 'gateway-does-not-allow-listenerset');
    gw.condition('Accepted', 'True', 'Accepted');
    gw.attachedListenerSets(0);
    out.listenerSet(INFRA, 'listenerset-not-allowed').conditionsAre(...LS_NOT_ALLOWED);
  });

  it('ListenerSetAllowedNamespaceSame: same namespace attaches, another namespace is NotAllowed', async () => {
    const out = await runFiles(FILES);
    const gw = out.gateway(INFRA, 'gateway-allows-listenerset-in-same-namespace');
    gw.conditionsAre(GW_ACCEPTED);
    gw.attachedListenerSets(1);
    const ls = out.listenerSet(INFRA, 'listenerset-in-same-namespace');
    ls.conditionsAre(...LS_OK);
    ls.expectListener('listenerset-in-same-namespace-listener', { conditions: LISTENER_OK, kinds: ['HTTPRoute'] });
    out
      .listenerSet('gateway-api-listenerset-not-allowed-ns', 'listenerset-in-different-namespace')
      .conditionsAre(...LS_NOT_ALLOWED);
  });

  it('ListenerSetAllowedNamespaceSelector: a labelled namespace attaches, others are NotAllowed', async () => {
    const out = await runFiles(FILES);
    const gw = out.gateway(INFRA, 'gateway-allows-listenerset-in-selected-namespace');
    gw.conditionsAre(GW_ACCEPTED);
    gw.attachedListenerSets(1);
    const ls = out.listenerSet('gateway-api-listenerset-selector-allowed-ns', 'listenerset-in-selected-namespace');
    ls.conditionsAre(...LS_OK);
    ls.expectListener('listenerset-in-selected-namespace-listener', { conditions: LISTENER_OK });
    out
      .listenerSet('gateway-api-listenerset-selector-not-allowed-ns', 'listenerset-not-in-selected-namespace')
      .conditionsAre(...LS_NOT_ALLOWED);
  });

  it('ListenerSetDefaultNotAllowed: allowedListeners unset → NotAllowed', async () => {
    const out = await runFiles(FILES);
    const gw = out.gateway(INFRA, 'gateway-default-does-not-allow-listenerset');
    gw.conditionsAre(GW_ACCEPTED);
    gw.attachedListenerSets(0);
    out.listenerSet(INFRA, 'listenerset-default-not-allowed').conditionsAre(...LS_NOT_ALLOWED);
  });

  it('ListenerSetAllowedRoutesSupportedKinds: HTTPRoute on a TLS listener → ResolvedRefs=False/InvalidRouteKinds', async () => {
    const out = await runFiles(FILES);
    out.gateway(INFRA, 'gateway-with-listener-sets-test-supported-route-kinds').conditionsAre(GW_ACCEPTED);
    const ls = out.listenerSet(INFRA, 'listenerset-test-allowed-routes-supported-kinds');
    ls.expectListener('listener-set-listener-allowed-routes-tls-only', {
      conditions: [cond('ResolvedRefs', 'False', 'InvalidRouteKinds')],
      kinds: [],
      exactKinds: true,
      attachedRoutes: 0,
    });
  });
});

describe('listener conflicts across a Gateway and its ListenerSets', () => {
  for (const [kind, reason] of [
    ['hostname', 'HostnameConflict'],
    ['protocol', 'ProtocolConflict'],
  ] as const) {
    const title = kind === 'hostname' ? 'ListenerSetHostnameConflict' : 'ListenerSetProtocolConflict';
    const gwName = `gateway-with-listenerset-${kind}-conflict`;
    const onGateway = `${kind}-conflict-with-gateway-listener`;
    const onListenerSet = `${kind}-conflict-with-listener-set-listener`;

    it(`${title}: Gateway listeners win; ListenerSets with a valid listener are accepted (2 attached)`, async () => {
      const out = await runFiles(['base.yaml', `listenerset-${kind}-conflict.yaml`]);
      const gw = out.gateway(INFRA, gwName);
      gw.conditionsAre(GW_ACCEPTED);
      gw.expectListener('gateway-listener', { conditions: LISTENER_OK });
      gw.expectListener(onGateway, { conditions: LISTENER_OK });
      gw.attachedListenerSets(2);
    });

    it(`${title}: the older ListenerSet keeps its first claim, loses the one the Gateway holds`, async () => {
      const out = await runFiles(['base.yaml', `listenerset-${kind}-conflict.yaml`]);
      const ls = out.listenerSet(INFRA, `listenerset-with-${kind}-conflict-with-gateway-1`);
      ls.conditionsAre(cond('Accepted', 'True'), cond('Programmed', 'True', 'Programmed'));
      ls.expectListener('listener-set-1-listener', { conditions: LISTENER_OK });
      ls.expectListener(onGateway, { conditions: conflicted(reason) });
      ls.expectListener(onListenerSet, { conditions: LISTENER_OK });
    });

    it(`${title}: a ListenerSet whose only listener conflicts with the Gateway → ListenersNotValid`, async () => {
      const out = await runFiles(['base.yaml', `listenerset-${kind}-conflict.yaml`]);
      const ls = out.listenerSet(INFRA, `listenerset-with-${kind}-conflict-with-gateway-2`);
      ls.conditionsAre(...LS_NO_VALID_LISTENERS);
      ls.expectListener(onGateway, { conditions: conflicted(reason) });
    });

    it(`${title}: a younger ListenerSet loses to an older one, keeps its other listener`, async () => {
      const out = await runFiles(['base.yaml', `listenerset-${kind}-conflict.yaml`]);
      const ls = out.listenerSet(INFRA, `listenerset-with-${kind}-conflict-with-listener-set-1`);
      ls.conditionsAre(cond('Accepted', 'True'), cond('Programmed', 'True', 'Programmed'));
      ls.expectListener('listener-set-2-listener', { conditions: LISTENER_OK });
      ls.expectListener(onListenerSet, { conditions: conflicted(reason) });

      const only = out.listenerSet(INFRA, `listenerset-with-${kind}-conflict-with-listener-set-2`);
      only.conditionsAre(...LS_NO_VALID_LISTENERS);
      only.expectListener(onListenerSet, { conditions: conflicted(reason) });
    });
  }
});

describe('ListenerSetReferenceGrant', () => {
  it('a grant from ListenerSet resolves its certificate; a ListenerSet the grant does not cover → RefNotPermitted', async () => {
    const out = await runFiles(['base.yaml', 'listenerset-reference-grant.yaml']);
    const gw = out.gateway(INFRA, 'gateway-with-listener-sets-test-reference-grant');
    gw.conditionsAre(GW_ACCEPTED);
    gw.expectListener('gateway-listener', { conditions: LISTENER_OK });

    const granted = out.listenerSet(INFRA, 'listenerset-with-reference-grant');
    granted.conditionsAre(cond('Accepted', 'True'), cond('Programmed', 'True'));
    granted.expectListener('listenerset-with-reference-grant-listener', { conditions: [cond('ResolvedRefs', 'True', 'ResolvedRefs')] });

    const denied = out.listenerSet('gateway-api-listener-sets-test-reference-grant-ns', 'listenerset-without-reference-grant');
    denied.conditionsAre(...LS_NO_VALID_LISTENERS);
    denied.expectListener('listenerset-without-reference-grant-listener', {
      conditions: [cond('ResolvedRefs', 'False', 'RefNotPermitted')],
    });
  });
});

describe('routes and ListenerSets', () => {
  it('ListenerSetHTTPRouting: Gateway parentRefs reach Gateway listeners, ListenerSet parentRefs their own', async () => {
    const out = await runFiles(['base.yaml', 'listenerset-http-routing.yaml']);
    const gw = out.gateway(INFRA, 'gateway-with-listener-sets-http-routing');
    gw.conditionsAre(GW_ACCEPTED);
    gw.attachedListenerSets(2);
    // gateway-listener-1: attaches-to-all-listeners, gateway-route, gateway-section-route
    gw.expectListener('gateway-listener-1', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 3 });
    // gateway-listener-2: attaches-to-all-listeners, gateway-route
    gw.expectListener('gateway-listener-2', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 2 });

    const ls1 = out.listenerSet(INFRA, 'listener-set-http-routing-1');
    ls1.conditionsAre(...LS_OK);
    ls1.expectListener('listener-set-http-routing-1-listener-1', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 3 });
    ls1.expectListener('listener-set-http-routing-1-listener-2', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 2 });
    const ls2 = out.listenerSet(INFRA, 'listener-set-http-routing-2');
    ls2.conditionsAre(...LS_OK);
    ls2.expectListener('listener-set-http-routing-2-listener-1', { conditions: LISTENER_OK, attachedRoutes: 2 });
    ls2.expectListener('listener-set-http-routing-2-listener-2', { conditions: LISTENER_OK, attachedRoutes: 2 });

    const all = out.httpRoute(INFRA, 'attaches-to-all-listeners');
    all.ourParentsAre(0, 1, 2);
    for (const i of [0, 1, 2]) all.parent(i).acceptedAndResolved();
    for (const name of [
      'gateway-route',
      'gateway-section-route',
      'listener-set-http-routing-1-route',
      'listener-set-http-routing-1-section-route',
      'listener-set-http-routing-2-route',
    ]) {
      const route = out.httpRoute(INFRA, name);
      route.ourParentsAre(0);
      route.parent(0).acceptedAndResolved();
    }
  });

  it('ListenerSetAllowedRoutesNamespaces: allowedRoutes of ListenerSet listeners, "Same" = the ListenerSet namespace', async () => {
    const out = await runFiles(['base.yaml', 'listenerset-allowed-routes-namespaces.yaml']);
    const gw = out.gateway(INFRA, 'gateway-with-listener-sets-test-allowed-routes');
    gw.conditionsAre(GW_ACCEPTED);
    gw.attachedListenerSets(2);

    const ls = out.listenerSet(INFRA, 'listenerset-test-allowed-routes-namespaces');
    ls.conditionsAre(...LS_OK);
    ls.expectListener('listener-set-listener-allowed-routes-all', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 3 });
    ls.expectListener('listener-set-listener-allowed-routes-same', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 1 });
    ls.expectListener('listener-set-listener-allowed-routes-selector', {
      conditions: LISTENER_OK,
      kinds: ['HTTPRoute'],
      attachedRoutes: 1,
    });
    for (const [ns, name] of [
      [INFRA, 'route-in-same-namespace'],
      ['gateway-api-routes-allowed-ns', 'route-in-selected-namespace'],
      ['gateway-api-routes-not-allowed-ns', 'route-not-in-selected-namespace'],
    ] as const) {
      const route = out.httpRoute(ns, name);
      route.ourParentsAre(0);
      route.parent(0).acceptedAndResolved();
    }

    const cross = out.listenerSet('gateway-api-ls-cross-ns', 'listenerset-test-allowed-routes-cross-ns');
    cross.conditionsAre(...LS_OK);
    cross.expectListener('listener-set-listener-allowed-routes-cross-ns-same', {
      conditions: LISTENER_OK,
      kinds: ['HTTPRoute'],
      attachedRoutes: 1,
    });
    out.httpRoute('gateway-api-ls-cross-ns', 'route-in-listenerset-namespace').parent(0).acceptedAndResolved();
    const outsider = out.httpRoute(INFRA, 'route-in-gateway-namespace');
    outsider.ourParentsAre(0);
    outsider.parent(0).condition('Accepted', 'False', 'NotAllowedByListeners');
  });

  it('ListenerSetGatewayParentSectionNameNotFound: a Gateway parentRef cannot name a ListenerSet listener', async () => {
    const out = await runFiles(['base.yaml', 'listenerset-parent-refs.yaml']);
    const gw = out.gateway(INFRA, 'gateway-section-name');
    gw.conditionsAre(GW_ACCEPTED);
    gw.attachedListenerSets(1);
    gw.expectListener('gw-listener', { conditions: LISTENER_OK, attachedRoutes: 0 });
    const ls = out.listenerSet(INFRA, 'listenerset-section-name');
    ls.conditionsAre(...LS_OK);
    ls.expectListener('ls-only-listener', { conditions: LISTENER_OK, attachedRoutes: 1 });

    out.httpRoute(INFRA, 'route-via-listenerset').parent(0).acceptedAndResolved();
    const viaGateway = out.httpRoute(INFRA, 'route-via-gateway');
    viaGateway.ourParentsAre(0);
    viaGateway.parent(0).condition('Accepted', 'False', 'NoMatchingParent');
  });

  it('ListenerSetDualParentRefIndependence: each parentRef of a route is judged on its own', async () => {
    const out = await runFiles(['base.yaml', 'listenerset-parent-refs.yaml']);
    const gw = out.gateway(INFRA, 'gateway-dual-parentref');
    gw.conditionsAre(GW_ACCEPTED);
    gw.attachedListenerSets(1);
    const ls = out.listenerSet(INFRA, 'ls-dual-parentref');
    ls.expectListener('ls-dual-parentref-listener', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 2 });

    const both = out.httpRoute(INFRA, 'route-dual-parentref-both');
    both.ourParentsAre(0, 1);
    both.parent(0).acceptedAndResolved();
    both.parent(1).acceptedAndResolved();

    const one = out.httpRoute(INFRA, 'route-dual-parentref-one');
    one.ourParentsAre(0, 1);
    one.parent(0).condition('Accepted', 'False', 'NoMatchingParent');
    one.parent(1).acceptedAndResolved();
  });

  it('ListenerSetRouteStatusScopedToParentRef: status.parents holds entries for the declared parentRefs only', async () => {
    const out = await runFiles(['base.yaml', 'listenerset-parent-refs.yaml']);
    const gw = out.gateway(INFRA, 'gateway-parentref');
    gw.conditionsAre(GW_ACCEPTED);
    gw.attachedListenerSets(1);
    gw.expectListener('gw-parentref-listener', { conditions: LISTENER_OK, attachedRoutes: 1 });
    const ls = out.listenerSet(INFRA, 'listenerset-parentref');
    ls.expectListener('listenerset-parentref-listener', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 1 });

    const gwOnly = out.httpRoute(INFRA, 'route-parentref-gwonly');
    gwOnly.ourParentsAre(0);
    gwOnly.parent(0).acceptedAndResolved();
    const lsOnly = out.httpRoute(INFRA, 'route-parentref-lsonly');
    lsOnly.ourParentsAre(0);
    lsOnly.parent(0).acceptedAndResolved();
  });
});

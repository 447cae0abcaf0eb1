/**
 * TLSRoute status (status parts only; the TLS traffic checks are for the data-plane suite).
 * Upstream: TLSRouteInvalidReferenceGrant, TLSRouteInvalidNoMatchingListener,
 * TLSRouteInvalidNoMatchingListenerHostname, TLSRouteInvalidBackendRefNonexistent,
 * TLSRouteInvalidBackendRefUnknownKind, TLSRouteListenerPassthroughSupportedKinds,
 * TLSRouteListenerTerminateSupportedKinds / TLSRouteListenerTerminateNotSupported,
 * TLSRouteListenerMixedTerminationNotSupported, TLSRouteHostnameIntersection.
 */
import { describe, it } from 'node:test';

import { GATEWAY_OK, INFRA, LISTENER_OK, cond, runFiles, supportedFeatures } from './helpers.js';

const FILES = ['base.yaml', 'tlsroute.yaml'];
const ACCEPTED = cond('Accepted', 'True', 'Accepted');

describe('TLSRoute parentRefs that do not attach', () => {
  it('TLSRouteInvalidNoMatchingListener: HTTP-only Gateway → NotAllowedByListeners', async () => {
    const out = await runFiles(FILES);
    const route = out.route('TLSRoute', INFRA, 'tlsroute-not-allowed-protocol-http');
    route.ourParentsAre(0);
    route.parent(0).condition('Accepted', 'False', 'NotAllowedByListeners');
    route.noAcceptedParents();
    out.gateway(INFRA, 'gateway-tlsroute-http-only').zeroRoutes();
  });

  it('TLSRouteInvalidNoMatchingListener: HTTPS-only Gateway → NotAllowedByListeners', async () => {
    const out = await runFiles(FILES);
    const route = out.route('TLSRoute', INFRA, 'tlsroute-not-allowed-protocol-https');
    route.ourParentsAre(0);
    route.parent(0).condition('Accepted', 'False', 'NotAllowedByListeners');
    route.noAcceptedParents();
    out.gateway(INFRA, 'gateway-tlsroute-https-only').zeroRoutes();
  });

  it('TLSRouteInvalidNoMatchingListener: unknown sectionName → NoMatchingParent', async () => {
    const out = await runFiles(FILES);
    const route = out.route('TLSRoute', INFRA, 'tlsroute-no-matching-section-name');
    route.ourParentsAre(0);
    route.parent(0).condition('Accepted', 'False', 'NoMatchingParent');
    route.noAcceptedParents();
    out.gateway(INFRA, 'gateway-tlsroute-tls-passthrough-only').zeroRoutes();
  });

  for (const [route, gateway] of [
    ['tlsroute-hostname-mismatch-1', 'gateway-tls-exact-hostname'],
    ['tlsroute-hostname-mismatch-2', 'gateway-tls-wildcard-hostname'],
  ] as const) {
    it(`TLSRouteInvalidNoMatchingListenerHostname: ${route} → NoMatchingListenerHostname`, async () => {
      const out = await runFiles(FILES);
      const r = out.route('TLSRoute', INFRA, route);
      r.ourParentsAre(0);
      r.parent(0).condition('Accepted', 'False', 'NoMatchingListenerHostname');
      r.noAcceptedParents();
      out.gateway(INFRA, gateway).zeroRoutes();
    });
  }
});

describe('TLSRoute backendRefs', () => {
  it('TLSRouteInvalidReferenceGrant: cross-namespace backend without a matching grant → RefNotPermitted', async () => {
    const out = await runFiles(FILES);
    const route = out.route('TLSRoute', INFRA, 'gateway-conformance-infra-test');
    route.ourParentsAre(0);
    route.parent(0).conditionsAre(ACCEPTED, cond('ResolvedRefs', 'False', 'RefNotPermitted'));
    const gw = out.gateway(INFRA, 'gateway-tlsroute-referencegrant');
    gw.conditionsAre(...GATEWAY_OK);
    gw.expectListener('https', { conditions: LISTENER_OK, kinds: ['TLSRoute'], exactKinds: true, attachedRoutes: 1 });
  });

  it('TLSRouteInvalidBackendRefNonexistent → Accepted, ResolvedRefs=False/BackendNotFound', async () => {
    const out = await runFiles(FILES);
    const route = out.route('TLSRoute', INFRA, 'invalid-backend-ref-nonexistent');
    route.parent(0).conditionsAre(ACCEPTED, cond('ResolvedRefs', 'False', 'BackendNotFound'));
  });

  it('TLSRouteInvalidBackendRefUnknownKind → Accepted, ResolvedRefs=False/InvalidKind', async () => {
    const out = await runFiles(FILES);
    const route = out.route('TLSRoute', INFRA, 'invalid-backend-ref-unknown-kind');
    route.parent(0).conditionsAre(ACCEPTED, cond('ResolvedRefs', 'False', 'InvalidKind'));
    out.gateway(INFRA, 'gateway-tlsroute-invalid-backend-ref').expectListener('tls', { attachedRoutes: 2 });
  });
});

describe('TLS listeners', () => {
  it('TLSRouteListenerPassthroughSupportedKinds: TCPRoute beside TLSRoute → InvalidRouteKinds, supportedKinds = [TLSRoute]', async () => {
    const out = await runFiles(FILES);
    const gw = out.gateway(INFRA, 'gateway-tlsroute-passthrough-supported-kind');
    gw.expectListener('tls-passthrough', {
      conditions: [cond('ResolvedRefs', 'False', 'InvalidRouteKinds')],
      kinds: ['TLSRoute'],
      exactKinds: true,
      attachedRoutes: 0,
    });
  });

  it('a passthrough listener without kinds supports exactly TLSRoute', async () => {
    const out = await runFiles(FILES);
    out
      .gateway(INFRA, 'gateway-tlsroute-tls-passthrough-only')
      .expectListener('tls-passthrough', { conditions: LISTENER_OK, kinds: ['TLSRoute'], exactKinds: true });
  });

  // Upstream runs these only for implementations that claim TLSRoute; the expected status then
  // depends on whether they also claim TLSRouteModeTerminate / TLSRouteModeMixed.
  it('TLSRouteListenerTerminate(Not)Supported: status matches the TLSRouteModeTerminate feature claim', async (t) => {
    const out = await runFiles(FILES);
    const features = supportedFeatures(out);
    if (!features.includes('TLSRoute')) {
      t.skip('TLSRoute is not in supportedFeatures');
      return;
    }
    const gw = out.gateway(INFRA, 'gateway-tlsroute-terminate');
    if (features.includes('TLSRouteModeTerminate')) {
      gw.expectListener('tls-terminate', {
        conditions: [cond('Accepted', 'True', 'Accepted')],
        kinds: ['TLSRoute'],
        exactKinds: true,
        attachedRoutes: 0,
      });
    } else {
      gw.expectListener('tls-terminate', { conditions: [cond('Accepted', 'False', 'UnsupportedValue')], attachedRoutes: 0 });
    }
  });

  it('TLSRouteListenerMixedTerminationNotSupported: both modes on one port without TLSRouteModeMixed → ProtocolConflict', async (t) => {
    const out = await runFiles(FILES);
    const features = supportedFeatures(out);
    const gw = out.gateway(INFRA, 'gateway-tlsroute-mixed-termination');
    if (!features.includes('TLSRoute')) {
      t.skip('TLSRoute is not in supportedFeatures');
    } else if (features.includes('TLSRouteModeMixed')) {
      gw.expectListener('tls-terminate', { conditions: [cond('Accepted', 'True', 'Accepted')] });
      gw.expectListener('tls-passthrough', { conditions: [cond('Accepted', 'True', 'Accepted')] });
    } else if (features.includes('TLSRouteModeTerminate')) {
      gw.expectListener('tls-terminate', { conditions: [cond('Accepted', 'False', 'ProtocolConflict')], attachedRoutes: 0 });
      gw.expectListener('tls-passthrough', { conditions: [cond('Accepted', 'False', 'ProtocolConflict')], attachedRoutes: 0 });
    } else {
      t.skip('needs TLSRouteModeTerminate (upstream runs it only then)');
    }
  });
});

describe('TLSRouteHostnameIntersection', () => {
  const cases: [string, string, string[]][] = [
    ['exact listener hostname', 'gw-tlsroute-exact-hostname-x-1', ['tlsroute-more-specific-wc-hostname-x-1']],
    [
      'more specific wildcard listener hostname',
      'gw-tlsroute-more-specific-wc-hostname-x-2',
      ['tlsroute-exact-hostname-x-2', 'tlsroute-less-specific-wc-hostname-x-2'],
    ],
    [
      'less specific wildcard listener hostname',
      'gw-tlsroute-less-specific-wc-hostname-x-3',
      ['tlsroute-exact-hostname-x-3', 'tlsroute-more-specific-wc-hostname-x-3'],
    ],
    ['empty listener hostname', 'gw-tlsroute-empty-hostname-x-4', ['tlsroute-exact-hostname-x-4', 'tlsroute-less-specific-wc-hostname-x-4']],
  ];
  for (const [what, gateway, routes] of cases) {
    it(`${what}: routes Accepted and resolved, listener counts them`, async () => {
      const out = await runFiles(['base.yaml', 'tlsroute-hostname-intersection.yaml']);
      const gw = out.gateway(INFRA, gateway);
      gw.conditionsAre(...GATEWAY_OK);
      const [listener] = gw.listenerNames();
      gw.expectListener(listener ?? '', { conditions: LISTENER_OK, kinds: ['TLSRoute'], exactKinds: true, attachedRoutes: routes.length });
      for (const name of routes) {
        const route = out.route('TLSRoute', INFRA, name);
        route.ourParentsAre(0);
        route.parent(0).acceptedAndResolved();
      }
    });
  }
});

/**
 * GatewayClass status, and what Portico must leave alone: classes, Gateways and route parent
 * entries that belong to another controller.
 * Upstream: GatewayClassObservedGenerationBump (+ the suite's GatewayClass Accepted precondition).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CLASS,
  CONTROLLER,
  GATEWAY_OK,
  INFRA,
  LATER,
  NOW,
  OTHER_CONTROLLER,
  find,
  load,
  rerun,
  run,
  runFiles,
  supportedFeatures,
} from './helpers.js';

/** Every feature name defined by Gateway API v1.6 (pkg/features). */
const KNOWN_FEATURES = new Set([
  'BackendTLSPolicy',
  'BackendTLSPolicySANValidation',
  'GRPCRoute',
  'GRPCRouteNamedRouteRule',
  'Gateway',
  'GatewayAddressEmpty',
  'GatewayBackendClientCertificate',
  'GatewayFrontendClientCertificateValidation',
  'GatewayFrontendClientCertificateValidationInsecureFallback',
  'GatewayHTTPListenerIsolation',
  'GatewayHTTPSListenerDetectMisdirectedRequests',
  'GatewayInfrastructurePropagation',
  'GatewayPort8080',
  'GatewayStaticAddresses',
  'HTTPRoute',
  'HTTPRoute303RedirectStatusCode',
  'HTTPRoute307RedirectStatusCode',
  'HTTPRoute308RedirectStatusCode',
  'HTTPRouteBackendProtocolH2C',
  'HTTPRouteBackendProtocolWebSocket',
  'HTTPRouteBackendRequestHeaderModification',
  'HTTPRouteBackendTimeout',
  'HTTPRouteCORS',
  'HTTPRouteDestinationPortMatching',
  'HTTPRouteHostRewrite',
  'HTTPRouteMethodMatching',
  'HTTPRouteNamedRouteRule',
  'HTTPRouteParentRefPort',
  'HTTPRoutePathRedirect',
  'HTTPRoutePathRewrite',
  'HTTPRoutePortRedirect',
  'HTTPRouteQueryParamMatching',
  'HTTPRouteRequestMirror',
  'HTTPRouteRequestMultipleMirrors',
  'HTTPRouteRequestPercentageMirror',
  'HTTPRouteRequestTimeout',
  'HTTPRouteResponseHeaderModification',
  'HTTPRouteRetry',
  'HTTPRouteRetryBackendTimeout',
  'HTTPRouteRetryConnectionError',
  'HTTPRouteSchemeRedirect',
  'ListenerSet',
  'Mesh',
  'MeshClusterIPMatching',
  'MeshConsumerRoute',
  'MeshHTTPRouteBackendRequestHeaderModification',
  'MeshHTTPRouteNamedRouteRule',
  'MeshHTTPRouteQueryParamMatching',
  'MeshHTTPRouteRedirectPath',
  'MeshHTTPRouteRedirectPort',
  'MeshHTTPRouteRewritePath',
  'MeshHTTPRouteSchemeRedirect',
  'ReferenceGrant',
  'TCPRoute',
  'TLSRoute',
  'TLSRouteModeMixed',
  'TLSRouteModeTerminate',
  'UDPRoute',
]);

describe('GatewayClass status', () => {
  it('our GatewayClass is Accepted=True/Accepted at its generation', async () => {
    const out = await runFiles(['base.yaml']);
    const gc = out.gatewayClass(CLASS);
    gc.condition('Accepted', 'True', 'Accepted');
  });

  it('status.supportedFeatures is present, sorted by name, unique, and names only v1.6 features', async () => {
    const out = await runFiles(['base.yaml']);
    const names = supportedFeatures(out);
    const gc = out.gatewayClass(CLASS);
    assert.ok(names.length > 0, `supportedFeatures must not be empty\n${gc.whole()}`);
    assert.ok(names.length <= 64, `at most 64 supportedFeatures\n${gc.whole()}`);
    assert.deepEqual(names, [...names].sort(), `supportedFeatures must be sorted by name\n${gc.whole()}`);
    assert.equal(new Set(names).size, names.length, `supportedFeatures must be unique\n${gc.whole()}`);
    for (const n of names) assert.ok(KNOWN_FEATURES.has(n), `unknown feature name ${n}\n${gc.whole()}`);
    for (const core of ['Gateway', 'HTTPRoute', 'ReferenceGrant']) {
      assert.ok(names.includes(core), `supportedFeatures must include the core feature ${core}\n${gc.whole()}`);
    }
    assert.ok(!names.some((n) => n.startsWith('Mesh')), `Portico is not a mesh\n${gc.whole()}`);
  });

  it('every GatewayClass naming our controller gets status', async () => {
    const out = await runFiles(['base.yaml', 'gatewayclass.yaml']);
    out.gatewayClass('gatewayclass-observed-generation-bump').condition('Accepted', 'True', 'Accepted');
  });

  // Upstream GatewayClassObservedGenerationBump.
  it('GatewayClassObservedGenerationBump: observedGeneration follows a spec change', async () => {
    const objects = load('base.yaml', 'gatewayclass.yaml');
    const first = await run(objects);
    const before = first.gatewayClass('gatewayclass-observed-generation-bump');
    before.condition('Accepted', 'True', 'Accepted');

    const gc = find(objects, 'GatewayClass', undefined, 'gatewayclass-observed-generation-bump');
    (gc.spec as { description: string }).description = 'new';
    gc.metadata.generation = 2;
    const second = await rerun(first, objects);
    const after = second.gatewayClass('gatewayclass-observed-generation-bump'); // checks observedGeneration 2
    const accepted = after.condition('Accepted', 'True', 'Accepted');
    assert.equal(accepted.lastTransitionTime, NOW, `Accepted did not change status: lastTransitionTime stays\n${after.whole()}`);
  });
});

describe('objects of another controller are left alone', () => {
  it('a GatewayClass with another controllerName gets no status', async () => {
    const out = await runFiles(['base.yaml', 'gatewayclass.yaml']);
    assert.equal(out.hasStatus('GatewayClass', undefined, 'other'), false, 'status for GatewayClass/other');
  });

  it('a Gateway of that class gets no status and no address from our pool', async () => {
    const out = await runFiles(['base.yaml', 'gatewayclass.yaml']);
    assert.equal(out.hasStatus('Gateway', INFRA, 'other-gateway'), false, 'status for the other Gateway');
    assert.equal(out.address(INFRA, 'other-gateway'), undefined, 'address for the other Gateway');
  });

  it('a route attached only to that Gateway is not touched', async () => {
    const out = await runFiles(['base.yaml', 'gatewayclass.yaml']);
    const input = out.object('HTTPRoute', INFRA, 'only-other');
    if (out.hasStatus('HTTPRoute', INFRA, 'only-other')) {
      assert.deepEqual(
        out.rawStatus('HTTPRoute', INFRA, 'only-other'),
        input.status,
        'a route we do not own may only get its existing status back, unchanged',
      );
    }
  });

  it('a route attached to both classes: one entry of ours, the other controller entry kept verbatim', async () => {
    const out = await runFiles(['base.yaml', 'gatewayclass.yaml']);
    const route = out.httpRoute(INFRA, 'both-classes');
    route.ourParentsAre(0);
    route.parent(0).acceptedAndResolved();

    const theirs = route.parents.filter((p) => p.controllerName !== CONTROLLER);
    const inputParents = (route.object.status as { parents: unknown[] }).parents;
    assert.deepEqual(theirs, inputParents, `entries of ${OTHER_CONTROLLER} must be kept as they were\n${route.whole()}`);

    out.gateway(INFRA, 'same-namespace').conditionsAre(...GATEWAY_OK);
    out.gateway(INFRA, 'same-namespace').expectListener('http', { attachedRoutes: 1 });
  });

  it('our status of a shared route survives the next translation unchanged', async () => {
    const objects = load('base.yaml', 'gatewayclass.yaml');
    const first = await run(objects);
    const second = await rerun(first, objects, LATER);
    const route = second.httpRoute(INFRA, 'both-classes');
    const accepted = route.parent(0).condition('Accepted', 'True', 'Accepted');
    assert.equal(accepted.lastTransitionTime, NOW, `nothing changed: lastTransitionTime stays\n${route.whole()}`);
  });
});

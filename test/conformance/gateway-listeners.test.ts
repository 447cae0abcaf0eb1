/**
 * Gateway and listener status.
 * Upstream: GatewayInvalidRouteKind, GatewayInvalidTLSConfiguration, GatewayListenerUnsupportedProtocol,
 * GatewayInvalidParametersRef, GatewayWithAttachedRoutes, GatewayWithAttachedRoutesWithPort8080,
 * GatewayModifyListeners, GatewayObservedGenerationBump.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  GATEWAY_OK,
  INFRA,
  KINDS_FOR_PROTOCOL,
  LATER,
  LISTENER_OK,
  NOW,
  cond,
  find,
  load,
  rerun,
  run,
  runFiles,
} from './helpers.js';

interface ListenerSpec {
  name: string;
  [field: string]: unknown;
}
const listenersOf = (spec: unknown): ListenerSpec[] => (spec as { listeners: ListenerSpec[] }).listeners;

describe('base Gateways', () => {
  it('same-namespace, all-namespaces, backend-namespaces are Accepted and Programmed, listener "http" fine', async () => {
    const out = await runFiles(['base.yaml']);
    for (const name of ['same-namespace', 'all-namespaces', 'backend-namespaces']) {
      const gw = out.gateway(INFRA, name);
      gw.conditionsAre(...GATEWAY_OK);
      gw.listenersAre('http');
      gw.expectListener('http', {
        conditions: [...LISTENER_OK, cond('Conflicted', 'False', 'NoConflicts')],
        attachedRoutes: 0,
        kinds: ['HTTPRoute'],
        notKinds: ['TLSRoute', 'TCPRoute', 'UDPRoute'],
      });
      for (const k of gw.supportedKinds('http')) {
        assert.ok(KINDS_FOR_PROTOCOL.HTTP?.includes(k), `${gw.key}: ${k} cannot be served by an HTTP listener\n${gw.whole()}`);
      }
    }
  });
});

describe('GatewayInvalidRouteKind', () => {
  it('only an unknown kind: ResolvedRefs=False/InvalidRouteKinds and empty supportedKinds', async () => {
    const out = await runFiles(['base.yaml', 'gateway-invalid-route-kind.yaml']);
    const gw = out.gateway(INFRA, 'gateway-only-invalid-route-kind');
    gw.listenersAre('http');
    gw.expectListener('http', {
      conditions: [cond('ResolvedRefs', 'False', 'InvalidRouteKinds')],
      kinds: [],
      exactKinds: true,
      attachedRoutes: 0,
    });
  });

  it('an unknown kind beside HTTPRoute: ResolvedRefs=False/InvalidRouteKinds, supportedKinds = [HTTPRoute]', async () => {
    const out = await runFiles(['base.yaml', 'gateway-invalid-route-kind.yaml']);
    const gw = out.gateway(INFRA, 'gateway-supported-and-invalid-route-kind');
    gw.expectListener('http', {
      conditions: [cond('ResolvedRefs', 'False', 'InvalidRouteKinds')],
      kinds: ['HTTPRoute'],
      exactKinds: true,
      attachedRoutes: 0,
    });
  });
});

describe('GatewayInvalidTLSConfiguration', () => {
  const cases: [string, string][] = [
    ['nonexistent Secret', 'gateway-certificate-nonexistent-secret'],
    ['unsupported group', 'gateway-certificate-unsupported-group'],
    ['unsupported kind', 'gateway-certificate-unsupported-kind'],
    ['malformed Secret', 'gateway-certificate-malformed-secret'],
  ];
  for (const [what, name] of cases) {
    it(`${what}: listener ResolvedRefs=False/InvalidCertificateRef, Programmed=False/Invalid`, async () => {
      const out = await runFiles(['base.yaml', 'gateway-invalid-tls-configuration.yaml']);
      const gw = out.gateway(INFRA, name);
      gw.listenersAre('https');
      gw.expectListener('https', {
        conditions: [cond('ResolvedRefs', 'False', 'InvalidCertificateRef'), cond('Programmed', 'False', 'Invalid')],
        kinds: ['HTTPRoute'],
        attachedRoutes: 0,
      });
    });
  }
});

describe('GatewayListenerUnsupportedProtocol', () => {
  it('no valid listener: Gateway Accepted=False/ListenersNotValid, listener Accepted=False/UnsupportedProtocol', async () => {
    const out = await runFiles(['base.yaml', 'gateway-invalid-listeners.yaml']);
    const gw = out.gateway(INFRA, 'gateway-only-unsupported-protocols');
    gw.condition('Accepted', 'False', 'ListenersNotValid');
    gw.expectListener('invalid', {
      conditions: [cond('Accepted', 'False', 'UnsupportedProtocol')],
      kinds: [],
      exactKinds: true,
      attachedRoutes: 0,
    });
  });

  it('one valid listener: Gateway Accepted=True/ListenersNotValid, each listener judged on its own', async () => {
    const out = await runFiles(['base.yaml', 'gateway-invalid-listeners.yaml']);
    const gw = out.gateway(INFRA, 'gateway-supported-and-unsupported-protocols');
    gw.condition('Accepted', 'True', 'ListenersNotValid');
    gw.listenersAre('http', 'invalid');
    gw.expectListener('http', { conditions: [cond('Accepted', 'True', 'Accepted')], kinds: ['HTTPRoute'], attachedRoutes: 0 });
    gw.expectListener('invalid', {
      conditions: [cond('Accepted', 'False', 'UnsupportedProtocol')],
      kinds: [],
      exactKinds: true,
      attachedRoutes: 0,
    });
  });
});

describe('GatewayInvalidParametersRef', () => {
  it('infrastructure.parametersRef to nothing: Accepted=False/InvalidParameters', async () => {
    const out = await runFiles(['base.yaml', 'gateway-invalid-listeners.yaml']);
    out.gateway(INFRA, 'gateway-invalid-parameters-ref').condition('Accepted', 'False', 'InvalidParameters');
  });
});

describe('GatewayWithAttachedRoutes', () => {
  it('one route attached through a namespace selector', async () => {
    const out = await runFiles(['base.yaml', 'gateway-with-attached-routes.yaml']);
    const gw = out.gateway(INFRA, 'gateway-with-one-attached-route');
    gw.conditionsAre(...GATEWAY_OK);
    gw.expectListener('http', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], exactKinds: true, attachedRoutes: 1 });
    out.httpRoute(INFRA, 'http-route-1').parent(0).acceptedAndResolved();
  });

  it('two routes attached; a route whose hostname misses the listener is not counted (NoMatchingListenerHostname)', async () => {
    const out = await runFiles(['base.yaml', 'gateway-with-attached-routes.yaml']);
    const gw = out.gateway(INFRA, 'gateway-with-two-attached-routes');
    gw.expectListener('http', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], exactKinds: true, attachedRoutes: 2 });
    out.httpRoute(INFRA, 'http-route-2').parent(0).acceptedAndResolved();
    out.httpRoute(INFRA, 'http-route-3').parent(0).acceptedAndResolved();
    const notAccepted = out.httpRoute(INFRA, 'http-route-not-accepted');
    notAccepted.ourParentsAre(0);
    notAccepted.parent(0).condition('Accepted', 'False', 'NoMatchingListenerHostname');
  });

  it('unresolved refs on both sides: the route still attaches and is counted', async () => {
    const out = await runFiles(['base.yaml', 'gateway-with-attached-routes.yaml']);
    const gw = out.gateway(INFRA, 'unresolved-gateway-with-one-attached-unresolved-route');
    gw.expectListener('tls', {
      conditions: [cond('ResolvedRefs', 'False', 'InvalidCertificateRef'), cond('Programmed', 'False', 'Invalid')],
      kinds: ['HTTPRoute'],
      exactKinds: true,
      attachedRoutes: 1,
    });
    const parent = out.httpRoute(INFRA, 'http-route-4').parent(0);
    parent.conditionsAre(cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'False', 'BackendNotFound'));
  });

  it('GatewayWithAttachedRoutesWithPort8080: sectionName picks one of two listeners', async () => {
    const out = await runFiles(['base.yaml', 'gateway-with-attached-routes.yaml']);
    const gw = out.gateway(INFRA, 'gateway-with-two-listeners-and-one-attached-route');
    gw.conditionsAre(...GATEWAY_OK);
    gw.listenersAre('http-unattached', 'http');
    gw.expectListener('http-unattached', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 0 });
    gw.expectListener('http', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 1 });
    out.httpRoute(INFRA, 'http-route-4-port-8080').parent(0).acceptedAndResolved();
  });
});

describe('GatewayModifyListeners', () => {
  it('adding a listener: both listeners report status, the route attaches to each', async () => {
    const objects = load('base.yaml', 'gateway-modify-listeners.yaml');
    const first = await run(objects);
    const before = first.gateway(INFRA, 'gateway-add-listener');
    before.conditionsAre(...GATEWAY_OK);
    before.listenersAre('https');
    before.expectListener('https', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 1 });

    const gw = find(objects, 'Gateway', INFRA, 'gateway-add-listener');
    listenersOf(gw.spec).push({
      name: 'http',
      protocol: 'HTTP',
      port: 80,
      hostname: 'data.test.com',
      allowedRoutes: { namespaces: { from: 'All' } },
    });
    gw.metadata.generation = 2;
    const second = await rerun(first, objects);
    const after = second.gateway(INFRA, 'gateway-add-listener'); // every observedGeneration = 2
    after.conditionsAre(...GATEWAY_OK);
    after.listenersAre('https', 'http');
    after.expectListener('https', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 1 });
    after.expectListener('http', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 1 });
    const added = after.listenerCondition('http', 'Accepted', 'True', 'Accepted');
    assert.equal(added.lastTransitionTime, LATER, `a new listener's conditions are new\n${after.whole()}`);
  });

  it('removing a listener: its status goes away, the remaining one keeps the route', async () => {
    const objects = load('base.yaml', 'gateway-modify-listeners.yaml');
    const first = await run(objects);
    const before = first.gateway(INFRA, 'gateway-remove-listener');
    before.listenersAre('https', 'http');
    before.expectListener('https', { conditions: LISTENER_OK, attachedRoutes: 1 });
    before.expectListener('http', { conditions: LISTENER_OK, attachedRoutes: 1 });

    const gw = find(objects, 'Gateway', INFRA, 'gateway-remove-listener');
    const spec = gw.spec as { listeners: ListenerSpec[] };
    spec.listeners = spec.listeners.filter((l) => l.name === 'http');
    gw.metadata.generation = 2;
    const second = await rerun(first, objects);
    const after = second.gateway(INFRA, 'gateway-remove-listener');
    after.conditionsAre(...GATEWAY_OK);
    after.listenersAre('http');
    after.expectListener('http', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 1 });
    second.httpRoute(INFRA, 'http-route-2').parent(0).acceptedAndResolved();
  });
});

describe('GatewayObservedGenerationBump', () => {
  it('every condition, Gateway and listener, moves to the new generation; unchanged ones keep lastTransitionTime', async () => {
    const objects = load('base.yaml', 'gateway-modify-listeners.yaml');
    const first = await run(objects);
    first.gateway(INFRA, 'gateway-observed-generation-bump').conditionsAre(...GATEWAY_OK);

    const gw = find(objects, 'Gateway', INFRA, 'gateway-observed-generation-bump');
    listenersOf(gw.spec).push({
      name: 'alternate',
      protocol: 'HTTP',
      port: 80,
      hostname: 'foo.com',
      allowedRoutes: { namespaces: { from: 'All' } },
    });
    gw.metadata.generation = 2;
    const second = await rerun(first, objects);
    const after = second.gateway(INFRA, 'gateway-observed-generation-bump'); // checks observedGeneration = 2 everywhere
    after.conditionsAre(...GATEWAY_OK);
    after.listenersAre('http', 'alternate');
    after.expectListener('alternate', { conditions: LISTENER_OK, attachedRoutes: 0 });
    for (const c of after.conditions) {
      assert.equal(c.lastTransitionTime, NOW, `${String(c.type)} kept its status: lastTransitionTime stays\n${after.whole()}`);
    }
    const kept = after.listenerCondition('http', 'Accepted', 'True', 'Accepted');
    assert.equal(kept.lastTransitionTime, NOW, `listener http did not change: lastTransitionTime stays\n${after.whole()}`);
  });
});

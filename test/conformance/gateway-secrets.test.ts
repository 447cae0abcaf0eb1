/**
 * Cross-namespace certificateRefs and ReferenceGrant.
 * Upstream: GatewaySecretMissingReferenceGrant, GatewaySecretInvalidReferenceGrant,
 * GatewaySecretReferenceGrantAllInNamespace, GatewaySecretReferenceGrantSpecific.
 */
import { describe, it } from 'node:test';

import { GATEWAY_OK, INFRA, LISTENER_OK, cond, runFiles } from './helpers.js';

const refNotPermitted = [cond('ResolvedRefs', 'False', 'RefNotPermitted'), cond('Programmed', 'False', 'Invalid')];

describe('Gateway certificateRefs across namespaces', () => {
  it('GatewaySecretMissingReferenceGrant: no grant → ResolvedRefs=False/RefNotPermitted', async () => {
    const out = await runFiles(['base.yaml', 'gateway-secret-missing-reference-grant.yaml']);
    const gw = out.gateway(INFRA, 'gateway-secret-missing-reference-grant');
    gw.listenersAre('https');
    gw.expectListener('https', { conditions: refNotPermitted, kinds: ['HTTPRoute'], attachedRoutes: 0 });
  });

  it('GatewaySecretInvalidReferenceGrant: grants that miss in one way each → ResolvedRefs=False/RefNotPermitted', async () => {
    const out = await runFiles(['base.yaml', 'gateway-secret-invalid-reference-grant.yaml']);
    const gw = out.gateway(INFRA, 'gateway-secret-invalid-reference-grant');
    gw.expectListener('https', { conditions: refNotPermitted, kinds: ['HTTPRoute'], attachedRoutes: 0 });
  });

  it('GatewaySecretReferenceGrantAllInNamespace: a grant without name → listener resolved and programmed', async () => {
    const out = await runFiles(['base.yaml', 'gateway-secret-reference-grant-all-in-namespace.yaml']);
    const gw = out.gateway(INFRA, 'gateway-secret-reference-grant-all-in-namespace');
    gw.conditionsAre(...GATEWAY_OK);
    gw.expectListener('https', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 0 });
  });

  it('GatewaySecretReferenceGrantSpecific: a grant naming the Secret → listener resolved and programmed', async () => {
    const out = await runFiles(['base.yaml', 'gateway-secret-reference-grant-specific.yaml']);
    const gw = out.gateway(INFRA, 'gateway-secret-reference-grant-specific');
    gw.conditionsAre(...GATEWAY_OK);
    gw.expectListener('https', { conditions: LISTENER_OK, kinds: ['HTTPRoute'], attachedRoutes: 0 });
  });
});

/**
 * Gateway API conformance features Portico supports, as reported in GatewayClass
 * status.supportedFeatures. Only what really works end to end belongs here: each entry is added
 * in the change that makes it pass its conformance tests.
 */
export const SUPPORTED_FEATURES: readonly string[] = [
  'Gateway',
  'GatewayPort8080',
  'GatewayStaticAddresses',
  'HTTPRoute',
  'ListenerSet',
  'ReferenceGrant',
].sort();

import type { AddressSource } from '../api/data-plane-names.js';

/**
 * Gateway API conformance features Portico supports in every deployment mode, as reported in
 * GatewayClass status.supportedFeatures. Only what really works end to end belongs here: each
 * entry is added in the change that makes it pass its conformance tests (the HTTP ones run
 * through the real HAProxy in test/traffic).
 */
export const SUPPORTED_FEATURES: readonly string[] = [
  'BackendTLSPolicy',
  'GRPCRoute',
  'GRPCRouteNamedRouteRule',
  'Gateway',
  'HTTPRouteNamedRouteRule',
  'HTTPRouteDestinationPortMatching',
  'GatewayBackendClientCertificate',
  'GatewayAddressEmpty',
  'GatewayFrontendClientCertificateValidation',
  'GatewayFrontendClientCertificateValidationInsecureFallback',
  'GatewayHTTPListenerIsolation',
  'GatewayHTTPSListenerDetectMisdirectedRequests',
  'GatewayPort8080',
  'HTTPRoute',
  'HTTPRoute303RedirectStatusCode',
  'HTTPRoute307RedirectStatusCode',
  'HTTPRoute308RedirectStatusCode',
  'HTTPRouteBackendProtocolH2C',
  'HTTPRouteBackendProtocolWebSocket',
  'HTTPRouteBackendRequestHeaderModification',
  'HTTPRouteBackendTimeout',
  'HTTPRouteCORS',
  'HTTPRouteHostRewrite',
  'HTTPRouteMethodMatching',
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
  'ReferenceGrant',
  'TCPRoute',
  'UDPRoute',
  'TLSRoute',
  'TLSRouteModeMixed',
  'TLSRouteModeTerminate',
].sort();

/**
 * The features a GatewayClass reports, by where its Gateways' addresses come from, which is the
 * deployment mode. Host mode binds the addresses a Gateway asks for (GatewayStaticAddresses); a
 * Gateway's own data plane has a Service whose address it takes, and Deployment, Service and
 * ServiceAccount of its own to carry `spec.infrastructure` (GatewayInfrastructurePropagation);
 * a shared data plane has neither.
 */
export function supportedFeatures(source: AddressSource = 'pool'): string[] {
  const own = source === 'pool' ? ['GatewayStaticAddresses'] : source === 'service' ? ['GatewayInfrastructurePropagation'] : [];
  return [...SUPPORTED_FEATURES, ...own].sort();
}

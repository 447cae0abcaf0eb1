/** The smallest complete setup as YAML: class, Gateway, one HTTPRoute to one Service on loopback. */
export function oneRouteManifests(options: { gateway: string; listenerPort: number; service: string; servicePort: number; echoPort: number }): string {
  const { gateway, listenerPort, service, servicePort, echoPort } = options;
  return `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: portico}
spec: {controllerName: portico.dev/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${gateway}, namespace: default}
spec:
  gatewayClassName: portico
  listeners: [{name: http, protocol: HTTP, port: ${listenerPort}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${service}, namespace: default}
spec:
  parentRefs: [{name: ${gateway}}]
  rules: [{backendRefs: [{name: ${service}, port: ${servicePort}}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ${service}, namespace: default}
spec: {ports: [{name: http, port: ${servicePort}, targetPort: ${echoPort}}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${service}-1, namespace: default, labels: {kubernetes.io/service-name: ${service}}}
addressType: IPv4
ports: [{name: http, port: ${echoPort}}]
endpoints: [{addresses: [127.0.0.1]}]
`;
}

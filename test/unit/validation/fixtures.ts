import type { KubeObject } from '../../../src/api/object.js';

/** Minimal valid objects of every kind, fresh on each call so tests can mutate them. */

const GW = 'gateway.networking.k8s.io/v1';

export function gatewayClass(): KubeObject {
  return { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } };
}

export function gateway(): KubeObject {
  return {
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'infra' },
    spec: {
      gatewayClassName: 'portico',
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP' },
        {
          name: 'https',
          port: 443,
          protocol: 'HTTPS',
          hostname: '*.example.com',
          tls: { certificateRefs: [{ name: 'cert' }] },
        },
      ],
    },
  };
}

export function httpRoute(): KubeObject {
  return {
    apiVersion: GW,
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'apps' },
    spec: {
      parentRefs: [{ name: 'gw', namespace: 'infra' }],
      hostnames: ['www.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
          backendRefs: [{ name: 'api', port: 8080 }],
        },
      ],
    },
  };
}

export function grpcRoute(): KubeObject {
  return {
    apiVersion: GW,
    kind: 'GRPCRoute',
    metadata: { name: 'grpc', namespace: 'apps' },
    spec: {
      parentRefs: [{ name: 'gw', namespace: 'infra' }],
      rules: [{ matches: [{ method: { service: 'helloworld.Greeter', method: 'SayHello' } }], backendRefs: [{ name: 'greeter', port: 50051 }] }],
    },
  };
}

export function tlsRoute(): KubeObject {
  return {
    apiVersion: GW,
    kind: 'TLSRoute',
    metadata: { name: 'tls', namespace: 'apps' },
    spec: { parentRefs: [{ name: 'gw', namespace: 'infra' }], hostnames: ['db.example.com'], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] },
  };
}

export function tcpRoute(): KubeObject {
  return {
    apiVersion: GW,
    kind: 'TCPRoute',
    metadata: { name: 'tcp', namespace: 'apps' },
    spec: { parentRefs: [{ name: 'gw', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'redis', port: 6379 }] }] },
  };
}

export function udpRoute(): KubeObject {
  return {
    apiVersion: GW,
    kind: 'UDPRoute',
    metadata: { name: 'udp', namespace: 'apps' },
    spec: { parentRefs: [{ name: 'gw', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'dns', port: 53 }] }] },
  };
}

export function listenerSet(): KubeObject {
  return {
    apiVersion: GW,
    kind: 'ListenerSet',
    metadata: { name: 'extra', namespace: 'apps' },
    spec: { parentRef: { name: 'gw', namespace: 'infra' }, listeners: [{ name: 'alt', port: 8080, protocol: 'HTTP' }] },
  };
}

export function referenceGrant(): KubeObject {
  return {
    apiVersion: GW,
    kind: 'ReferenceGrant',
    metadata: { name: 'allow-routes', namespace: 'backends' },
    spec: {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'apps' }],
      to: [{ group: '', kind: 'Service' }],
    },
  };
}

export function backendTLSPolicy(): KubeObject {
  return {
    apiVersion: GW,
    kind: 'BackendTLSPolicy',
    metadata: { name: 'api-tls', namespace: 'apps' },
    spec: {
      targetRefs: [{ group: '', kind: 'Service', name: 'api' }],
      validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }], hostname: 'api.internal' },
    },
  };
}

export function service(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'apps' },
    spec: { selector: { app: 'api' }, ports: [{ port: 8080 }] },
  };
}

export function endpointSlice(): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'api-1', namespace: 'apps', labels: { 'kubernetes.io/service-name': 'api' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.7'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080 }],
  };
}

export function secret(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'cert', namespace: 'infra' },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from('CERT').toString('base64'), 'tls.key': Buffer.from('KEY').toString('base64') },
  };
}

export function configMap(): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ca', namespace: 'apps' }, data: { 'ca.crt': 'PEM' } };
}

export function namespace(): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } };
}

/** Loose access into a validated object's spec for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary JSON
export function spec(obj: KubeObject | undefined): any {
  return obj?.spec;
}

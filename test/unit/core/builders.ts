/** Small builders for core tests: objects as they look after validation (defaults applied). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { KubeObject } from '../../../src/api/object.js';
import { ResourceSet } from '../../../src/store/resources.js';
import { translate, type TranslateOptions, type Translation } from '../../../src/pipeline/translate.js';
import { haproxyRuleProblem } from '../../../src/haproxy/capabilities.js';

const G = 'gateway.networking.k8s.io/v1';

export function gatewayClass(name = 'portico', controllerName = 'portico.dev/gateway-controller', extra: object = {}): KubeObject {
  return { apiVersion: G, kind: 'GatewayClass', metadata: { name, generation: 1 }, spec: { controllerName, ...extra } };
}

export function gateway(name: string, listeners: object[], extra: object = {}, namespace = 'default'): KubeObject {
  return {
    apiVersion: G,
    kind: 'Gateway',
    metadata: { name, namespace, generation: 1 },
    spec: {
      gatewayClassName: 'portico',
      listeners: listeners.map((l) => ({ allowedRoutes: { namespaces: { from: 'Same' } }, ...l })),
      ...extra,
    },
  };
}

export function httpRoute(name: string, spec: object, namespace = 'default', meta: object = {}): KubeObject {
  return { apiVersion: G, kind: 'HTTPRoute', metadata: { name, namespace, generation: 1, ...meta }, spec };
}

export function service(name: string, ports: object[] = [{ port: 80, targetPort: 8080 }], namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports } };
}

export function endpointSlice(service: string, addresses: string[], port = 8080, namespace = 'default', ready = true): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-abc`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready } })),
    ports: [{ port }],
  };
}

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function referenceGrant(namespace: string, from: object[], to: object[], name = 'grant'): KubeObject {
  return { apiVersion: G, kind: 'ReferenceGrant', metadata: { name, namespace }, spec: { from, to } };
}

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/tls');
function fixture(name: string): string {
  // Tests run from src (tsx) and from dist: look in the source tree either way.
  for (const dir of [fixtures, path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/tls')]) {
    try {
      return readFileSync(path.join(dir, name), 'utf8');
    } catch {
      /* try the next location */
    }
  }
  throw new Error(`fixture ${name} not found`);
}

export function tlsSecret(name: string, which: 'example' | 'other' = 'example', namespace = 'default', extra: object = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(fixture(`${which}.crt`)).toString('base64'),
      'tls.key': Buffer.from(fixture(`${which}.key`)).toString('base64'),
    },
    ...extra,
  };
}

/** A ConfigMap holding a CA bundle under ca.crt (by default the test client CA, test/fixtures/tls). */
export function caConfigMap(name: string, namespace = 'default', pem = fixture('client-ca.crt')): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { 'ca.crt': pem } };
}

export const NOW = '2026-01-01T00:00:00Z';

export function run(objects: KubeObject[], options: Partial<TranslateOptions> = {}): Translation {
  return translate(new ResourceSet(objects), { addressPool: '127.0.10.0/24', now: NOW, checkRule: haproxyRuleProblem, ...options });
}

interface CondLike {
  type: string;
  status: string;
  reason: string;
  message?: string;
  observedGeneration?: number;
}

export function condOf(conditions: unknown, type: string): CondLike {
  const found = (conditions as CondLike[] | undefined)?.find((c) => c.type === type);
  if (!found) throw new Error(`no ${type} condition in ${JSON.stringify(conditions)}`);
  return found;
}

type Rec = Record<string, unknown>;
export function statusOf(t: Translation, key: string): Rec {
  const s = t.status.get(key);
  if (!s) throw new Error(`no status for ${key}; have ${[...t.status.keys()].join(', ')}`);
  return s as Rec;
}

export function listenerStatus(t: Translation, gatewayKey: string, name: string): Rec {
  const listeners = statusOf(t, gatewayKey).listeners as Rec[];
  const l = listeners.find((x) => x.name === name);
  if (!l) throw new Error(`no listener ${name}`);
  return l;
}

export function parentStatus(t: Translation, routeKey: string, index = 0): Rec {
  const parents = statusOf(t, routeKey).parents as Rec[];
  const ours = parents.filter((p) => p.controllerName === 'portico.dev/gateway-controller');
  const p = ours[index];
  if (!p) throw new Error(`no parent ${index} for ${routeKey}: ${JSON.stringify(parents)}`);
  return p;
}

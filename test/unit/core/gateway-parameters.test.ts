import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/object.js';
import { resolveParameters } from '../../../src/graph/parameters.js';
import { ResourceSet } from '../../../src/store/resources.js';
import { gateway, run } from './builders.js';

const params = (name: string, haproxy: Record<string, unknown>, namespace = 'default'): KubeObject => ({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'GatewayParameters', metadata: { name, namespace }, spec: { haproxy } } as KubeObject);
const ref = (name: string) => ({ group: 'gateway.portico.dev', kind: 'GatewayParameters', name });

test('resolveParameters: GatewayParameters give their haproxy section; ConfigMaps give nothing; anything else is refused', () => {
  const resources = new ResourceSet([params('p', { threads: 4, logLevel: 'info' }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } }]);
  assert.deepEqual(resolveParameters(ref('p'), 'default', 'parametersRef', resources), { threads: 4, logLevel: 'info' });
  assert.deepEqual(resolveParameters({ group: '', kind: 'ConfigMap', name: 'c' }, 'default', 'parametersRef', resources), {});
  assert.match(String(resolveParameters(ref('p'), undefined, 'parametersRef', resources)), /namespace is required/);
  assert.match(String(resolveParameters(ref('q'), 'default', 'parametersRef', resources)), /GatewayParameters default\/q does not exist/);
  assert.match(String(resolveParameters({ group: 'example.com', kind: 'Params', name: 'p' }, 'default', 'parametersRef', resources)), /only gateway\.portico\.dev GatewayParameters and core ConfigMaps/);
  assert.match(String(resolveParameters(ref('bad'), 'default', 'x', new ResourceSet([params('bad', { logLevel: 'loud' })]))), /not a level/);
});

test("a Gateway's parameters override its class's field by field, and reach the IR", () => {
  const t = run([
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller', parametersRef: { ...ref('class'), namespace: 'infra' } } } as KubeObject,
    params('class', { threads: 2, maxConnections: 100 }, 'infra'),
    params('own', { maxConnections: 50 }),
    { ...gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]), spec: { gatewayClassName: 'portico', infrastructure: { parametersRef: ref('own') }, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } } as KubeObject,
  ]);
  assert.deepEqual(t.ir.gateways[0]?.process, { threads: 2, maxConnections: 50 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/object.js';
import { condOf, gateway, gatewayClass, run, statusOf } from './builders.js';
import { sharedServiceName } from '../../../src/api/data-plane-names.js';

const lbService = (ingress: object[], type = 'LoadBalancer'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'portico-gw', namespace: 'default' },
  spec: { type, clusterIP: '10.96.0.7', clusterIPs: ['10.96.0.7'], ports: [{ port: 80 }] },
  status: { loadBalancer: { ingress } },
});
const world = (...extra: KubeObject[]) => [gatewayClass(), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]), ...extra];
const service = { addressSource: 'service' as const };
const gwStatus = (t: ReturnType<typeof run>) => statusOf(t, 'Gateway/default/gw') as { addresses: unknown[]; conditions: unknown };

test("per-gateway data planes: the Gateway's addresses are its Service's load balancer's", () => {
  const t = run(world(lbService([{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }])), service);
  assert.deepEqual(gwStatus(t).addresses, [
    { type: 'IPAddress', value: '203.0.113.7' },
    { type: 'Hostname', value: 'lb.example.com' },
  ]);
  assert.deepEqual(t.ir.gateways[0]?.addresses, ['0.0.0.0'], 'the data plane binds every address of its pod');
});

test('per-gateway data planes: a ClusterIP Service gives its cluster IP; none yet is AddressNotAssigned, still configured', () => {
  assert.deepEqual(gwStatus(run(world(lbService([], 'ClusterIP')), service)).addresses, [{ type: 'IPAddress', value: '10.96.0.7' }]);
  const pending = run(world(lbService([])), service);
  const programmed = condOf(gwStatus(pending).conditions, 'Programmed');
  assert.deepEqual([programmed.status, programmed.reason], ['False', 'AddressNotAssigned']);
  assert.match(programmed.message ?? '', /waiting for a load balancer address for Service default\/portico-gw/);
  assert.equal(pending.ir.gateways.length, 1, 'the data plane gets its configuration before the load balancer has an address');
  const none = run(world(), service);
  assert.match(condOf(gwStatus(none).conditions, 'Programmed').message ?? '', /Service default\/portico-gw to be created/);
});

test('per-gateway data planes: spec.addresses is refused with the reason', () => {
  const gw = gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]) as KubeObject & { spec: { addresses?: unknown[] } };
  gw.spec.addresses = [{ type: 'IPAddress', value: '192.0.2.1' }];
  const t = run([gatewayClass(), gw, lbService([{ ip: '203.0.113.7' }])], service);
  const programmed = condOf(gwStatus(t).conditions, 'Programmed');
  assert.deepEqual([programmed.status, programmed.reason], ['False', 'AddressNotUsable']);
});

test("shared data planes: the Gateway's address is its Service's beside the class's data plane", () => {
  const shared = { addressSource: { shared: 'portico-system' } };
  const svc = { ...lbService([{ ip: '203.0.113.9' }]), metadata: { name: sharedServiceName('default', 'gw'), namespace: 'portico-system' } };
  assert.deepEqual(gwStatus(run(world(svc), shared)).addresses, [{ type: 'IPAddress', value: '203.0.113.9' }]);
  assert.match(condOf(gwStatus(run(world(lbService([{ ip: '203.0.113.7' }])), shared)).conditions, 'Programmed').message ?? '', new RegExp(`Service portico-system/${sharedServiceName('default', 'gw')} to be created`));
});

test("shared data planes: a Gateway's own parameters may shape its Service only", () => {
  const shared = { addressSource: { shared: 'portico-system' } };
  const params = (spec: object): KubeObject => ({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'GatewayParameters', metadata: { name: 'mine', namespace: 'default' }, spec } as KubeObject);
  const gw = gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }], { infrastructure: { parametersRef: { group: 'gateway.portico.dev', kind: 'GatewayParameters', name: 'mine' } } });
  const refused = run([gatewayClass(), gw, params({ kube: { deployment: { replicas: 3 }, service: { type: 'NodePort' } } })], shared);
  const accepted = condOf(gwStatus(refused).conditions, 'Accepted');
  assert.deepEqual([accepted.status, accepted.reason], ['False', 'InvalidParameters']);
  assert.match(accepted.message ?? '', /kube\.deployment shape the data plane, which in shared mode is the GatewayClass's/);
  const fine = run([gatewayClass(), gw, params({ kube: { service: { type: 'NodePort' } } })], shared);
  assert.equal(condOf(gwStatus(fine).conditions, 'Accepted').status, 'True');
  assert.equal(fine.graph.gateways[0]?.parameters?.kube?.service?.type, 'NodePort');
  // Per-gateway mode takes them all.
  assert.equal(condOf(gwStatus(run([gatewayClass(), gw, params({ kube: { deployment: { replicas: 3 } } })], service)).conditions, 'Accepted').status, 'True');
});

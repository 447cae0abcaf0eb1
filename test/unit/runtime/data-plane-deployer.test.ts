import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../src/log.js';
import { DataPlaneDeployer } from '../../../src/runtime/data-plane-deployer.js';
import type { KubeRequest, KubeResponse, KubeTransport } from '../../../src/providers/kubernetes/transport.js';
import { gateway, gatewayClass, run } from '../core/builders.js';
import { waitFor } from '../../support/fs-wait.js';
import { sharedServiceName } from '../../../src/api/data-plane-names.js';
import { combineGateways, sharedDataPlaneName } from '../../../src/ir/shared-data-plane.js';

/**
 * A transport standing in for the API server: the deployer's retry timing cannot be driven on a
 * real one (nothing there refuses a write on demand). Answers each PATCH with the next status of
 * `patches`, then 201.
 */
class ScriptedTransport implements KubeTransport {
  readonly requests: KubeRequest[] = [];
  constructor(private readonly patches: number[]) {}
  async request(req: KubeRequest): Promise<KubeResponse> {
    this.requests.push(req);
    if (req.method === 'GET') return { status: 404, body: {} };
    if (req.method === 'PATCH') return { status: this.patches.shift() ?? 201, body: {} };
    return { status: 200, body: {} };
  }
  watch(): never {
    throw new Error('not used');
  }
  close(): void {}
}

test('DataPlaneDeployer: a write the API server refuses is tried again without a new change', async (t) => {
  const gw = gateway('web', [{ name: 'http', port: 80, protocol: 'HTTP' }]);
  gw.metadata.uid = 'uid-1';
  const graph = run([gatewayClass(), gw]).graph;
  const transport = new ScriptedTransport([500]);
  const deployer = new DataPlaneDeployer({ transport, logger: silentLogger(), image: 'portico:test', controllerUrl: 'https://portico.x.svc:9443' });
  t.after(() => deployer.close());
  deployer.setEnabled(true);
  await deployer.sync(graph);
  const patches = () => transport.requests.filter((r) => r.method === 'PATCH').map((r) => r.path);
  assert.equal(patches().length, 4, 'ServiceAccount, Secret, Deployment, Service');
  // The first (the ServiceAccount) was refused: it alone is written again, within the first retry.
  await waitFor('the refused ServiceAccount written again', () => patches().length === 5, 5000);
  assert.match(patches()[4] ?? '', /serviceaccounts\/portico-web$/);
  assert.ok(deployer.tokenOf('default/web'), 'the Gateway has a token');
});

test('DataPlaneDeployer: the follower deploys nothing; a Gateway no longer ours has its objects deleted', async (t) => {
  const gw = gateway('web', [{ name: 'http', port: 80, protocol: 'HTTP' }]);
  gw.metadata.uid = 'uid-1';
  const transport = new ScriptedTransport([]);
  const deployer = new DataPlaneDeployer({ transport, logger: silentLogger(), image: 'portico:test', controllerUrl: 'https://portico.x.svc:9443' });
  t.after(() => deployer.close());
  await deployer.sync(run([gatewayClass(), gw]).graph);
  assert.equal(transport.requests.length, 0, 'not the leader');
  deployer.setEnabled(true);
  await deployer.sync(run([gatewayClass(), gw]).graph);
  await deployer.sync(run([gatewayClass()]).graph);
  const deletes = transport.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').slice(-2).join('/'));
  assert.deepEqual(deletes.sort(), ['deployments/portico-web', 'secrets/portico-web-token', 'serviceaccounts/portico-web', 'services/portico-web']);
});

test('DataPlaneDeployer, shared mode: one data plane per class, a Service per Gateway on the ports the channel configures; leftovers swept', async (t) => {
  const cls = gatewayClass();
  cls.metadata.uid = 'class-uid';
  const a = gateway('a', [{ name: 'http', port: 80, protocol: 'HTTP' }]);
  a.metadata.uid = 'uid-a';
  const b = gateway('b', [{ name: 'http', port: 80, protocol: 'HTTP' }]);
  b.metadata.uid = 'uid-b';
  const leftover = { metadata: { name: 'portico-apps-gone-123456' } };
  class Listing extends ScriptedTransport {
    override async request(req: KubeRequest): Promise<KubeResponse> {
      if (req.method === 'GET' && req.path === '/api/v1/namespaces/portico-system/services') {
        this.requests.push(req);
        return { status: 200, body: { items: [leftover] } };
      }
      if (req.method === 'GET' && !req.path.includes('/secrets/')) {
        this.requests.push(req);
        return { status: 200, body: { items: [] } };
      }
      return super.request(req);
    }
  }
  const transport = new Listing([]);
  const deployer = new DataPlaneDeployer({ transport, logger: silentLogger(), image: 'portico:test', controllerUrl: 'https://portico.x.svc:9443', sharedNamespace: 'portico-system' });
  t.after(() => deployer.close());
  deployer.setEnabled(true);
  const translation = run([cls, a, b]);
  await deployer.sync(translation.graph, translation.ir);
  const patched = transport.requests.filter((r) => r.method === 'PATCH');
  const names = patched.map((r) => r.path.split('/').slice(-2).join('/'));
  assert.deepEqual(names.slice(0, 3), ['serviceaccounts/portico-class-portico', 'secrets/portico-class-portico-token', 'deployments/portico-class-portico']);
  assert.equal(names.filter((n) => n.startsWith('services/')).length, 2);
  assert.ok(patched.every((r) => r.path.includes('/namespaces/portico-system/')), 'everything beside the pods');
  const combined = combineGateways('portico', translation.ir.gateways).gateway;
  const serviceOf = (gw: string) => patched.find((r) => r.path.endsWith(`/services/${sharedServiceName('default', gw)}`))?.body as { spec: { ports: { port: number; targetPort: number }[] } };
  for (const gw of ['a', 'b']) {
    const [port] = serviceOf(gw).spec.ports;
    const served = combined.ports.find((p) => p.listeners[0]?.id === `Gateway/default/${gw}/http`);
    assert.deepEqual([port?.port, port?.targetPort], [80, served?.port], `Gateway ${gw}'s Service sends port 80 where the data plane serves it`);
  }
  assert.ok(deployer.tokenOf(sharedDataPlaneName('portico')), 'the class data plane has a token');
  const deleted = transport.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').slice(-2).join('/'));
  assert.deepEqual(deleted, ['services/portico-apps-gone-123456'], 'a Service no Gateway wants is swept');
  // Gateway b goes: its Service is deleted, the class's data plane stays for a.
  await deployer.sync(run([cls, a]).graph, run([cls, a]).ir);
  const after = transport.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').slice(-2).join('/'));
  assert.deepEqual(after.slice(1), [`services/${sharedServiceName('default', 'b')}`]);
});

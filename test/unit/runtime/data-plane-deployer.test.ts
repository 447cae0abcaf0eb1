import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../src/log.js';
import { DataPlaneDeployer } from '../../../src/runtime/data-plane-deployer.js';
import type { KubeRequest, KubeResponse, KubeTransport } from '../../../src/providers/kubernetes/transport.js';
import { gateway, gatewayClass, run } from '../core/builders.js';
import { waitFor } from '../../support/fs-wait.js';

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

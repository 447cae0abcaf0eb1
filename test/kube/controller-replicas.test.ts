/**
 * Two replicas of the controller on one API server: the `portico controller` command as a user
 * runs it, and one in-process. Both serve traffic (each on its own addresses, as replicas on
 * different hosts would), only the leader writes status, and when the leader stops, the other
 * takes over and writes what differs at once (here: the Gateway addresses it binds).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../src/api/object.js';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import { silentLogger } from '../../src/log.js';
import { startController, type RunningController } from '../../src/runtime/controller-app.js';
import { haproxyInstalled } from '../traffic/harness.js';
import { TestKubeClient } from '../support/kube-client.js';
import { ensureKubeBinaries, startKubeApiserver, type KubeApiserver } from '../support/kube-apiserver.js';
import { backendObjects, condition, CONTROLLER, eventually, GROUP, httpGet, installCrds, porticoKubeconfig, startBackend, type Backend, type GatewayStatus, type ParentStatus, testControllerOptions } from '../support/kube-controller.js';
import { LEADER_ELECTION_ID, PORTICO_NAMESPACE } from '../support/kube-deploy.js';
import { enterPrivateNetwork } from '../support/private-network.js';
import { freePort } from '../support/free-port.js';

const binaries = ensureKubeBinaries();
const network = 'skip' in binaries ? binaries : await enterPrivateNetwork();
const skip = 'skip' in binaries ? binaries.skip : 'skip' in network ? network.skip : !haproxyInstalled ? 'haproxy is not installed' : false;

const NS = 'apps';
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');


describe('two controller replicas on a real kube-apiserver', { skip, timeout: 180_000 }, () => {
  let api: KubeApiserver;
  let admin: TestKubeClient;
  let dir: string;
  let kubeconfig: string;
  let backend: Backend;
  let cli: ChildProcess | undefined;
  let cliLog = '';
  let cliAdmin: number;
  let replica: RunningController | undefined;

  const gatewayStatus = async () => (await admin.get<KubeObject & { status?: GatewayStatus }>('Gateway', NS, 'web'))?.status;
  const holder = async () => ((await admin.get<KubeObject & { spec?: { holderIdentity?: string } }>('Lease', PORTICO_NAMESPACE, LEADER_ELECTION_ID))?.spec?.holderIdentity ?? '');

  before(async () => {
    assert.ok(!('skip' in binaries) && !('skip' in network));
    dir = mkdtempSync(path.join(tmpdir(), 'pr-'));
    api = await startKubeApiserver({ binaries });
    admin = new TestKubeClient(api.kubeconfig());
    await installCrds(admin);
    kubeconfig = await porticoKubeconfig(api, path.join(dir, 'kubeconfig'));
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    backend = await startBackend('echo', network.ipv4[0] ?? '');
    for (const obj of backendObjects(backend, NS)) await admin.create(obj);
    await admin.create({ apiVersion: `${GROUP}/v1`, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: CONTROLLER } });
    await admin.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'HTTPRoute',
      metadata: { name: 'route', namespace: NS },
      spec: { parentRefs: [{ name: 'web' }], rules: [{ backendRefs: [{ name: 'echo', port: 8080 }] }] },
    });
  });

  after(async () => {
    cli?.kill('SIGKILL');
    await replica?.close();
    await backend?.close();
    admin?.close();
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('`portico controller` starts, leads, and serves readiness and metrics', async () => {
    cliAdmin = await freePort();
    cli = spawn(
      process.execPath,
      [CLI, 'controller', '--kubeconfig', kubeconfig, '--admin', `127.0.0.1:${cliAdmin}`, '--address-pool', '127.0.20.0/24', '--state-dir', path.join(dir, 'a'), '--identity', 'replica-cli', '--log-level', 'info'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    cli.stderr?.setEncoding('utf8').on('data', (text: string) => (cliLog = (cliLog + text).slice(-20_000)));
    await eventually('the CLI replica ready', async () => (await httpGet('127.0.0.1', cliAdmin, 'admin', '/readyz')).status === 200).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${cliLog}`);
    });
    await eventually('the CLI replica holds the Lease', async () => (await holder()) === 'replica-cli');
    assert.match((await httpGet('127.0.0.1', cliAdmin, 'admin', '/metrics')).body, /^portico_leader 1$/m);
  });

  it('both replicas serve traffic; only the leader writes status', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfig);
    const logger = silentLogger();
    replica = await startController(
      testControllerOptions({ kubeConfig, logger, identity: 'replica-in-process', retryPeriodMs: 300 }, {
        addressPool: '127.0.30.0/24',
        dataPlane: new HaproxyDataPlane({ stateDir: path.join(dir, 'b'), logger }),
      }),
    );
    await replica.ready;
    assert.equal(replica.isLeader(), false);

    await admin.create({ apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name: 'web', namespace: NS }, spec: { gatewayClassName: 'portico', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } });
    const written = await eventually('the leader writes the Gateway status', async () => {
      const s = await gatewayStatus();
      return condition(s?.conditions, 'Programmed')?.status === 'True' ? s?.addresses?.[0]?.value : undefined;
    });
    assert.match(written, /^127\.0\.20\./, "the leader's own address");
    const mine = await eventually('the follower programs its own address', () => {
      const s = replica?.runtime.statusOf(`Gateway/${NS}/web`) as GatewayStatus | undefined;
      return condition(s?.conditions, 'Programmed')?.status === 'True' ? s?.addresses?.[0]?.value : undefined;
    });
    assert.match(mine, /^127\.0\.30\./);
    for (const address of [written, mine]) {
      await eventually(`traffic through ${address}`, async () => (await httpGet(address, 80, 'any.example')).backend === 'echo');
    }
    await eventually('route Accepted', async () => {
      const route = await admin.get<KubeObject & { status?: { parents?: ParentStatus[] } }>('HTTPRoute', NS, 'route');
      return condition(route?.status?.parents?.[0]?.conditions, 'Accepted')?.status === 'True';
    });
    assert.equal(await replica.kubeMetrics.statusWriteCount(), 0, 'the follower wrote nothing');
  });

  it('when the leader is killed (kill -9), the other replica takes over within 15 s and writes what differs at once', async (t) => {
    assert.ok(cli);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => cli?.once('exit', (_code, signal) => resolve(signal)));
    cli.kill('SIGKILL');
    const killed = Date.now();
    assert.equal(await exited, 'SIGKILL', cliLog);
    cli = undefined;
    // The CLI leads with the production lease (10 s): it is taken over once that has run out.
    await eventually('the in-process replica leads', () => replica?.isLeader(), 15_000, 50);
    t.diagnostic(`takeover ${Date.now() - killed} ms after kill -9 of the leader`);
    assert.equal(await holder(), 'replica-in-process');
    // Its Gateway address differs from the one the old leader reported: written at once.
    const address = await eventually('the Gateway status names the new leader’s address', async () => {
      const value = (await gatewayStatus())?.addresses?.[0]?.value;
      return value?.startsWith('127.0.30.') ? value : undefined;
    });
    await eventually(`traffic through ${address}`, async () => (await httpGet(address, 80, 'any.example')).backend === 'echo');
    assert.ok(((await replica?.kubeMetrics.statusWriteCount()) ?? 0) > 0);
  });
});

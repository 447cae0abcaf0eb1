/**
 * What tests of `portico controller` on a real API server share: the API server with the Gateway
 * API CRDs, a kubeconfig for the least-privileged portico ServiceAccount, HTTP backends on the
 * private network's TEST-NET addresses, plain HTTP requests to a Gateway, and polling.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { parse } from 'yaml';
import { GATEWAY_GROUP } from '../../src/api/kinds.js';
import type { KubeObject } from '../../src/api/object.js';
import { projectRoot } from '../e2e/support.js';
import { requestJson } from './echo-server.js';
import { waitFor } from './fs-wait.js';
import { TestKubeClient } from './kube-client.js';
import { startKubeApiserver, type KubeApiserver, type KubeBinaries } from './kube-apiserver.js';
import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../../src/log.js';
import type { ControllerOptions } from '../../src/runtime/controller-app.js';
import { applyDeployRbac, LEADER_ELECTION_ID, PORTICO_NAMESPACE } from './kube-deploy.js';

export const GROUP = GATEWAY_GROUP;
export const CONTROLLER = 'portico.dev/gateway-controller';

/**
 * What the kube tests start `portico controller` with: the admin API on a free loopback port, the
 * address pool 127.0.10.0/24, and a short Lease in portico-system (4 s, renewed within 3 s, tried
 * every `retryPeriodMs`, default 500) under `identity`. `rest` adds options or replaces these.
 */
export function testControllerOptions(
  base: { kubeConfig: KubeConfig; logger: Logger; identity: string; retryPeriodMs?: number },
  rest: Partial<ControllerOptions> = {},
): ControllerOptions {
  return {
    kubeConfig: base.kubeConfig,
    admin: { host: '127.0.0.1', port: 0 },
    addressPool: '127.0.10.0/24',
    logger: base.logger,
    leaderElection: { namespace: PORTICO_NAMESPACE, name: LEADER_ELECTION_ID, identity: base.identity, leaseDurationSeconds: 4, renewDeadlineMs: 3000, retryPeriodMs: base.retryPeriodMs ?? 500 },
    ...rest,
  };
}

/** waitFor with the API server's pace: every `intervalMs`, a failing request counting as "not yet". */
export function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  return waitFor(what, check, timeoutMs, { intervalMs, retryErrors: true });
}

/** The CRDs of crds/standard (or another folder of crds/), server-side applied, each waited for until Established. */
export async function installCrds(admin: TestKubeClient, filter: (name: string) => boolean = () => true, folder = 'standard'): Promise<string[]> {
  const dir = path.join(projectRoot, 'crds', folder);
  const names: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const crd = parse(readFileSync(path.join(dir, file), 'utf8')) as KubeObject;
    if (!filter(crd.metadata.name)) continue;
    await admin.apply(crd);
    names.push(crd.metadata.name);
  }
  for (const name of names) {
    await eventually(`CRD ${name} Established`, async () => {
      const crd = await admin.get<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>('CustomResourceDefinition', undefined, name);
      return crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });
  }
  return names;
}

/** RBAC applied, and a kubeconfig file for the portico ServiceAccount's token. */
export async function porticoKubeconfig(api: KubeApiserver, file: string, options: { perGateway?: boolean } = {}): Promise<string> {
  const { token } = await applyDeployRbac(api, options);
  api.writeKubeconfig(file, token);
  return file;
}

export interface Backend {
  name: string;
  address: string;
  port: number;
  close(): Promise<void>;
}

/** An HTTP server answering every request with JSON naming itself, on `address`. */
export async function startBackend(name: string, address: string): Promise<Backend> {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ backend: name, host: req.headers.host, path: req.url }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    name,
    address,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The Service and EndpointSlice that make `backend` reachable as Service `name` port 8080. */
export function backendObjects(backend: Backend, namespace: string, name = backend.name): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ name: 'http', port: 8080, targetPort: backend.port, protocol: 'TCP' }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-1`, namespace, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [backend.address], conditions: { ready: true } }],
      ports: [{ name: 'http', port: backend.port, protocol: 'TCP' }],
    },
  ];
}

export interface HttpAnswer {
  status: number;
  body: string;
  /** The backend's name when it answered. */
  backend?: string;
}

/** One GET on a fresh connection, with any Host header. */
export async function httpGet(address: string, port: number, host: string, urlPath = '/', timeoutMs = 3000): Promise<HttpAnswer> {
  const answer = await requestJson<{ backend?: string }>(`http://${address}:${port}${urlPath}`, { host, timeoutMs });
  return { status: answer.status, body: answer.text, backend: answer.json?.backend };
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export interface ParentStatus {
  parentRef: { name: string; namespace?: string; sectionName?: string };
  controllerName: string;
  conditions: Condition[];
}

export interface GatewayStatus {
  addresses?: { type: string; value: string }[];
  conditions?: Condition[];
  listeners?: { name: string; attachedRoutes: number; conditions: Condition[] }[];
}

export function condition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}


/** An API server ready for a controller that deploys data planes (per-gateway and shared modes). */
export interface PodModeCluster {
  dir: string;
  api: KubeApiserver;
  admin: TestKubeClient;
  /** The controller's credentials: deploy/'s ServiceAccount with the data plane RBAC rules. */
  kubeConfig: KubeConfig;
  /** Service `echo` port 8080 in `namespace`, answering on `backendAddress`. */
  backend: Backend;
}

/**
 * Starts an API server with the Gateway API and GatewayParameters CRDs, the controller's
 * ServiceAccount and RBAC for data planes in pods, `namespace`, and an echo backend there.
 */
export async function startPodModeCluster(binaries: KubeBinaries, namespace: string, backendAddress: string, prefix: string): Promise<PodModeCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const api = await startKubeApiserver({ binaries });
  const admin = new TestKubeClient(api.kubeconfig());
  await installCrds(admin);
  await installCrds(admin, (name) => name === 'gatewayparameters.gateway.portico.dev', 'portico');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(await porticoKubeconfig(api, path.join(dir, 'kubeconfig'), { perGateway: true }));
  await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const backend = await startBackend('echo', backendAddress);
  for (const obj of backendObjects(backend, namespace)) await admin.create(obj);
  return { dir, api, admin, kubeConfig, backend };
}

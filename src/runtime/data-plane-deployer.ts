/**
 * Deployment mode per-gateway: keeps each Gateway's own data plane objects on the API server
 * (src/deployment/data-plane-objects.ts) by server-side apply, as field manager "portico".
 * Objects are applied when what Portico wants of them changes (a hash per object), and deleted
 * when their Gateway stops being Portico's; a deleted Gateway's objects go with it through their
 * ownerReferences (garbage collection). Only the leader deploys.
 */
import { randomBytes } from 'node:crypto';
import { dataPlaneName } from '../api/data-plane-names.js';
import type { KubeObject } from '../api/object.js';
import { dataPlaneObjects, type DataPlaneGateway } from '../deployment/data-plane-objects.js';
import type { Graph } from '../graph/model.js';
import type { Logger } from '../log.js';
import { objectPath, type ResourceType } from '../providers/kubernetes/paths.js';
import type { KubeTransport } from '../providers/kubernetes/transport.js';

/** Where each kind the deployer writes lives on the API server. */
const TYPES: Record<string, ResourceType & { version: string }> = {
  ServiceAccount: { kind: 'ServiceAccount', group: '', plural: 'serviceaccounts', namespaced: true, versions: ['v1'], version: 'v1' },
  Secret: { kind: 'Secret', group: '', plural: 'secrets', namespaced: true, versions: ['v1'], version: 'v1' },
  Service: { kind: 'Service', group: '', plural: 'services', namespaced: true, versions: ['v1'], version: 'v1' },
  Deployment: { kind: 'Deployment', group: 'apps', plural: 'deployments', namespaced: true, versions: ['v1'], version: 'v1' },
  PodDisruptionBudget: { kind: 'PodDisruptionBudget', group: 'policy', plural: 'poddisruptionbudgets', namespaced: true, versions: ['v1'], version: 'v1' },
  HorizontalPodAutoscaler: { kind: 'HorizontalPodAutoscaler', group: 'autoscaling', plural: 'horizontalpodautoscalers', namespaced: true, versions: ['v2'], version: 'v2' },
};

export interface DeployerOptions {
  transport: KubeTransport;
  logger: Logger;
  /** The data plane image (`--dataplane-image`). */
  image: string;
  /** Where data planes reach the controller (`--dataplane-controller-url`). */
  controllerUrl: string;
  /** The CA that vouches for the channel's certificate, handed to the data planes. */
  caPem?: string;
  fieldManager?: string;
}

/** The Gateways of a graph that get a data plane: Portico's, accepted. */
export function deployedGateways(graph: Graph): { gateway: DataPlaneGateway; kube: NonNullable<Graph['gateways'][number]['parameters']>['kube'] }[] {
  return graph.gateways
    .filter((g) => g.accepted && g.object.metadata.uid)
    .map((g) => {
      const ports = new Map<string, { port: number; protocol: 'TCP' | 'UDP' }>();
      for (const l of [...g.listeners, ...g.listenerSets.flatMap((s) => s.listeners)]) {
        const protocol = l.protocol === 'UDP' ? 'UDP' : 'TCP';
        ports.set(`${protocol}/${l.port}`, { port: l.port, protocol });
      }
      const infra = g.object.spec.infrastructure;
      return {
        gateway: {
          namespace: g.object.metadata.namespace ?? 'default',
          name: g.object.metadata.name,
          uid: g.object.metadata.uid as string,
          ...(infra?.labels ? { labels: infra.labels as Record<string, string> } : {}),
          ...(infra?.annotations ? { annotations: infra.annotations as Record<string, string> } : {}),
          ports: [...ports.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol)),
        },
        kube: g.parameters?.kube,
      };
    });
}

export class DataPlaneDeployer {
  /** Per object "Kind/namespace/name": the JSON last applied. */
  private readonly applied = new Map<string, string>();
  /** Per Gateway "namespace/name": its token, and the objects it has. */
  private readonly gateways = new Map<string, { token: string; objects: string[] }>();
  private enabled = false;
  private running: Promise<void> = Promise.resolve();
  private pending: Graph | undefined;
  /** The last graph synced, tried again after a failed write. */
  private last: Graph | undefined;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Set by apply and remove when the API server did not take a write. */
  private failed = false;

  constructor(private readonly options: DeployerOptions) {}

  /** Only the leader deploys; a replica that becomes leader applies everything once. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.applied.clear();
  }

  /** The tokens data planes show, per Gateway "namespace/name". */
  tokenOf(gateway: string): string | undefined {
    return this.gateways.get(gateway)?.token;
  }

  /** Brings the API server in line with the graph; calls made while one runs coalesce. */
  sync(graph: Graph): Promise<void> {
    this.pending = graph;
    this.running = this.running.then(async () => {
      const next = this.pending;
      this.pending = undefined;
      if (!next || !this.enabled) return;
      this.last = next;
      this.failed = false;
      await this.syncNow(next);
      this.scheduleRetry();
    });
    return this.running;
  }

  /** After a write the API server did not take: the same graph again, 1 s later, doubling to 30 s. */
  private scheduleRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.failed) {
      this.failures = 0;
      return;
    }
    const delay = Math.min(1000 * 2 ** this.failures++, 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.last && !this.pending) void this.sync(this.last);
    }, delay);
    this.retryTimer.unref();
  }

  /** Stops retrying (the controller is closing). */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.enabled = false;
  }

  private async syncNow(graph: Graph): Promise<void> {
    const wanted = deployedGateways(graph);
    const keep = new Set<string>();
    for (const { gateway, kube } of wanted) {
      const key = `${gateway.namespace}/${gateway.name}`;
      keep.add(key);
      const token = await this.token(gateway.namespace, gateway.name);
      if (token === undefined) {
        this.failed = true;
        continue;
      }
      const objects = dataPlaneObjects(gateway, kube ?? {}, { image: this.options.image, controllerUrl: this.options.controllerUrl, token, ...(this.options.caPem ? { caPem: this.options.caPem } : {}) });
      const names = objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
      const before = this.gateways.get(key);
      this.gateways.set(key, { token, objects: names });
      for (const o of objects) await this.apply(o);
      // A PodDisruptionBudget or autoscaler the parameters no longer ask for.
      for (const gone of before?.objects.filter((n) => !names.includes(n)) ?? []) await this.remove(gone);
    }
    for (const [key, state] of this.gateways) {
      if (keep.has(key)) continue;
      this.gateways.delete(key);
      for (const name of state.objects) await this.remove(name);
    }
  }

  /** The Gateway's token: the one its Secret already holds, or a new one. */
  private async token(namespace: string, gateway: string): Promise<string | undefined> {
    const known = this.gateways.get(`${namespace}/${gateway}`)?.token;
    if (known) return known;
    const path = objectPath(TYPES.Secret as ResourceType, 'v1', namespace, `${dataPlaneName(gateway)}-token`);
    try {
      const r = await this.options.transport.request({ method: 'GET', path });
      const data = (r.body as { data?: { token?: string } } | undefined)?.data;
      if (r.status === 200 && data?.token) return Buffer.from(data.token, 'base64').toString('utf8');
      if (r.status !== 404) {
        this.options.logger.warn({ gateway: `${namespace}/${gateway}`, status: r.status }, 'cannot read the data plane token Secret; will retry');
        return undefined;
      }
    } catch (err) {
      this.options.logger.warn({ gateway: `${namespace}/${gateway}`, err: (err as Error).message }, 'cannot read the data plane token Secret; will retry');
      return undefined;
    }
    return randomBytes(32).toString('base64url');
  }

  private async apply(o: KubeObject): Promise<void> {
    const key = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    const body = JSON.stringify(o);
    if (this.applied.get(key) === body) return;
    const type = TYPES[o.kind];
    if (!type) throw new Error(`the deployer cannot write a ${o.kind}`);
    const path = objectPath(type, type.version, o.metadata.namespace, o.metadata.name);
    try {
      const r = await this.options.transport.request({
        method: 'PATCH',
        path,
        query: { fieldManager: this.options.fieldManager ?? 'portico', force: true },
        contentType: 'application/apply-patch+yaml',
        body: o,
      });
      if (r.status === 200 || r.status === 201) {
        this.applied.set(key, body);
        this.options.logger.debug({ object: key }, 'data plane object applied');
      } else {
        this.failed = true;
        this.options.logger.warn({ object: key, status: r.status, body: r.body }, 'the API server refused a data plane object; trying again');
      }
    } catch (err) {
      this.failed = true;
      this.options.logger.warn({ object: key, err: (err as Error).message }, 'data plane object not applied; trying again');
    }
  }

  private async remove(key: string): Promise<void> {
    const [kind, namespace, name] = key.split('/') as [string, string, string];
    const type = TYPES[kind];
    if (!type) return;
    this.applied.delete(key);
    try {
      const r = await this.options.transport.request({ method: 'DELETE', path: objectPath(type, type.version, namespace, name) });
      if (r.status !== 200 && r.status !== 202 && r.status !== 404) this.options.logger.warn({ object: key, status: r.status }, 'data plane object not deleted');
    } catch (err) {
      this.options.logger.warn({ object: key, err: (err as Error).message }, 'data plane object not deleted');
    }
    // A failed delete is not retried: the object stays owned by its Gateway, and goes with it.
  }
}

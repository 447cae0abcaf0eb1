/**
 * Deployment modes per-gateway and shared: keeps the data plane objects on the API server
 * (src/deployment/data-plane-objects.ts) by server-side apply, as field manager "portico".
 * Objects are applied when what Portico wants of them changes (a hash per object), and deleted
 * when their Gateway (or, shared, their class's last Gateway) stops being Portico's; a deleted
 * Gateway's objects go with it through their ownerReferences (garbage collection). In shared
 * mode, objects of the data planes' namespace that no Gateway or class wants any more (left by a
 * controller that stopped before deleting them) are swept once per leadership. Only the leader
 * deploys.
 */
import { randomBytes } from 'node:crypto';
import { DATA_PLANE_APP, dataPlaneName, sharedDataPlaneObjectName } from '../api/data-plane-names.js';
import type { KubeObject } from '../api/object.js';
import { dataPlaneObjects, sharedDataPlaneObjects, sharedGatewayService, type DataPlaneGateway, type DataPlaneSettings } from '../deployment/data-plane-objects.js';
import type { Graph } from '../graph/model.js';
import type { IR } from '../ir/model.js';
import { sharedDataPlaneName, sharedPorts } from '../ir/shared-data-plane.js';
import type { Logger } from '../log.js';
import { collectionPath, objectPath, type ResourceType } from '../providers/kubernetes/paths.js';
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
  /** Shared mode: one data plane per GatewayClass, and every Gateway's Service, in this namespace. */
  sharedNamespace?: string;
  /** Passed on to the data planes (DataPlaneSettings.routeMetrics). */
  routeMetrics?: 'counters' | 'histograms';
}

/** The Gateways of a graph that get a data plane: Portico's, accepted. */
export function deployedGateways(graph: Graph): { gateway: DataPlaneGateway; className: string; kube: NonNullable<Graph['gateways'][number]['parameters']>['kube'] }[] {
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
        className: g.gatewayClass.object.metadata.name,
        kube: g.parameters?.kube,
      };
    });
}

/** One data plane's objects, as the deployer keeps them. */
interface DeployUnit {
  /** A Gateway "namespace/name", or sharedDataPlaneName(class): what the channel and tokens call it. */
  key: string;
  /** Where its token Secret lives, and its objects' base name. */
  namespace: string;
  objectName: string;
  objects: (settings: DataPlaneSettings) => KubeObject[];
}

function perGatewayUnits(graph: Graph): DeployUnit[] {
  return deployedGateways(graph).map(({ gateway, kube }) => ({
    key: `${gateway.namespace}/${gateway.name}`,
    namespace: gateway.namespace,
    objectName: dataPlaneName(gateway.name),
    objects: (settings) => dataPlaneObjects(gateway, kube ?? {}, settings),
  }));
}

/**
 * Shared mode: a data plane per GatewayClass with accepted Gateways, and each Gateway's Service
 * with its ports mapped to where the data plane serves them: the same sharedPorts the channel's
 * configuration uses (combineGateways), over the same IR Gateways, so both always agree.
 */
function sharedUnits(graph: Graph, ir: IR, namespace: string): DeployUnit[] {
  const gateways = deployedGateways(graph);
  const out: DeployUnit[] = [];
  for (const cls of graph.gatewayClasses) {
    const uid = cls.object.metadata.uid;
    const members = gateways.filter((g) => g.className === cls.object.metadata.name);
    if (!uid || members.length === 0) continue;
    const className = cls.object.metadata.name;
    const ports = sharedPorts(ir.gateways.filter((g) => g.className === className).map((g) => ({ name: g.name, ports: g.ports.map((p) => p.port) })));
    const dataPlaneClass = { name: className, uid, namespace };
    out.push({
      key: sharedDataPlaneName(className),
      namespace,
      objectName: sharedDataPlaneObjectName(className),
      objects: (settings) => [
        ...sharedDataPlaneObjects(dataPlaneClass, cls.parameters?.kube ?? {}, settings),
        ...members.flatMap(({ gateway, kube }) => {
          const moved = ports.get(`${gateway.namespace}/${gateway.name}`);
          // Ports the data plane does not serve (their listeners are not valid) get no Service port.
          const served = gateway.ports.flatMap((p) => {
            const targetPort = moved?.get(p.port);
            return targetPort === undefined ? [] : [{ ...p, targetPort }];
          });
          return served.length === 0 ? [] : [sharedGatewayService(dataPlaneClass, { ...gateway, ports: served }, kube ?? {})];
        }),
      ],
    });
  }
  return out;
}

export class DataPlaneDeployer {
  /** Per object "Kind/namespace/name": the JSON last applied. */
  private readonly applied = new Map<string, string>();
  /** Per data plane (a Gateway "namespace/name", or sharedDataPlaneName(class)): its token, and the objects it has. */
  private readonly gateways = new Map<string, { token: string; objects: string[] }>();
  /** Shared mode: whether this leadership has swept the namespace yet. */
  private swept = false;
  private enabled = false;
  private running: Promise<void> = Promise.resolve();
  private pending: { graph: Graph; ir: IR } | undefined;
  /** The last translation synced, tried again after a failed write. */
  private last: { graph: Graph; ir: IR } | undefined;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Set by apply and remove when the API server did not take a write. */
  private failed = false;

  constructor(private readonly options: DeployerOptions) {}

  /** Only the leader deploys; a replica that becomes leader applies everything once. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) {
      this.applied.clear();
      this.swept = false;
    }
  }

  /** The tokens data planes show, per data plane (a Gateway "namespace/name", or sharedDataPlaneName(class)). */
  tokenOf(dataPlane: string): string | undefined {
    return this.gateways.get(dataPlane)?.token;
  }

  /**
   * Brings the API server in line with a translation (its graph, and in shared mode its IR, which
   * says which data plane port each Gateway port was moved to); calls made while one runs coalesce.
   */
  sync(graph: Graph, ir: IR = { gateways: [] }): Promise<void> {
    this.pending = { graph, ir };
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
      if (this.last && !this.pending) void this.sync(this.last.graph, this.last.ir);
    }, delay);
    this.retryTimer.unref();
  }

  /** Stops retrying (the controller is closing). */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.enabled = false;
  }

  private async syncNow({ graph, ir }: { graph: Graph; ir: IR }): Promise<void> {
    const units = this.options.sharedNamespace !== undefined ? sharedUnits(graph, ir, this.options.sharedNamespace) : perGatewayUnits(graph);
    const keep = new Set<string>();
    for (const unit of units) {
      keep.add(unit.key);
      const token = await this.token(unit.key, unit.namespace, `${unit.objectName}-token`);
      if (token === undefined) {
        this.failed = true;
        continue;
      }
      const objects = unit.objects({
        image: this.options.image,
        controllerUrl: this.options.controllerUrl,
        token,
        ...(this.options.caPem ? { caPem: this.options.caPem } : {}),
        ...(this.options.routeMetrics ? { routeMetrics: this.options.routeMetrics } : {}),
      });
      const names = objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
      const before = this.gateways.get(unit.key);
      this.gateways.set(unit.key, { token, objects: names });
      for (const o of objects) await this.apply(o);
      // A PodDisruptionBudget, autoscaler or Gateway Service no longer asked for.
      for (const gone of before?.objects.filter((n) => !names.includes(n)) ?? []) await this.remove(gone);
    }
    for (const [key, state] of this.gateways) {
      if (keep.has(key)) continue;
      this.gateways.delete(key);
      for (const name of state.objects) await this.remove(name);
    }
    if (this.options.sharedNamespace !== undefined && !this.swept && !this.failed) await this.sweep(this.options.sharedNamespace);
  }

  /**
   * Deletes the data plane objects of the shared namespace that nothing wants: a controller that
   * stopped before deleting a Gateway's Service leaves it behind, and its owner (the class) lives on.
   */
  private async sweep(namespace: string): Promise<void> {
    const wanted = new Set([...this.gateways.values()].flatMap((g) => g.objects));
    for (const type of Object.values(TYPES)) {
      const path = collectionPath(type, type.version, namespace);
      let items: KubeObject[];
      try {
        const r = await this.options.transport.request({ method: 'GET', path, query: { labelSelector: `app.kubernetes.io/managed-by=portico,app.kubernetes.io/name=${DATA_PLANE_APP}` } });
        if (r.status !== 200) {
          this.options.logger.warn({ kind: type.kind, status: r.status }, 'cannot list data plane objects to sweep; will try again');
          return;
        }
        items = (r.body as { items?: KubeObject[] } | undefined)?.items ?? [];
      } catch (err) {
        this.options.logger.warn({ kind: type.kind, err: (err as Error).message }, 'cannot list data plane objects to sweep; will try again');
        return;
      }
      for (const o of items) {
        const key = `${type.kind}/${namespace}/${o.metadata.name}`;
        if (wanted.has(key)) continue;
        this.options.logger.info({ object: key }, 'deleting a data plane object nothing wants any more');
        await this.remove(key);
      }
    }
    this.swept = true;
  }

  /** A data plane's token: the one its Secret already holds, or a new one. */
  private async token(key: string, namespace: string, secret: string): Promise<string | undefined> {
    const known = this.gateways.get(key)?.token;
    if (known) return known;
    const path = objectPath(TYPES.Secret as ResourceType, 'v1', namespace, secret);
    try {
      const r = await this.options.transport.request({ method: 'GET', path });
      const data = (r.body as { data?: { token?: string } } | undefined)?.data;
      if (r.status === 200 && data?.token) return Buffer.from(data.token, 'base64').toString('utf8');
      if (r.status !== 404) {
        this.options.logger.warn({ dataPlane: key, status: r.status }, 'cannot read the data plane token Secret; will retry');
        return undefined;
      }
    } catch (err) {
      this.options.logger.warn({ dataPlane: key, err: (err as Error).message }, 'cannot read the data plane token Secret; will retry');
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

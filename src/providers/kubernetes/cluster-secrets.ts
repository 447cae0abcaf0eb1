/**
 * Workload clusters declared as Secrets (`portico controller --cluster-secrets`): each Secret of
 * the controller's namespace labelled `portico.dev/cluster: NAME` holds a kubeconfig under the key
 * `kubeconfig`. Adding, changing or deleting such a Secret adds, reconnects or removes the cluster
 * while the controller runs; flags (--cluster) take precedence over a Secret of the same name.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../api/object.js';
import type { Logger } from '../../log.js';
import type { ReflectorTuning } from './cluster-cache.js';
import { credentialsFromKubeconfig, type ApiCredentials } from './kubeconfig.js';
import type { ResourceType } from './paths.js';
import { Reflector } from './reflector.js';
import { HttpTransport, type KubeTransport } from './transport.js';
import type { WorkloadClusterSettings } from './multicluster-sync.js';

export const CLUSTER_SECRET_LABEL = 'portico.dev/cluster';
export const CLUSTER_SECRET_KEY = 'kubeconfig';

const SECRET_TYPE: ResourceType = { kind: 'Secret', group: '', plural: 'secrets', namespaced: true, versions: ['v1'] };
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export interface ClusterTarget {
  setCluster(settings: WorkloadClusterSettings): Promise<void>;
  removeCluster(name: string): Promise<void>;
}

export interface ClusterSecretsOptions {
  transport: KubeTransport;
  namespace: string;
  logger: Logger;
  /** Names given by --cluster: a Secret cannot replace them. */
  reserved: ReadonlySet<string>;
  target: ClusterTarget;
  tuning?: ReflectorTuning;
  /** Default: HTTP with the credentials. */
  makeTransport?: (credentials: ApiCredentials) => KubeTransport;
}

/** Only the label and the kubeconfig are kept: nothing else of a Secret stays in memory. */
function decodeClusterSecret(raw: unknown): KubeObject | undefined {
  const o = raw as { metadata?: { name?: unknown; namespace?: string; resourceVersion?: string; labels?: Record<string, string> }; data?: Record<string, unknown> } | null;
  if (!o || typeof o.metadata?.name !== 'string') return undefined;
  const kubeconfig = o.data?.[CLUSTER_SECRET_KEY];
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: o.metadata.name,
      ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
      ...(o.metadata.resourceVersion ? { resourceVersion: o.metadata.resourceVersion } : {}),
      labels: { [CLUSTER_SECRET_LABEL]: o.metadata.labels?.[CLUSTER_SECRET_LABEL] ?? '' },
    },
    ...(typeof kubeconfig === 'string' ? { data: { [CLUSTER_SECRET_KEY]: kubeconfig } } : {}),
  };
}

export class ClusterSecrets {
  private readonly reflector: Reflector;
  /** Cluster name → hash of the kubeconfig it was started with. */
  private readonly current = new Map<string, string>();
  /** What was last logged per Secret, so that a problem is reported once, not on every change. */
  private readonly reported = new Map<string, string>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: ClusterSecretsOptions) {
    this.reflector = new Reflector({
      transport: options.transport,
      type: SECRET_TYPE,
      namespace: options.namespace,
      logger: options.logger,
      labelSelector: CLUSTER_SECRET_LABEL,
      decode: (raw) => decodeClusterSecret(raw),
      onChange: () => (this.chain = this.chain.then(() => this.apply())),
      ...options.tuning,
    });
  }

  start(): void {
    this.reflector.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.reflector.stop();
    await this.chain;
  }

  private report(secret: string, problem: string | undefined): void {
    if (problem === undefined) {
      this.reported.delete(secret);
      return;
    }
    if (this.reported.get(secret) === problem) return;
    this.reported.set(secret, problem);
    this.options.logger.warn({ secret }, problem);
  }

  private async apply(): Promise<void> {
    if (this.stopped) return;
    const { namespace, reserved, target, logger } = this.options;
    const wanted = new Map<string, { secret: string; text: string }>();
    const secrets = [...this.reflector.objects()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    for (const s of secrets) {
      const where = `Secret ${namespace}/${s.metadata.name}`;
      const name = s.metadata.labels?.[CLUSTER_SECRET_LABEL] ?? '';
      const data = (s.data as Record<string, string> | undefined)?.[CLUSTER_SECRET_KEY];
      let problem: string | undefined;
      if (!CLUSTER_NAME.test(name)) problem = `${where}: label ${CLUSTER_SECRET_LABEL}="${name}" is not a cluster name (lower-case letters, digits and '-', at most 63); ignored`;
      else if (reserved.has(name)) problem = `${where}: cluster ${name} is given by --cluster already; the Secret is ignored`;
      else if (wanted.has(name)) problem = `${where}: cluster ${name} is declared by Secret ${namespace}/${wanted.get(name)?.secret ?? ''} already; ignored`;
      else if (data === undefined) problem = `${where}: no key "${CLUSTER_SECRET_KEY}" holding a kubeconfig; ignored`;
      this.report(s.metadata.name, problem);
      if (problem === undefined && data !== undefined) wanted.set(name, { secret: s.metadata.name, text: Buffer.from(data, 'base64').toString('utf8') });
    }
    for (const [name, { secret, text }] of wanted) {
      const hash = createHash('sha256').update(text).digest('hex');
      if (this.current.get(name) === hash) continue;
      let credentials: ApiCredentials;
      try {
        credentials = credentialsFromKubeconfig(text, `Secret ${namespace}/${secret} key ${CLUSTER_SECRET_KEY}`);
      } catch (err) {
        // A broken update leaves a running cluster on the credentials it had.
        this.report(secret, `cannot use ${(err as Error).message}`);
        continue;
      }
      this.current.set(name, hash);
      logger.info({ cluster: name, secret }, `cluster ${name}: read from Secret ${namespace}/${secret}`);
      await target.setCluster({ name, transport: (this.options.makeTransport ?? ((c) => new HttpTransport(c)))(credentials) });
    }
    for (const name of [...this.current.keys()]) {
      if (wanted.has(name)) continue;
      this.current.delete(name);
      logger.info({ cluster: name }, `cluster ${name}: its Secret is gone; it leaves the cluster set`);
      await target.removeCluster(name);
    }
  }
}

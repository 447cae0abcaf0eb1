import { haproxyRuleProblem } from '../haproxy/capabilities.js';
import type { ApiCredentials } from '../providers/kubernetes/kubeconfig.js';
import { GATEWAY_GROUP, MULTICLUSTER_GROUP, PORTICO_GROUP } from '../api/kinds.js';
import { startAdminServer, type AdminServer } from '../admin/server.js';
import type { Logger } from '../log.js';
import { isDataPlaneMetricsSource, Metrics } from '../metrics.js';
import { translate as coreTranslate } from '../pipeline/translate.js';
import { installedBundle } from '../providers/kubernetes/bundle-version.js';
import { ClusterCache, type ReflectorTuning } from '../providers/kubernetes/cluster-cache.js';
import { CRD_TYPE, decodeGatewayCrd } from '../providers/kubernetes/decode.js';
import { LeaderElector, type LeaderElectionOptions } from '../providers/kubernetes/leader.js';
import { KubeMetrics } from '../providers/kubernetes/metrics.js';
import { previousStatusFromObjects } from '../providers/kubernetes/previous-status.js';
import { onlyStatusEchoes } from '../providers/kubernetes/status-echo.js';
import { StatusWriter } from '../providers/kubernetes/status-writer.js';
import { HttpTransport, type KubeTransport } from '../providers/kubernetes/transport.js';
import type { ResourceSet } from '../store/resources.js';
import { NullDataPlane, type DataPlane } from './dataplane.js';
import type { BindPolicy } from '../graph/bind-policy.js';
import { localAddresses } from './local-addresses.js';
import { Runtime, type TranslateFn } from './runtime.js';
import { readFileSync } from 'node:fs';
import { DataPlaneDeployer } from './data-plane-deployer.js';
import { RemoteDataPlanes } from './remote-data-planes.js';
import { channelCertificate } from './channel-certificate.js';
import { MultiClusterSync } from '../providers/kubernetes/multicluster-sync.js';
import { isManaged } from '../multicluster/plan.js';
import { ClusterSecrets } from '../providers/kubernetes/cluster-secrets.js';

/** The Lease and its timing; credentials, logger and transport are the controller's own. */
export type LeaderElectionSettings = Omit<LeaderElectionOptions, 'kubeConfig' | 'logger' | 'transport'>;

export interface ControllerOptions {
  kubeConfig: ApiCredentials;
  /** Namespaced kinds are read from these namespaces only; default (empty) every namespace. */
  namespaces?: readonly string[];
  admin: { host: string; port: number };
  /** Also serve /healthz and /readyz alone here (see startAdminServer). */
  health?: { host: string; port: number };
  /** What the cluster admin lets Gateways bind; default anything of this host. */
  bindPolicy?: BindPolicy;
  /** Where access logs may write files (--access-log-dir). */
  accessLogDir?: string;
  addressPool: string;
  logger: Logger;
  /** Default: a NullDataPlane that reports rules as HAProxy would. */
  dataPlane?: DataPlane;
  metrics?: Metrics;
  /** False: write status without electing a leader (a single replica). */
  leaderElection: LeaderElectionSettings | false;
  /** Snapshot debounce: quiet time (default 20 ms) and longest wait (default 250 ms). */
  quietMs?: number;
  maxWaitMs?: number;
  /** Reconnection and re-list timing (tests shorten it). */
  tuning?: ReflectorTuning;
  /** Status writes in flight at once; default 64. */
  statusConcurrency?: number;
  /** Default: HTTP with the kubeconfig's credentials. */
  transport?: KubeTransport;
  /**
   * Deployment mode per-gateway: each Gateway gets a data plane of its own (Deployment, Service,
   * ...), configured over the channel; `dataPlane` is then not used. Absent: host mode.
   */
  perGateway?: PerGatewaySettings;
  /** Workload clusters whose ServiceExports become ServiceImports here (docs/multicluster.md). */
  multiCluster?: MultiClusterSettings;
}

export interface MultiClusterSettings {
  clusters: readonly { name: string; kubeConfig: ApiCredentials }[];
  /** How long an unreachable cluster's endpoints are kept. */
  graceMs: number;
  /** Pause between probes of each workload API server; default 5 s. */
  probeIntervalMs?: number;
  /** Also the clusters of Secrets labelled portico.dev/cluster in this namespace. */
  secretNamespace?: string;
}

export interface PerGatewaySettings {
  /** The image of the data plane pods. */
  image: string;
  /** Where the data plane pods reach the channel. */
  controllerUrl: string;
  /** Where the channel listens. */
  listen: { host: string; port: number };
  /**
   * The channel's certificate and key, and the CA that vouches for it (given to the data planes);
   * 'self-issued': one Portico makes and keeps in the Secret portico-channel-tls of `namespace`;
   * absent: plain HTTP.
   */
  tls?: { certFile: string; keyFile: string; caFile?: string } | 'self-issued';
  /** The controller's namespace (where the self-issued certificate is kept). */
  namespace?: string;
  /** How long the channel holds a poll without news (tests shorten it). */
  holdMs?: number;
  /** Per-route series on each data plane's /metrics (the controller's --route-metrics, --route-latency-histograms). */
  routeMetrics?: 'counters' | 'histograms';
  /**
   * Deployment mode shared: one data plane per GatewayClass, in `namespace`, serving every
   * Gateway of the class, each through a Service of its own.
   */
  shared?: boolean;
}

export interface RunningController {
  admin: AdminServer;
  /** Per-gateway mode: the channel's URL and its data planes' state, and the deployer. */
  channel?: { url: string; planes: RemoteDataPlanes; deployer: DataPlaneDeployer };
  runtime: Runtime;
  cache: ClusterCache;
  status: StatusWriter;
  metrics: Metrics;
  kubeMetrics: KubeMetrics;
  multiCluster?: MultiClusterSync;
  /** Resolves once every kind has been listed and the first translation is applied. */
  ready: Promise<void>;
  isLeader(): boolean;
  close(): Promise<void>;
}

/**
 * `portico controller` without the CLI: reflectors on the API server → snapshots → runtime →
 * data plane (on every replica), and status written back by the leader. The admin API starts
 * first so /healthz answers while the caches fill.
 */
export async function startController(options: ControllerOptions): Promise<RunningController> {
  const { logger } = options;
  const metrics = options.metrics ?? new Metrics();
  const kubeMetrics = new KubeMetrics(metrics.registry);
  if (isDataPlaneMetricsSource(options.dataPlane)) metrics.watchDataPlane(options.dataPlane);
  const transport = options.transport ?? new HttpTransport(options.kubeConfig);
  const perGateway = options.perGateway;
  // Where the channel certificate is kept and, in shared mode, where the data planes run.
  const dataPlaneNamespace = perGateway?.namespace ?? 'portico-system';
  const channelTls =
    perGateway?.tls === 'self-issued'
      ? await channelCertificate({ transport, namespace: dataPlaneNamespace, controllerUrl: perGateway.controllerUrl, logger })
      : perGateway?.tls;
  const deployer = perGateway
    ? new DataPlaneDeployer({
        transport,
        logger,
        image: perGateway.image,
        controllerUrl: perGateway.controllerUrl,
        ...(channelTls?.caFile ? { caPem: readFileSync(channelTls.caFile, 'utf8') } : {}),
        ...(perGateway.shared ? { sharedNamespace: dataPlaneNamespace } : {}),
        ...(perGateway.routeMetrics ? { routeMetrics: perGateway.routeMetrics } : {}),
      })
    : undefined;
  // Set once the runtime exists: a data plane's report asks for a new translation.
  let onStateChange = (): void => undefined;
  const planes =
    perGateway && deployer
      ? new RemoteDataPlanes({
          logger,
          checkRule: haproxyRuleProblem,
          tokenOf: (dataPlane) => deployer.tokenOf(dataPlane),
          mode: perGateway.shared ? 'shared' : 'per-gateway',
          listen: perGateway.listen,
          ...(channelTls ? { tls: channelTls } : {}),
          ...(perGateway.holdMs !== undefined ? { holdMs: perGateway.holdMs } : {}),
          onStateChange: () => onStateChange(),
        })
      : undefined;
  const channelUrl = planes ? await planes.start() : undefined;
  const dataPlane = planes ?? options.dataPlane ?? new NullDataPlane(haproxyRuleProblem);

  // Read at translation time: set from the CRDs with each snapshot, before the runtime sees it.
  let bundleVersion: string | null | undefined;
  const translate: TranslateFn = (resources, translateOptions) =>
    coreTranslate(resources, {
      ...translateOptions,
      installedBundleVersion: bundleVersion,
      previousStatus: previousStatusFromObjects(resources, translateOptions.previousStatus),
    });
  const runtime = new Runtime({
    addressPool: options.addressPool,
    dataPlane,
    logger,
    metrics,
    translate,
    localAddresses: localAddresses(),
    bindPolicy: options.bindPolicy,
    ...(options.accessLogDir ? { accessLogDir: options.accessLogDir } : {}),
    ...(perGateway ? { addressSource: perGateway.shared ? { shared: dataPlaneNamespace } : ('service' as const) } : {}),
  });
  const admin = await startAdminServer({ ...options.admin, health: options.health, view: runtime, metrics, logger });
  logger.info({ url: admin.url }, `admin API listening on ${admin.url}`);

  const status = new StatusWriter({
    transport,
    logger,
    metrics: kubeMetrics,
    concurrency: options.statusConcurrency,
    lookup: (kind, namespace, name) => cache.lookup(kind, namespace, name),
    offer: (kind, namespace, name, raw, staleVersion) => void cache.reflectorFor(kind, namespace)?.offer(raw, staleVersion),
  });

  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  let crdSignature = '';
  let lastBundle = '';
  let applying: Promise<void> = Promise.resolve();

  /** The newest snapshot, status echoes included: what a data plane's report is applied against. */
  let latest: ResourceSet | undefined;
  const onSnapshot = (resources: ResourceSet): void => {
    latest = resources;
    multiCluster?.configChanged();
    const crds = cache.extraObjects(CRD_TYPE.kind);
    const signature = crds.map((c) => `${c.metadata.name}@${c.metadata.resourceVersion ?? ''}`).sort().join(',');
    const crdsChanged = signature !== crdSignature;
    if (crdsChanged) {
      crdSignature = signature;
      // A Gateway API or Portico CRD appeared or changed (became Established): look for missing kinds now.
      cache.pokeAbsent();
      const bundle = installedBundle(crds);
      bundleVersion = bundle.version;
      const text = `${String(bundle.version)} ${bundle.mismatched.join(' ')}`;
      if (text !== lastBundle) {
        lastBundle = text;
        if (bundle.version !== undefined) logger.info({ bundleVersion: bundle.version }, `installed Gateway API CRDs: ${bundle.version ?? 'no bundle-version annotation'}`);
        if (bundle.mismatched.length) logger.warn({ mismatched: bundle.mismatched }, 'the installed Gateway API CRDs are not all of one bundle version');
      }
    }
    // The watch's echoes of our own status writes change nothing a translation reads. Only while
    // no other snapshot is being processed: that one would hand the writer an older snapshot after this.
    const current = runtime.current;
    if (!crdsChanged && current && !runtime.busy && onlyStatusEchoes(current.resources, resources, current.translation.status)) {
      kubeMetrics.echoSnapshots.inc();
      status.update(resources, current.translation.status);
      return;
    }
    applying = apply(resources);
  };
  const apply = (resources: ResourceSet): Promise<void> =>
    runtime.update(resources).then(
      () => {
        const state = runtime.current;
        if (!state) return;
        resolveReady();
        status.update(state.resources, state.translation.status);
        void deployer?.sync(state.translation.graph, state.translation.ir);
      },
      (err: unknown) => logger.error({ err }, 'applying a snapshot failed'),
    );
  // A data plane's report changes its Gateway's Programmed condition: the same snapshot again.
  onStateChange = () => {
    if (latest) applying = apply(latest);
  };

  // Declared after the callbacks above, which only run once it has started.
  const cache: ClusterCache = new ClusterCache({
    transport,
    logger,
    namespaces: options.namespaces,
    extra: [{ type: CRD_TYPE, decode: (raw) => decodeGatewayCrd(raw, [GATEWAY_GROUP, PORTICO_GROUP, MULTICLUSTER_GROUP]) }],
    onSnapshot,
    quietMs: options.quietMs,
    maxWaitMs: options.maxWaitMs,
    tuning: options.tuning,
    metrics: kubeMetrics,
  });
  const mc = options.multiCluster;
  const multiCluster = mc
    ? new MultiClusterSync({
        clusters: mc.clusters.map((c) => ({ name: c.name, transport: new HttpTransport(c.kubeConfig) })),
        transport,
        existing: () => ({
          imports: cache.objects('ServiceImport'),
          slices: cache.objects('EndpointSlice').filter(isManaged),
          namespaces: new Set(cache.objects('Namespace').map((n) => n.metadata.name)),
        }),
        graceMs: mc.graceMs,
        ...(mc.probeIntervalMs !== undefined ? { probeIntervalMs: mc.probeIntervalMs } : {}),
        ...(options.namespaces?.length ? { namespaces: options.namespaces } : {}),
        logger,
        registry: metrics.registry,
        ...(options.tuning ? { tuning: options.tuning } : {}),
      })
    : undefined;
  multiCluster?.start();
  const clusterSecrets =
    multiCluster && mc?.secretNamespace !== undefined
      ? new ClusterSecrets({ transport, namespace: mc.secretNamespace, logger, reserved: new Set(mc.clusters.map((c) => c.name)), target: multiCluster, ...(options.tuning ? { tuning: options.tuning } : {}) })
      : undefined;
  clusterSecrets?.start();
  if (options.namespaces?.length) logger.info({ namespaces: options.namespaces }, 'watching namespaced kinds in these namespaces only');
  cache.start();

  let elector: LeaderElector | undefined;
  const lead = (leading: boolean): void => {
    kubeMetrics.leader.set(leading ? 1 : 0);
    logger.info(leading ? 'leading: this replica writes status' : 'not leading: status is left to the leader');
    status.setEnabled(leading);
    deployer?.setEnabled(leading);
    multiCluster?.setEnabled(leading);
    const state = runtime.current;
    if (leading && state) void deployer?.sync(state.translation.graph, state.translation.ir);
  };
  if (options.leaderElection) {
    elector = new LeaderElector({ kubeConfig: options.kubeConfig, ...options.leaderElection, logger });
    elector.start({ onStartedLeading: () => lead(true), onStoppedLeading: () => lead(false) });
  } else {
    lead(true);
  }

  return {
    admin,
    runtime,
    cache,
    status,
    metrics,
    kubeMetrics,
    ...(multiCluster ? { multiCluster } : {}),
    ready,
    isLeader: () => status.isEnabled,
    ...(planes && deployer && channelUrl ? { channel: { url: channelUrl, planes, deployer } } : {}),
    async close() {
      status.close();
      deployer?.close();
      // Released first, so another replica can take over while this one winds down.
      await elector?.stop();
      await clusterSecrets?.stop();
      await multiCluster?.close();
      await cache.stop();
      await applying;
      transport.close();
      await admin.close();
      await dataPlane.close();
    },
  };
}

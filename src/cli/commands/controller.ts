import os from 'node:os';
import { createLogger } from '../../log.js';
import { loadKubeConfig } from '../../providers/kubernetes/kubeconfig.js';
import { startController } from '../../runtime/controller-app.js';
import { serveUntilStopped } from '../data-plane.js';
import type { CliIO } from '../io.js';
import { bindPolicyOf, type ClusterFlag, type ServeOptions } from '../options.js';
import type { ApiCredentials } from '../../providers/kubernetes/kubeconfig.js';

export interface ControllerCliOptions extends ServeOptions {
  kubeconfig?: string;
  namespace?: string[];
  leaderElectionNamespace?: string;
  leaderElectionId: string;
  /** --no-leader-election makes it false. */
  leaderElection: boolean;
  identity?: string;
  deploymentMode: 'host' | 'per-gateway' | 'shared';
  dataplaneImage: string;
  dataplaneListen: { host: string; port: number };
  dataplaneControllerUrl?: string;
  dataplaneTlsCert?: string;
  dataplaneTlsKey?: string;
  dataplaneTlsCa?: string;
  dataplaneInsecure?: boolean;
  /** --cluster NAME=KUBECONFIG, repeatable. */
  cluster?: ClusterFlag[];
  /** --cluster-grace-period in ms. */
  clusterGracePeriod: number;
  /** --cluster-secrets: workload clusters also from labelled Secrets of the controller's namespace. */
  clusterSecrets?: boolean;
}

/** Runs until SIGINT/SIGTERM, then shuts down cleanly (releasing the Lease) and returns 0. */
export async function controllerCommand(options: ControllerCliOptions, io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if ((options.dataplaneTlsCert === undefined) !== (options.dataplaneTlsKey === undefined)) {
    io.stderr('error: --dataplane-tls-cert and --dataplane-tls-key go together\n');
    return 2;
  }
  // Workload clusters first: a bad --cluster is a usage error whatever the main kubeconfig.
  const clusters: { name: string; kubeConfig: ApiCredentials }[] = [];
  const names = (options.cluster ?? []).map((c) => c.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    io.stderr(`error: --cluster ${twice} is given twice; each workload cluster needs a name of its own\n`);
    return 2;
  }
  for (const c of options.cluster ?? []) {
    try {
      clusters.push({ name: c.name, kubeConfig: loadKubeConfig(c.kubeconfig, env) });
    } catch (err) {
      io.stderr(`error: --cluster ${c.name}=${c.kubeconfig}: cannot read the kubeconfig: ${(err as Error).message}\n`);
      return 2;
    }
  }
  const logger = createLogger({ level: options.logLevel, format: options.logFormat, destination: io.logDestination });
  let kubeConfig;
  try {
    kubeConfig = loadKubeConfig(options.kubeconfig, env);
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n`);
    return 2;
  }
  // per-gateway and shared: this process runs no HAProxy, the data planes are pods of their own.
  const perGateway = options.deploymentMode !== 'host';
  const namespace = env.POD_NAMESPACE || 'portico-system';
  const tls = options.dataplaneTlsCert && options.dataplaneTlsKey
    ? { certFile: options.dataplaneTlsCert, keyFile: options.dataplaneTlsKey, ...(options.dataplaneTlsCa ? { caFile: options.dataplaneTlsCa } : {}) }
    : options.dataplaneInsecure
      ? undefined
      : ('self-issued' as const);
  const stop = io.waitForStop();
  return serveUntilStopped(perGateway ? { ...options, dataPlane: 'none' } : options, logger, stop, (dataPlane) =>
    startController({
      kubeConfig,
      namespaces: options.namespace,
      admin: options.admin,
      ...(options.health ? { health: options.health } : {}),
      bindPolicy: bindPolicyOf(options),
      ...(options.accessLogDir ? { accessLogDir: options.accessLogDir } : {}),
      addressPool: options.addressPool,
      logger,
      dataPlane,
      ...(perGateway
        ? {
            perGateway: {
              image: options.dataplaneImage,
              listen: options.dataplaneListen,
              controllerUrl: options.dataplaneControllerUrl ?? `${tls ? 'https' : 'http'}://portico.${namespace}.svc:${options.dataplaneListen.port}`,
              ...(tls ? { tls } : {}),
              namespace,
              ...(options.deploymentMode === 'shared' ? { shared: true } : {}),
              ...(options.routeLatencyHistograms ? { routeMetrics: 'histograms' as const } : options.routeMetrics ? { routeMetrics: 'counters' as const } : {}),
            },
          }
        : {}),
      ...(clusters.length || options.clusterSecrets
        ? { multiCluster: { clusters, graceMs: options.clusterGracePeriod, ...(options.clusterSecrets ? { secretNamespace: namespace } : {}) } }
        : {}),
      leaderElection: options.leaderElection
        ? {
            namespace: options.leaderElectionNamespace ?? (env.POD_NAMESPACE || 'portico-system'),
            name: options.leaderElectionId,
            identity: options.identity ?? `${os.hostname()}_${process.pid}`,
          }
        : false,
    }),
  );
}

import { haproxyRuleProblem } from '../haproxy/capabilities.js';
import { startAdminServer, type AdminServer } from '../admin/server.js';
import type { Logger } from '../log.js';
import { isDataPlaneMetricsSource, Metrics } from '../metrics.js';
import { FileProvider, type LoadResult, type ObjectValidator } from '../providers/file/index.js';
import { ObjectStore } from '../store/store.js';
import { NullDataPlane, type DataPlane } from './dataplane.js';
import { LoadReporter } from './load-report.js';
import type { BindPolicy } from '../graph/bind-policy.js';
import { localAddresses } from './local-addresses.js';
import { Runtime, type TranslateFn } from './runtime.js';

export interface PorticoOptions {
  paths: readonly string[];
  admin: { host: string; port: number };
  /** Also serve /healthz and /readyz alone here (see startAdminServer). */
  health?: { host: string; port: number };
  /** What the cluster admin lets Gateways bind; default anything of this host. */
  bindPolicy?: BindPolicy;
  /** Where access logs may write files (--access-log-dir). */
  accessLogDir?: string;
  addressPool: string;
  validator: ObjectValidator;
  logger: Logger;
  /** Default: a NullDataPlane that reports rules as HAProxy would. */
  dataPlane?: DataPlane;
  translate?: TranslateFn;
  metrics?: Metrics;
  debounceMs?: number;
}

export interface RunningPortico {
  admin: AdminServer;
  runtime: Runtime;
  provider: FileProvider;
  /** Resolves once the first snapshot has been translated and applied. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * `portico run` without the CLI: file provider → store → runtime → data plane, with the admin
 * API reading the runtime. The admin API starts first so /healthz answers while loading.
 */
export async function startPortico(options: PorticoOptions): Promise<RunningPortico> {
  const { logger } = options;
  const metrics = options.metrics ?? new Metrics();
  const dataPlane = options.dataPlane ?? new NullDataPlane(haproxyRuleProblem);
  if (isDataPlaneMetricsSource(dataPlane)) metrics.watchDataPlane(dataPlane);
  const store = new ObjectStore();
  const runtime = new Runtime({
    addressPool: options.addressPool,
    dataPlane,
    logger,
    metrics,
    translate: options.translate,
    localAddresses: localAddresses(),
    bindPolicy: options.bindPolicy,
    ...(options.accessLogDir ? { accessLogDir: options.accessLogDir } : {}),
  });
  const admin = await startAdminServer({ ...options.admin, health: options.health, view: runtime, metrics, logger });
  logger.info({ url: admin.url }, `admin API listening on ${admin.url}`);

  const reporter = new LoadReporter(logger);
  const accept = (result: LoadResult, first: boolean): Promise<void> => {
    reporter.report(result);
    metrics.invalidObjects.set(result.problems.length);
    const snapshot = store.update(result.objects, result.sources);
    // The first load is translated even when empty: readiness means "first translation applied".
    if (snapshot || first) return runtime.update(snapshot ?? store.current);
    return Promise.resolve();
  };

  const provider = new FileProvider({ paths: options.paths, validator: options.validator, debounceMs: options.debounceMs });
  let ready: Promise<void>;
  try {
    const first = await provider.watch({
      onLoad: (result) => void accept(result, false),
      onError: (err) => logger.error({ err }, err.message),
    });
    ready = accept(first, true);
  } catch (err) {
    provider.close();
    await admin.close();
    throw err;
  }

  return {
    admin,
    runtime,
    provider,
    ready,
    async close() {
      provider.close();
      // A snapshot still being processed would hand the data plane a configuration after it
      // closed, and start an HAProxy no one stops.
      await runtime.idle();
      await admin.close();
      await dataPlane.close();
    },
  };
}

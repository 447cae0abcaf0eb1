import os from 'node:os';
import { createLogger, type LogFormat, type LogLevel } from '../../log.js';
import { DataPlaneAgent } from '../../runtime/dataplane-agent.js';
import { HaproxyDataPlane } from '../../haproxy/dataplane.js';
import { sharedDataPlaneName } from '../../ir/shared-data-plane.js';
import { isDataPlaneMetricsSource, Metrics } from '../../metrics.js';
import { serveUntilStopped } from '../data-plane.js';
import type { CliIO } from '../io.js';

export interface DataPlaneCliOptions {
  gateway?: string;
  gatewayClass?: string;
  controller: string;
  tokenFile: string;
  caFile?: string;
  bindAddress?: string;
  replica?: string;
  health: { host: string; port: number };
  stateDir?: string;
  haproxy?: string;
  routeMetrics?: boolean;
  routeLatencyHistograms?: boolean;
  logLevel: LogLevel;
  logFormat?: LogFormat;
}

/** `portico dataplane`: runs until SIGINT/SIGTERM; 0 after a clean stop, 1 when start-up failed, 2 for bad usage. */
export async function dataplaneCommand(options: DataPlaneCliOptions, io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if ((options.gateway === undefined) === (options.gatewayClass === undefined)) {
    io.stderr('error: give one of --gateway (per-gateway mode) and --gateway-class (shared mode)\n');
    return 2;
  }
  if (options.gateway !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(options.gateway)) {
    io.stderr(`error: --gateway "${options.gateway}" is not namespace/name\n`);
    return 2;
  }
  const target = options.gateway ?? sharedDataPlaneName(options.gatewayClass ?? '');
  const logger = createLogger({ level: options.logLevel, format: options.logFormat, destination: io.logDestination }).child(options.gateway ? { gateway: options.gateway } : { gatewayClass: options.gatewayClass });
  const stop = io.waitForStop();
  const serve = { admin: { host: '127.0.0.1', port: 0 }, addressPool: '', logLevel: options.logLevel, dataPlane: 'haproxy' as const, ...(options.stateDir ? { stateDir: options.stateDir } : {}), ...(options.haproxy ? { haproxy: options.haproxy } : {}), ...(options.routeMetrics ? { routeMetrics: true } : {}), ...(options.routeLatencyHistograms ? { routeLatencyHistograms: true } : {}) };
  return serveUntilStopped(serve, logger, stop, async (dataPlane) => {
    // HAProxy's reloads, runtime API updates and restarts always; route series with --route-metrics.
    const metrics = new Metrics();
    if (isDataPlaneMetricsSource(dataPlane)) metrics.watchDataPlane(dataPlane);
    const agent = new DataPlaneAgent({
      gateway: target,
      controllerUrl: options.controller,
      tokenFile: options.tokenFile,
      ...(options.caFile ? { caFile: options.caFile } : {}),
      bindAddress: options.bindAddress ?? (env.POD_IP || '0.0.0.0'),
      replica: options.replica ?? (env.POD_NAME || os.hostname()),
      dataPlane,
      logger,
      health: options.health,
      metrics,
      ...(dataPlane instanceof HaproxyDataPlane ? { counters: () => ({ ...dataPlane.counters }) } : {}),
    });
    const url = await agent.start();
    logger.info({ url }, `data plane health on ${url}`);
    return agent;
  });
}

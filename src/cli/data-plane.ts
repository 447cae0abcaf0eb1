import { haproxyRuleProblem } from '../haproxy/capabilities.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveHaproxy } from '../haproxy/binary.js';
import { HaproxyDataPlane } from '../haproxy/dataplane.js';
import { DEFAULT_LATENCY_BUCKETS_MS } from '../haproxy/route-metrics.js';
import type { Logger } from '../log.js';
import { NullDataPlane, type DataPlane } from '../runtime/dataplane.js';
import type { ServeOptions } from './options.js';

/** The data plane for `run` and `controller`: HAProxy, checked before anything starts, or none. */
export async function createDataPlane(options: ServeOptions, logger: Logger): Promise<{ dataPlane: DataPlane; cleanup: () => void }> {
  if (options.dataPlane === 'none') return { dataPlane: new NullDataPlane(haproxyRuleProblem), cleanup: () => undefined };
  const binary = await resolveHaproxy(options.haproxy);
  logger.info({ haproxy: binary.path, version: binary.version }, `data plane: HAProxy ${binary.version}`);
  const owned = options.stateDir === undefined;
  // A fresh directory with a name no one can guess beforehand, 0700 (prepareStateDir checks it again).
  const stateDir = options.stateDir ?? mkdtempSync(path.join(os.tmpdir(), 'portico-'));
  return {
    dataPlane: new HaproxyDataPlane({
      stateDir,
      logger,
      binary: binary.path,
      routeMetrics: options.routeMetrics === true || options.routeLatencyHistograms === true,
      ...(options.routeLatencyHistograms ? { routeLatencyBucketsMs: DEFAULT_LATENCY_BUCKETS_MS } : {}),
    }),
    cleanup: () => {
      if (owned) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * `run` and `controller` alike: creates the data plane, starts the app on it, then waits for
 * SIGINT/SIGTERM (`stop`, listened for before starting, so a stop during start-up is not lost)
 * and shuts down cleanly. Returns the exit code: 0 after a clean stop, 1 when start-up failed.
 */
export async function serveUntilStopped(
  options: ServeOptions,
  logger: Logger,
  stop: Promise<string>,
  start: (dataPlane: DataPlane) => Promise<{ close(): Promise<void> }>,
): Promise<number> {
  let app;
  let plane;
  try {
    plane = await createDataPlane(options, logger);
    app = await start(plane.dataPlane);
  } catch (err) {
    logger.fatal({ err }, (err as Error).message);
    await plane?.dataPlane.close();
    plane?.cleanup();
    return 1;
  }
  const signal = await stop;
  logger.info(`${signal} received, shutting down`);
  await app.close();
  plane.cleanup();
  logger.info('stopped');
  return 0;
}

import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveHaproxy } from '../../haproxy/binary.js';
import { HaproxyDataPlane } from '../../haproxy/dataplane.js';
import { createLogger, type Logger, type LogLevel } from '../../log.js';
import { NullDataPlane, type DataPlane } from '../../runtime/dataplane.js';
import { startPortico } from '../../runtime/app.js';
import type { CliIO } from '../io.js';
import type { GatewayApiChannel, HostPort } from '../options.js';
import { missingPaths } from '../paths.js';
import { createValidator } from '../validator.js';

export interface RunOptions {
  filename: string[];
  admin: HostPort;
  addressPool: string;
  gatewayApiChannel: GatewayApiChannel;
  logLevel: LogLevel;
  /** haproxy (default) serves traffic; none computes status only. */
  dataPlane?: 'haproxy' | 'none';
  /** Where each Gateway's HAProxy keeps its sockets and generated files. */
  stateDir?: string;
  /** The haproxy binary; default the one on PATH (or /usr/sbin). */
  haproxy?: string;
}

/** The data plane for `run`: HAProxy, checked before anything starts, or none. */
async function createDataPlane(options: RunOptions, logger: Logger): Promise<{ dataPlane: DataPlane; cleanup: () => void }> {
  if (options.dataPlane === 'none') return { dataPlane: new NullDataPlane(), cleanup: () => undefined };
  const binary = await resolveHaproxy(options.haproxy);
  logger.info({ haproxy: binary.path, version: binary.version }, `data plane: HAProxy ${binary.version}`);
  const owned = options.stateDir === undefined;
  const stateDir = options.stateDir ?? path.join(os.tmpdir(), `portico-${process.pid}`);
  return {
    dataPlane: new HaproxyDataPlane({ stateDir, logger, binary: binary.path }),
    cleanup: () => {
      if (owned) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Runs until SIGINT/SIGTERM, then shuts down cleanly and returns 0. */
export async function runCommand(options: RunOptions, io: CliIO): Promise<number> {
  const missing = await missingPaths(options.filename);
  if (missing.length) {
    for (const m of missing) io.stderr(`error: ${m}\n`);
    return 2;
  }
  const logger = createLogger({ level: options.logLevel, destination: io.logDestination });
  // Listen for signals before starting, so a stop request during startup is not lost.
  const stop = io.waitForStop();
  let app;
  let plane;
  try {
    plane = await createDataPlane(options, logger);
    app = await startPortico({
      paths: options.filename,
      admin: options.admin,
      addressPool: options.addressPool,
      validator: createValidator(options.gatewayApiChannel),
      logger,
      dataPlane: plane.dataPlane,
    });
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

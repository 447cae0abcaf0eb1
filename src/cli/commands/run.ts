import { createLogger } from '../../log.js';
import { startPortico } from '../../runtime/app.js';
import { serveUntilStopped } from '../data-plane.js';
import type { CliIO } from '../io.js';
import { bindPolicyOf, type GatewayApiChannel, type ServeOptions } from '../options.js';
import { missingPaths } from '../paths.js';
import { createValidator } from '../validator.js';

export interface RunOptions extends ServeOptions {
  filename: string[];
  gatewayApiChannel: GatewayApiChannel;
}

/** Runs until SIGINT/SIGTERM, then shuts down cleanly and returns 0. */
export async function runCommand(options: RunOptions, io: CliIO): Promise<number> {
  const missing = await missingPaths(options.filename);
  if (missing.length) {
    for (const m of missing) io.stderr(`error: ${m}\n`);
    return 2;
  }
  const logger = createLogger({ level: options.logLevel, format: options.logFormat, destination: io.logDestination });
  // Listen for signals before starting, so a stop request during startup is not lost.
  const stop = io.waitForStop();
  return serveUntilStopped(options, logger, stop, (dataPlane) =>
    startPortico({
      paths: options.filename,
      admin: options.admin,
      ...(options.health ? { health: options.health } : {}),
      bindPolicy: bindPolicyOf(options),
      ...(options.accessLogDir ? { accessLogDir: options.accessLogDir } : {}),
      addressPool: options.addressPool,
      validator: createValidator(options.gatewayApiChannel),
      logger,
      dataPlane,
    }),
  );
}

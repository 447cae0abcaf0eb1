import os from 'node:os';
import { createLogger } from '../../log.js';
import { loadKubeConfig } from '../../providers/kubernetes/kubeconfig.js';
import { startController } from '../../runtime/controller-app.js';
import { createDataPlane } from '../data-plane.js';
import type { CliIO } from '../io.js';
import type { ServeOptions } from '../options.js';

export interface ControllerCliOptions extends ServeOptions {
  kubeconfig?: string;
  namespace?: string[];
  leaderElectionNamespace?: string;
  leaderElectionId: string;
  /** --no-leader-election makes it false. */
  leaderElection: boolean;
  identity?: string;
}

/** Runs until SIGINT/SIGTERM, then shuts down cleanly (releasing the Lease) and returns 0. */
export async function controllerCommand(options: ControllerCliOptions, io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const logger = createLogger({ level: options.logLevel, destination: io.logDestination });
  let kubeConfig;
  try {
    kubeConfig = loadKubeConfig(options.kubeconfig, env);
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n`);
    return 2;
  }
  const stop = io.waitForStop();
  let app;
  let plane;
  try {
    plane = await createDataPlane(options, logger);
    app = await startController({
      kubeConfig,
      namespaces: options.namespace,
      admin: options.admin,
      addressPool: options.addressPool,
      logger,
      dataPlane: plane.dataPlane,
      leaderElection: options.leaderElection
        ? {
            namespace: options.leaderElectionNamespace ?? (env.POD_NAMESPACE || 'portico-system'),
            name: options.leaderElectionId,
            identity: options.identity ?? `${os.hostname()}_${process.pid}`,
          }
        : false,
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

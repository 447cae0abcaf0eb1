import os from 'node:os';
import { createLogger } from '../../log.js';
import { loadKubeConfig } from '../../providers/kubernetes/kubeconfig.js';
import { startController } from '../../runtime/controller-app.js';
import { serveUntilStopped } from '../data-plane.js';
import type { CliIO } from '../io.js';
import { bindPolicyOf, type ServeOptions } from '../options.js';

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
  return serveUntilStopped(options, logger, stop, (dataPlane) =>
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

import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveHaproxy } from '../haproxy/binary.js';
import { HaproxyDataPlane } from '../haproxy/dataplane.js';
import type { Logger } from '../log.js';
import { NullDataPlane, type DataPlane } from '../runtime/dataplane.js';
import type { ServeOptions } from './options.js';

/** The data plane for `run` and `controller`: HAProxy, checked before anything starts, or none. */
export async function createDataPlane(options: ServeOptions, logger: Logger): Promise<{ dataPlane: DataPlane; cleanup: () => void }> {
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

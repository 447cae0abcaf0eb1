import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { IR, IRGateway } from '../ir/model.js';
import type { Logger } from '../log.js';
import type { DataPlaneState } from '../pipeline/translate.js';
import type { DataPlane } from '../runtime/dataplane.js';
import { HaproxyInstance, defaultsSection, globalSection, instancePaths } from './process.js';
import { UnsafeValueError } from './quote.js';
import { renderGateway, type RenderedConfig } from './render.js';

export interface HaproxyDataPlaneOptions {
  /** Directory holding one sub-directory per Gateway (sockets, generated files). */
  stateDir: string;
  logger: Logger;
  binary?: string;
}

interface Managed {
  instance: HaproxyInstance;
  dir: string;
  /** What was last applied successfully, to skip reloads when nothing changed. */
  applied?: string;
  state: DataPlaneState;
}

/** Serves the IR with one HAProxy per Gateway; Gateways that disappear have theirs stopped. */
export class HaproxyDataPlane implements DataPlane {
  private readonly managed = new Map<string, Managed>();

  constructor(private readonly options: HaproxyDataPlaneOptions) {
    mkdirSync(options.stateDir, { recursive: true });
  }

  async apply(ir: IR): Promise<Map<string, DataPlaneState>> {
    const states = new Map<string, DataPlaneState>();
    const wanted = new Set(ir.gateways.map((g) => g.name));
    await Promise.all(
      [...this.managed.keys()].filter((k) => !wanted.has(k)).map((k) => this.remove(k)),
    );
    // Gateways are independent: one failing to apply does not hold the others back.
    await Promise.all(ir.gateways.map(async (gw) => states.set(gw.name, await this.applyGateway(gw))));
    return states;
  }

  private managedFor(name: string): Managed {
    let m = this.managed.get(name);
    if (!m) {
      const dir = path.join(this.options.stateDir, name.replace('/', '_'));
      mkdirSync(dir, { recursive: true });
      const instance = new HaproxyInstance({
        name,
        dir,
        binary: this.options.binary,
        logger: this.options.logger,
      });
      m = { instance, dir, state: { programmed: false, reason: 'Pending', message: 'HAProxy is starting' } };
      this.managed.set(name, m);
    }
    return m;
  }

  private async applyGateway(gw: IRGateway): Promise<DataPlaneState> {
    const m = this.managedFor(gw.name);
    let rendered: RenderedConfig;
    try {
      rendered = renderGateway(gw, { dir: instancePaths(m.dir).current, globalLines: globalSection(m.dir), defaultsLines: defaultsSection() });
    } catch (err) {
      if (!(err instanceof UnsafeValueError)) throw err;
      // Keep serving the last good configuration; say why the new one was refused.
      return { programmed: false, reason: 'Invalid', message: `configuration not applied: ${err.message}` };
    }
    const fingerprint = JSON.stringify(rendered);
    if (m.applied === fingerprint && m.instance.running) return m.state;
    const result = await m.instance.apply({ config: rendered.config, extra: rendered.files });
    if (result.ok) {
      m.applied = fingerprint;
      m.state = { programmed: true };
    } else {
      m.state = { programmed: false, reason: 'Invalid', message: `HAProxy refused the new configuration (the previous one keeps serving): ${result.message}` };
    }
    return m.state;
  }

  private async remove(name: string): Promise<void> {
    const m = this.managed.get(name);
    if (!m) return;
    this.managed.delete(name);
    await m.instance.stop();
    rmSync(m.dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    await Promise.all([...this.managed.keys()].map((k) => this.remove(k)));
  }
}

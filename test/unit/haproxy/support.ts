/** Renders IR Gateways from objects and checks the result with the real `haproxy -c`. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubeObject } from '../../../src/api/object.js';
import { renderGateway, type RenderedConfig } from '../../../src/haproxy/render.js';
import { run } from '../core/builders.js';

export const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;

export function renderObjects(objects: KubeObject[], dir = '/tmp/portico-render'): RenderedConfig[] {
  const t = run(objects);
  return t.ir.gateways.map((gw) => renderGateway(gw, { dir, globalLines: [] }));
}

/** Writes a rendered config into a fresh directory and runs `haproxy -c` on it. */
export function haproxyCheck(render: (dir: string) => RenderedConfig): { ok: boolean; output: string; config: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-check-'));
  try {
    const r = render(dir);
    writeFileSync(path.join(dir, 'haproxy.cfg'), r.config);
    for (const [name, text] of Object.entries(r.files)) writeFileSync(path.join(dir, name), text);
    const res = spawnSync('haproxy', ['-c', '-f', path.join(dir, 'haproxy.cfg')], { encoding: 'utf8' });
    return { ok: res.status === 0, output: `${res.stdout}${res.stderr}`, config: r.config };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

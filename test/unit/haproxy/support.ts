/** Renders IR Gateways from objects and checks the result with the real `haproxy -c`. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubeObject } from '../../../src/api/object.js';
import type { HaproxyConfig } from '../../../src/haproxy/config-model.js';
import { renderGateway, type RenderedConfig } from '../../../src/haproxy/render.js';
import { run } from '../core/builders.js';

export const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;

export function renderObjects(objects: KubeObject[], dir = '/tmp/portico-render'): RenderedConfig[] {
  const t = run(objects);
  return t.ir.gateways.map((gw) => numberNames(renderGateway(gw, { dir, globalLines: [] })));
}

/**
 * The rendering with its content-derived names (backends "p<port>_r<hash>", virtual hosts
 * "v<hash>") replaced by numbers in order of appearance, per port: p8080_r1, p8080_r2, ... and 1,
 * 2, ..., so assertions read the same whatever the hashes are.
 */
export function numberNames(r: RenderedConfig): RenderedConfig {
  const renames = new Map<string, string>();
  const perPort = new Map<string, number>();
  for (const m of r.config.matchAll(/^backend (p(\d+)_r[0-9a-z_]+)$/gm)) {
    const port = m[2] as string;
    const n = (perPort.get(port) ?? 0) + 1;
    perPort.set(port, n);
    renames.set(m[1] as string, `p${port}_r${n}`);
  }
  const ports = [...r.config.matchAll(/^frontend p(\d+)$/gm)].map((m) => m[1] as string);
  for (const port of ports) {
    const ids: string[] = [];
    for (const file of [`p${port}.hosts.map`, `p${port}.wild.map`]) {
      for (const line of (r.files[file] ?? '').split('\n')) ids.push(line.split(' ')[1] ?? '');
    }
    const front = r.config.slice(r.config.indexOf(`frontend p${port}\n`)).split('\n\n')[0] ?? '';
    for (const m of front.matchAll(/(?:,|str\()(v[0-9a-z_]+)\)/g)) ids.push(m[1] as string);
    let n = 0;
    for (const id of ids) if (/^v[0-9a-z_]+$/.test(id) && !renames.has(id)) renames.set(id, String(++n));
  }
  if (renames.size === 0) return r;
  const pattern = new RegExp(`(?<![A-Za-z0-9_])(${[...renames.keys()].join('|')})(?![A-Za-z0-9_])`, 'g');
  const rename = (text: string) => text.replace(pattern, (name) => renames.get(name) as string);
  const files = Object.fromEntries(Object.entries(r.files).map(([k, v]) => [k, rename(v)]));
  return { config: rename(r.config), files, model: { ...(JSON.parse(rename(JSON.stringify(r.model))) as HaproxyConfig), files } };
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

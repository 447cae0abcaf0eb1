/**
 * Endpoint changes without a reload. Two renderings that differ only in their server lines'
 * address, weight and enabled state (the slots themselves unchanged) and in comments can be
 * turned one into the other with runtime API commands; anything else needs a reload.
 */
import { SPARE_SLOT } from './servers.js';

interface ServerLine {
  address: string;
  weight: string;
  enabled: boolean;
}

const SERVER = /^\s+server (\S+) (\S+) weight (\d+)(?: proto h2)?( disabled)?$/;

/**
 * The configuration with what the runtime API can change blanked out, and without comments:
 * a backend's comment names the first route using it, which may go while the backend stays.
 */
export function structureOf(config: string): string {
  return config.replace(/^(\s+server \S+) \S+ weight \d+((?: proto h2)?)(?: disabled)?$/gm, '$1$2').replace(/^[ \t]+#[^\n]*\n/gm, '');
}

function serversOf(config: string): Map<string, ServerLine> {
  const out = new Map<string, ServerLine>();
  let backend = '';
  for (const line of config.split('\n')) {
    if (line.startsWith('backend ')) backend = line.slice('backend '.length).trim();
    const m = SERVER.exec(line);
    if (m) out.set(`${backend}/${m[1]}`, { address: m[2] as string, weight: m[3] as string, enabled: !m[4] });
  }
  return out;
}

function splitAddress(address: string): [string, string] {
  const text = address.startsWith('ipv6@') ? address.slice(5) : address;
  const colon = text.lastIndexOf(':');
  return [text.slice(0, colon), text.slice(colon + 1)];
}

/**
 * Runtime API commands that take a running `from` configuration to `to`, or undefined when the
 * two differ in more than server addresses, weights and states.
 */
export function endpointCommands(from: string, to: string): string[] | undefined {
  if (structureOf(from) !== structureOf(to)) return undefined;
  const before = serversOf(from);
  const commands: string[] = [];
  for (const [name, next] of serversOf(to)) {
    const prev = before.get(name);
    if (!prev) return undefined;
    if (prev.address !== next.address && next.address !== SPARE_SLOT) {
      const [ip, port] = splitAddress(next.address);
      commands.push(`set server ${name} addr ${ip} port ${port}`);
    }
    if (prev.weight !== next.weight) commands.push(`set server ${name} weight ${next.weight}`);
    if (prev.enabled !== next.enabled) commands.push(`set server ${name} state ${next.enabled ? 'ready' : 'maint'}`);
  }
  return commands;
}

/**
 * Endpoint changes without a reload. Two configuration models (config-model.ts) that differ only
 * in their server slots' addresses, weights and states (the slots themselves unchanged) and in
 * comments can be turned one into the other with runtime API commands; anything else needs a
 * reload. Compared as data: nothing is parsed back from text.
 */
import type { IRBackend } from '../ir/model.js';
import { refillPool, type HaproxyConfig, type Section, type ServerPool, type ServerSlot } from './config-model.js';

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function samePoolShape(a: ServerPool, b: ServerPool): boolean {
  return (
    a.http === b.http &&
    sameList(a.perRef, b.perRef) &&
    sameList(a.h2, b.h2) &&
    sameList(a.tls, b.tls) &&
    (a.cookies ?? false) === (b.cookies ?? false) &&
    a.refs.length === b.refs.length &&
    a.refs.every((r, i) => r.backend === b.refs[i]?.backend && r.weight === b.refs[i]?.weight)
  );
}

/** Same sections, directives and slots; comments, addresses, weights and states aside. */
function sameStructure(a: Section, b: Section): boolean {
  if (a === b) return true;
  if (a.keyword !== b.keyword || a.name !== b.name || !sameList(a.directives, b.directives)) return false;
  if (!a.pool || !b.pool) return a.pool === b.pool;
  return samePoolShape(a.pool, b.pool);
}

/** False when a slot's new address is a DNS name, which `set server addr` does not take. */
function slotCommands(backend: string, before: readonly ServerSlot[], after: readonly ServerSlot[], out: string[]): boolean {
  for (const [i, next] of after.entries()) {
    const prev = before[i] as ServerSlot;
    const name = `${backend}/${next.name}`;
    // A slot that loses its endpoint keeps its old address, disabled: nothing is sent there.
    if (next.endpoint && (prev.endpoint?.address !== next.endpoint.address || prev.endpoint.port !== next.endpoint.port)) {
      if (!/^[0-9.]+$|:/.test(next.endpoint.address)) return false;
      out.push(`set server ${name} addr ${next.endpoint.address} port ${next.endpoint.port}`);
    }
    if (prev.weight !== next.weight) out.push(`set server ${name} weight ${next.weight}`);
    if (!prev.endpoint !== !next.endpoint) out.push(`set server ${name} state ${next.endpoint ? 'ready' : 'maint'}`);
  }
  return true;
}

/**
 * Runtime API commands that take a running configuration `from` to `to`, or undefined when the
 * two differ in more than server addresses, weights and states. Backends are matched by name, not
 * position: a route added before others may change the order in which backends are first used,
 * which means nothing to HAProxy.
 */
export function endpointCommands(from: HaproxyConfig, to: HaproxyConfig): string[] | undefined {
  if (from.title !== to.title || from.sections.length !== to.sections.length) return undefined;
  const backends = new Map<string, Section>();
  const others: Section[] = [];
  for (const s of from.sections) {
    if (s.keyword === 'backend' && s.name !== undefined) backends.set(s.name, s);
    else others.push(s);
  }
  const commands: string[] = [];
  let other = 0;
  for (const b of to.sections) {
    const a = b.keyword === 'backend' && b.name !== undefined ? backends.get(b.name) : others[other++];
    if (!a || !sameStructure(a, b)) return undefined;
    if (a.pool && b.pool && a.pool.slots !== b.pool.slots && !slotCommands(b.name ?? '', a.pool.slots, b.pool.slots, commands)) return undefined;
  }
  return commands;
}

/**
 * The model with the endpoints of `backends` (the IR's, keyed by id) in its server slots, without
 * rendering anything else; undefined when they no longer fit the slots (see refillPool). Only
 * pools naming one of `changed` are refilled; every other section is shared with `model`.
 */
export function withEndpoints(model: HaproxyConfig, backends: Readonly<Record<string, IRBackend>>, changed: ReadonlySet<string>): HaproxyConfig | undefined {
  const sections: Section[] = [];
  for (const s of model.sections) {
    if (!s.pool || !s.pool.refs.some((r) => changed.has(r.backend))) {
      sections.push(s);
      continue;
    }
    const pool = refillPool(s.pool, backends);
    if (!pool) return undefined;
    sections.push({ ...s, pool });
  }
  return { ...model, sections };
}

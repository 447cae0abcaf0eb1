import { isRouteKind, type KindInfo, type KindName } from '../api/kinds.js';
import type { KubeObject } from '../api/object.js';

/** What `portico get` prints for a list or an object without -o yaml/json. */
export interface TableOptions {
  /** -o wide: the kind's extra columns. */
  wide: boolean;
  /** -A: a NAMESPACE column first (namespaced kinds only). */
  allNamespaces: boolean;
  /** The time AGE is measured to. */
  now: Date;
}

interface Column {
  header: string;
  value(obj: KubeObject, now: Date): string;
}

/** Shown where a value is absent, as kubectl does. */
const NONE = '<none>';

/**
 * Objects as a kubectl-style table: a header of upper-case column names, one row per object in
 * the order given, columns left-aligned and three spaces apart, no trailing spaces. Empty when
 * there are no objects (the caller says "No resources found").
 */
export function renderTable(info: KindInfo, objects: readonly KubeObject[], options: TableOptions): string {
  if (objects.length === 0) return '';
  const columns: Column[] = [
    ...(options.allNamespaces && info.namespaced ? [{ header: 'NAMESPACE', value: (o: KubeObject) => o.metadata.namespace ?? '' }] : []),
    { header: 'NAME', value: (o) => o.metadata.name },
    ...kindColumns(info.kind),
    { header: 'AGE', value: (o, now) => age(o.metadata.creationTimestamp, now) },
    ...(options.wide ? wideColumns(info.kind) : []),
  ];
  const rows = [columns.map((c) => c.header), ...objects.map((o) => columns.map((c) => c.value(o, options.now)))];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('   ').trimEnd() + '\n').join('');
}

const POLICY_KINDS: readonly KindName[] = ['BackendTLSPolicy', 'TrafficPolicy', 'ListenerPolicy', 'HTTPListenerPolicy'];

/** Route kinds that carry spec.hostnames. */
const HOSTNAME_ROUTES: readonly KindName[] = ['HTTPRoute', 'GRPCRoute', 'TLSRoute'];

/** The columns between NAME and AGE. */
function kindColumns(kind: KindName): Column[] {
  if (kind === 'GatewayClass') {
    return [
      { header: 'CONTROLLER', value: (o) => text(field(o, 'spec', 'controllerName')) },
      { header: 'ACCEPTED', value: (o) => conditionStatus(field(o, 'status', 'conditions'), 'Accepted') },
    ];
  }
  if (kind === 'Gateway') {
    return [
      { header: 'CLASS', value: (o) => text(field(o, 'spec', 'gatewayClassName')) },
      { header: 'ADDRESS', value: (o) => joined(list(field(o, 'status', 'addresses')).map((a) => field(a, 'value'))) },
      { header: 'PROGRAMMED', value: (o) => conditionStatus(field(o, 'status', 'conditions'), 'Programmed') },
    ];
  }
  if (kind === 'ListenerSet') {
    return [
      { header: 'PARENT', value: (o) => text(field(o, 'spec', 'parentRef', 'name')) },
      { header: 'PROGRAMMED', value: (o) => conditionStatus(field(o, 'status', 'conditions'), 'Programmed') },
    ];
  }
  if (isRouteKind(kind)) {
    return [
      ...(HOSTNAME_ROUTES.includes(kind) ? [{ header: 'HOSTNAMES', value: (o: KubeObject) => joined(list(field(o, 'spec', 'hostnames')), '*') }] : []),
      { header: 'PARENTS', value: parentsAccepted },
    ];
  }
  if (POLICY_KINDS.includes(kind)) {
    return [{ header: 'ACCEPTED', value: (o) => policyAccepted(o) }];
  }
  return [];
}

/** The columns -o wide adds after AGE. */
function wideColumns(kind: KindName): Column[] {
  if (kind === 'GatewayClass') return [{ header: 'DESCRIPTION', value: (o) => text(field(o, 'spec', 'description')) }];
  if (kind === 'Gateway') {
    return [
      { header: 'ACCEPTED', value: (o) => conditionStatus(field(o, 'status', 'conditions'), 'Accepted') },
      { header: 'LISTENERS', value: (o) => joined(list(field(o, 'spec', 'listeners')).map(listenerText)) },
      { header: 'ROUTES', value: (o) => String(list(field(o, 'status', 'listeners')).reduce<number>((sum, l) => sum + numberOr0(field(l, 'attachedRoutes')), 0)) },
    ];
  }
  if (kind === 'ListenerSet') {
    return [
      { header: 'ACCEPTED', value: (o) => conditionStatus(field(o, 'status', 'conditions'), 'Accepted') },
      { header: 'LISTENERS', value: (o) => joined(list(field(o, 'spec', 'listeners')).map(listenerText)) },
    ];
  }
  if (isRouteKind(kind)) {
    return [
      { header: 'RULES', value: (o) => String(list(field(o, 'spec', 'rules')).length) },
      { header: 'PARENT REFS', value: (o) => joined(list(field(o, 'spec', 'parentRefs')).map((ref) => refText(ref, o.metadata.namespace))) },
    ];
  }
  if (POLICY_KINDS.includes(kind)) {
    return [{ header: 'TARGETS', value: (o) => joined(list(field(o, 'spec', 'targetRefs')).map((ref) => `${text(field(ref, 'kind'))}/${text(field(ref, 'name'))}`)) }];
  }
  return [];
}

/** "accepted/total": parentRefs with an Accepted=True entry in status.parents, out of all parentRefs. */
function parentsAccepted(o: KubeObject): string {
  const total = list(field(o, 'spec', 'parentRefs')).length;
  const accepted = list(field(o, 'status', 'parents')).filter((p) => conditionStatus(field(p, 'conditions'), 'Accepted') === 'True').length;
  return `${accepted}/${total}`;
}

/**
 * A policy's Accepted across its ancestors (status.ancestors): True when every ancestor accepts
 * it, otherwise the first status that is not True; <none> before any ancestor has an entry.
 */
function policyAccepted(o: KubeObject): string {
  const statuses = list(field(o, 'status', 'ancestors')).map((a) => conditionStatus(field(a, 'conditions'), 'Accepted'));
  if (statuses.length === 0) return NONE;
  return statuses.find((s) => s !== 'True') ?? 'True';
}

/** name:PROTOCOL/port, e.g. http:HTTP/8080. */
function listenerText(listener: unknown): string {
  return `${text(field(listener, 'name'))}:${text(field(listener, 'protocol'))}/${text(field(listener, 'port'))}`;
}

/** A parentRef or targetRef as [namespace/]name, with its kind when it is not a Gateway and its section or port. */
function refText(ref: unknown, ownNamespace: string | undefined): string {
  const kind = field(ref, 'kind');
  const namespace = field(ref, 'namespace');
  const section = field(ref, 'sectionName');
  const port = field(ref, 'port');
  let out = typeof namespace === 'string' && namespace !== ownNamespace ? `${namespace}/${text(field(ref, 'name'))}` : text(field(ref, 'name'));
  if (typeof kind === 'string' && kind !== 'Gateway') out = `${kind}/${out}`;
  if (typeof section === 'string') out += `/${section}`;
  if (typeof port === 'number') out += `:${port}`;
  return out;
}

/** The status of the condition of this type, or <none> when there is none. */
function conditionStatus(conditions: unknown, type: string): string {
  const condition = list(conditions).find((c) => field(c, 'type') === type);
  const status = field(condition, 'status');
  return typeof status === 'string' ? status : NONE;
}

/**
 * How long ago, kubectl's way: two units while the first is small (1m30s, 2h15m, 3d4h), then one
 * (45s under two minutes, 95m under three hours, 30h under two days, 120d under two years).
 * "<unknown>" without a creationTimestamp (objects read from files have none unless they say so).
 */
export function age(creationTimestamp: string | undefined, now: Date): string {
  if (creationTimestamp === undefined) return '<unknown>';
  const created = Date.parse(creationTimestamp);
  if (Number.isNaN(created)) return '<invalid>';
  return formatDuration(now.getTime() - created);
}

/** A duration in whole units, from seconds to years, for AGE. */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  // Clocks a second apart still say 0s rather than something negative.
  if (s < -1) return '<invalid>';
  if (s < 120) return `${Math.max(0, s)}s`;
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  const y = Math.floor(d / 365);
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string): string => (small ? `${big}${bigUnit}${small}${smallUnit}` : `${big}${bigUnit}`);
  if (m < 10) return pair(m, 'm', s % 60, 's');
  if (m < 180) return `${m}m`;
  if (h < 8) return pair(h, 'h', m % 60, 'm');
  if (h < 48) return `${h}h`;
  if (d < 8) return pair(d, 'd', h % 24, 'h');
  if (d < 730) return `${d}d`;
  if (y < 8) return pair(y, 'y', d % 365, 'd');
  return `${y}y`;
}

/** value.a.b.c, or undefined where the path leaves the object: the objects are JSON read from the server. */
function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  if (typeof value === 'string') return value === '' ? NONE : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return NONE;
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Values joined by commas, or `empty` when there are none. */
function joined(values: readonly unknown[], empty = NONE): string {
  const parts = values.filter((v) => v !== undefined && v !== null && v !== '').map((v) => text(v));
  return parts.length ? parts.join(',') : empty;
}

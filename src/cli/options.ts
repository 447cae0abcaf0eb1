import { isIP } from 'node:net';
import type { LogFormat, LogLevel } from '../log.js';
import { parseAddressPool } from '../graph/address-pool.js';
import { parseBindAddresses, parseBindPorts, type BindPolicy } from '../graph/bind-policy.js';
import { durationMs } from '../api/durations.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export interface HostPort {
  host: string;
  port: number;
}

/** What `run` and `controller` share: the admin API, the address pool and the data plane. */
export interface ServeOptions {
  admin: HostPort;
  /** A second address serving /healthz and /readyz only (probes), when the admin API is private. */
  health?: HostPort;
  /** Where Gateways may ask to bind (--gateway-addresses). */
  gatewayAddresses?: { text: string; value: NonNullable<BindPolicy['addresses']> };
  /** Which ports their listeners may use (--gateway-ports). */
  gatewayPorts?: { text: string; value: NonNullable<BindPolicy['ports']> };
  addressPool: string;
  logLevel: LogLevel;
  /** --log-format; absent means auto. */
  logFormat?: LogFormat;
  /** haproxy (default) serves traffic; none computes status only. */
  dataPlane?: 'haproxy' | 'none';
  /** Where each Gateway's HAProxy keeps its sockets and generated files. */
  stateDir?: string;
  /** The haproxy binary; default the one on PATH (or /usr/sbin). */
  haproxy?: string;
  /** The directory listener policies' access logs may write files in (absolute); none: stdout and stderr only. */
  accessLogDir?: string;
  /** --route-metrics: per-route traffic metrics (docs/observability.md). */
  routeMetrics?: boolean;
  /** --route-latency-histograms: route metrics with latency histograms. */
  routeLatencyHistograms?: boolean;
}

/** The bind policy the --gateway-addresses and --gateway-ports options make; undefined when neither is given. */
export function bindPolicyOf(options: Pick<ServeOptions, 'gatewayAddresses' | 'gatewayPorts'>): BindPolicy | undefined {
  const { gatewayAddresses: a, gatewayPorts: p } = options;
  if (!a && !p) return undefined;
  return { ...(a ? { addresses: a.value, addressesText: a.text } : {}), ...(p ? { ports: p.value, portsText: p.text } : {}) };
}

export function checkBindAddresses(text: string): Checked<NonNullable<ServeOptions['gatewayAddresses']>> {
  const parsed = parseBindAddresses(text);
  return parsed.ok ? { ok: true, value: { text, value: parsed.value } } : parsed;
}

export function checkBindPorts(text: string): Checked<NonNullable<ServeOptions['gatewayPorts']>> {
  const parsed = parseBindPorts(text);
  return parsed.ok ? { ok: true, value: { text, value: parsed.value } } : parsed;
}

export const DEFAULT_ADMIN_TEXT = '127.0.0.1:9901';
export const DEFAULT_ADMIN: HostPort = { host: '127.0.0.1', port: 9901 };
export const DEFAULT_ADDRESS_POOL = '127.0.10.0/24';
export const CHANNELS = ['standard', 'experimental'] as const;
export type GatewayApiChannel = (typeof CHANNELS)[number];

/** "127.0.0.1:9901", "localhost:0", "[::1]:9901". Port 0 asks the system for a free port. */
export function parseHostPort(text: string): Checked<HostPort> {
  const bad = (why: string): Checked<HostPort> => ({ ok: false, message: `"${text}" is not HOST:PORT: ${why}` });
  let host: string;
  let portText: string;
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2] ?? '';
    if (isIP(host) !== 6) return bad(`${host} is not an IPv6 address`);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return bad('missing ":PORT"');
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':')) return bad('write IPv6 addresses in brackets, e.g. [::1]:9901');
    if (host === '') return bad('missing HOST (use 0.0.0.0 for every interface)');
    if (!isIP(host) && !/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(host)) {
      return bad(`${host} is neither an IP address nor a host name`);
    }
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return bad('PORT must be a number from 0 to 65535');
  return { ok: true, value: { host, port: Number(portText) } };
}

/**
 * --address-pool is checked at startup with the core's own parser (so a typo exits with code 2)
 * and then passed on as text.
 */
export function checkAddressPool(text: string): Checked<string> {
  const parsed = parseAddressPool(text);
  return parsed.ok ? { ok: true, value: text } : parsed;
}

/** A namespace name: an RFC 1123 label (lower case, digits, '-'; at most 63). */
export function checkNamespace(text: string): Checked<string> {
  if (/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(text)) return { ok: true, value: text };
  return { ok: false, message: `"${text}" is not a valid name: lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit` };
}

/** An object name such as a Lease's: an RFC 1123 subdomain (labels joined by '.'; at most 253). */
export function checkObjectName(text: string): Checked<string> {
  const label = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
  if (text.length <= 253 && new RegExp(`^${label}(\\.${label})*$`).test(text)) return { ok: true, value: text };
  return { ok: false, message: `"${text}" is not a valid name: lower-case letters, digits, '-' and '.', at most 253` };
}

/** A workload cluster of --cluster NAME=KUBECONFIG. */
export interface ClusterFlag {
  name: string;
  kubeconfig: string;
}

/**
 * --cluster NAME=KUBECONFIG. The name becomes a label value and part of EndpointSlice names
 * (multicluster.kubernetes.io/source-cluster), so it is an RFC 1123 label.
 */
export function checkClusterFlag(text: string): Checked<ClusterFlag> {
  const eq = text.indexOf('=');
  if (eq < 0) return { ok: false, message: `"${text}" is not NAME=KUBECONFIG` };
  const name = text.slice(0, eq);
  const kubeconfig = text.slice(eq + 1);
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
    return { ok: false, message: `cluster name "${name}" is not valid: lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit` };
  }
  if (kubeconfig === '') return { ok: false, message: `cluster ${name}: no kubeconfig file after "="` };
  return { ok: true, value: { name, kubeconfig } };
}

/** A duration of whole units ("60s", "2m", "1m30s", "500ms"), at least 0. */
export function checkDuration(text: string): Checked<number> {
  const ms = durationMs(text);
  if (ms === undefined) return { ok: false, message: `"${text}" is not a duration such as 60s, 2m or 500ms` };
  return { ok: true, value: ms };
}

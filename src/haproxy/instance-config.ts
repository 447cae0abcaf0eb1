/**
 * What a HAProxy instance's directory holds and the lines its configuration must carry for
 * HaproxyInstance (process.ts) to run it: the runtime API socket, the hard-stop bound, seamless
 * reloads. Renderers put them in the model's global and defaults sections.
 */
import path from 'node:path';

/** The paths of an instance's sockets and files. */
export function instancePaths(dir: string): { config: string; current: string; master: string; runtime: string; pid: string } {
  return {
    config: path.join(dir, 'haproxy.cfg'),
    current: path.join(dir, 'current'),
    master: path.join(dir, 'master.sock'),
    runtime: path.join(dir, 'runtime.sock'),
    pid: path.join(dir, 'haproxy.pid'),
  };
}

/**
 * Lines the `global` section must contain (indent them as you like):
 * - the runtime API socket, admin level, that `runtime()` talks to. `expose-fd listeners` lets a
 *   new process fetch the listening sockets from the old one (`-x`); in master-worker mode 2.6+
 *   hands them over through its internal socket pair anyway, so this only keeps a reload seamless
 *   should HAProxy ever be reloaded outside master-worker mode;
 * - `hard-stop-after`: an old worker lives at most this long after a reload (long-lived tunnels
 *   and idle keep-alive connections are then cut), so frequent reloads cannot pile up processes.
 */
export function globalSection(dir: string, options: { hardStopAfter?: string } = {}): string[] {
  return [
    `stats socket ${instancePaths(dir).runtime} mode 600 level admin expose-fd listeners`,
    `hard-stop-after ${options.hardStopAfter ?? '30s'}`,
    // HAProxy's internal HTTP client loads the system CA store at every start, check and reload
    // (tens of milliseconds) to verify TLS servers; Portico never sends it to a TLS server.
    'httpclient.ssl.verify none',
  ];
}

/**
 * Lines the `defaults` section must contain. `option idle-close-on-response` (2.6+): by default a
 * soft-stopping worker closes idle keep-alive connections at once, so a client sending its next
 * request at that moment gets a reset; with it the old worker answers one more request with
 * "Connection: close" instead.
 */
export function defaultsSection(): string[] {
  return ['option idle-close-on-response'];
}

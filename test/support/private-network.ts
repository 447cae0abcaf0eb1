/**
 * Backend addresses for tests that put real endpoints into a real kube-apiserver.
 *
 * The API server refuses loopback (127.0.0.0/8, ::1) and link-local addresses in EndpointSlices,
 * yet tests may only send traffic over the loopback interface. So a test file that needs such
 * addresses runs itself, from its first line, inside a private network namespace (a user namespace
 * too, so no privileges are needed on the host; a PID and mount namespace as well, so that nothing
 * it starts can outlive it), where `lo` also carries 192.0.2.0/24 (TEST-NET-1, RFC 5737: never
 * routed on the Internet) and a few addresses of 2001:db8::/32 (the IPv6 documentation prefix).
 * Inside, every address there is local and bindable like 127.0.0.1, and nothing leaves the
 * machine: the namespace has no other interface. The host's network is not touched.
 *
 * Where namespaces are not available, `PORTICO_TEST_BACKEND_ADDRESSES=192.0.2.1,192.0.2.2` names
 * addresses that were put on the host's `lo` by hand (`ip addr add 192.0.2.1/32 dev lo`); the
 * test file then runs as it is.
 */
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { constants } from 'node:os';

export interface PrivateNetwork {
  /** 'namespace': this process runs in its own network namespace; 'preconfigured': on the host. */
  mode: 'namespace' | 'preconfigured';
  /**
   * IPv4 addresses on the loopback interface that an EndpointSlice accepts. In 'namespace' mode
   * these are the first 16 of 192.0.2.0/24, but any address of that range works.
   */
  ipv4: readonly string[];
  /** IPv6 addresses likewise (2001:db8::1…8 in 'namespace' mode); empty where IPv6 is disabled. */
  ipv6: readonly string[];
}

/** Why there is no private network here, for a test's `skip`. */
export interface NoPrivateNetwork {
  skip: string;
}

const INSIDE_ENV = 'PORTICO_TEST_PRIVATE_NETWORK';
const PRECONFIGURED_ENV = 'PORTICO_TEST_BACKEND_ADDRESSES';
const IPV4_COUNT = 16;
const IPV6_COUNT = 8;

/**
 * Call with top-level await before the file registers any test. Outside a namespace, it starts
 * this same test file again inside a new one and never resolves: the copy inside writes the
 * report (its output goes straight to the test runner), and this process exits with its exit code.
 * Inside (or with PORTICO_TEST_BACKEND_ADDRESSES), it resolves with the addresses. Where neither
 * is possible it resolves with a reason to skip.
 *
 * Everything the test starts afterwards (API server, HAProxy, echo backends, Portico) inherits
 * the namespace. Its 127.0.0.1 is its own, so ports never collide with other test files.
 */
export async function enterPrivateNetwork(): Promise<PrivateNetwork | NoPrivateNetwork> {
  if (entered !== undefined) return entered;
  const inside = process.env[INSIDE_ENV];
  if (inside !== undefined) {
    // Processes started in here inherit the environment but not the lifeline on fd 3.
    delete process.env[INSIDE_ENV];
    entered = insideNamespace(inside);
    return entered;
  }

  const preconfigured = process.env[PRECONFIGURED_ENV];
  if (preconfigured !== undefined && preconfigured.trim() !== '') return usePreconfigured(preconfigured);

  const unavailable = namespaceUnavailable();
  if (unavailable !== undefined) {
    return {
      skip: `no private network namespace: ${unavailable}; set ${PRECONFIGURED_ENV} to addresses put on lo by hand instead`,
    };
  }
  return reexecInNamespace();
}

function ipv4Addresses(): string[] {
  return Array.from({ length: IPV4_COUNT }, (_, i) => `192.0.2.${i + 1}`);
}

// `ip` lives in /usr/sbin, which is not on every user's PATH.
const SETUP_SCRIPT = [
  'export PATH="$PATH:/usr/sbin:/sbin"',
  'ip link set lo up',
  // A "local" route makes every address of the range local, as 127.0.0.0/8 is.
  'ip route add local 192.0.2.0/24 dev lo',
  // IPv6 has no such shortcut (binding needs an address on an interface). Optional: IPv6 may be off.
  `ipv6=""; for i in $(seq 1 ${IPV6_COUNT}); do ip -6 addr add "2001:db8::$i/128" dev lo nodad 2>/dev/null && ipv6="$ipv6,2001:db8::$i"; done`,
  `export ${INSIDE_ENV}="ipv6=$ipv6"`,
  'exec "$@"',
].join('\n');

function namespaceArgs(): string[] {
  return ['--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child', '--mount-proc'];
}

let entered: PrivateNetwork | undefined;
let probed: string | undefined | null = null;

/** Undefined when a namespace can be made here, otherwise why not. */
function namespaceUnavailable(): string | undefined {
  if (probed !== null) return probed;
  const result = spawnSync('unshare', [...namespaceArgs(), '--', 'sh', '-c', SETUP_SCRIPT, 'sh', 'true'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (result.error) probed = `cannot run unshare (util-linux): ${result.error.message}`;
  else if (result.status !== 0) probed = result.stderr.trim() || `unshare exited with status ${String(result.status)}`;
  else probed = undefined;
  return probed;
}

function reexecInNamespace(): Promise<never> {
  const script = process.argv[1];
  if (script === undefined) throw new Error('enterPrivateNetwork: no script in process.argv');
  // The copy inside gets the same node flags and arguments, and the same environment, so that the
  // test runner's conventions (NODE_TEST_CONTEXT and its report on stdout) simply carry through.
  const child = spawn(
    'unshare',
    [...namespaceArgs(), '--', 'sh', '-c', SETUP_SCRIPT, 'sh', process.execPath, ...process.execArgv, script, ...process.argv.slice(2)],
    // fd 3 is a lifeline: the copy inside exits when it reads end-of-file there, which happens
    // when this process dies in any way, even by SIGKILL.
    { stdio: ['inherit', 'inherit', 'inherit', 'pipe'] },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // Closing the lifeline lets the copy exit by itself, cleaning up after it; if it does not
      // within a few seconds, unshare --kill-child SIGKILLs it, and with it the whole namespace.
      child.stdio[3]?.destroy();
      setTimeout(() => {
        child.kill('SIGKILL');
        process.exit(1);
      }, 3000).unref();
    });
  }
  return new Promise<never>(() => {
    child.on('error', (err) => {
      process.stderr.write(`enterPrivateNetwork: ${err.message}\n`);
      process.exit(1);
    });
    // As a shell reports a command killed by a signal.
    child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === null ? 0 : constants.signals[signal])));
  });
}

function insideNamespace(value: string): PrivateNetwork {
  const lifeline = new net.Socket({ fd: 3, readable: true, writable: false });
  // End-of-file (or an error) means the process outside is gone; as PID 1 of the namespace,
  // exiting takes every process started in here along.
  lifeline.on('end', () => process.exit(1));
  lifeline.on('error', () => process.exit(1));
  lifeline.resume();
  // Only a watch: it must not keep the test process alive once the tests are done.
  lifeline.unref();
  const ipv6 = (/^ipv6=(.*)$/.exec(value)?.[1] ?? '').split(',').filter((a) => a !== '');
  return { mode: 'namespace', ipv4: ipv4Addresses(), ipv6 };
}

async function usePreconfigured(list: string): Promise<PrivateNetwork | NoPrivateNetwork> {
  const addresses = list.split(',').map((a) => a.trim()).filter((a) => a !== '');
  for (const address of addresses) {
    if (net.isIP(address) === 0) return { skip: `${PRECONFIGURED_ENV}: ${address} is not an IP address` };
    const bindable = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(0, address, () => server.close(() => resolve(true)));
    });
    if (!bindable) return { skip: `${PRECONFIGURED_ENV}: ${address} is not an address of this machine` };
  }
  return { mode: 'preconfigured', ipv4: addresses.filter((a) => net.isIPv4(a)), ipv6: addresses.filter((a) => net.isIPv6(a)) };
}

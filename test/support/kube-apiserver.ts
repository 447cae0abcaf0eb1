/**
 * A real kube-apiserver with its own etcd, for tests: both binaries are built from source by
 * scripts/kube-binaries.sh into .cache/kube/bin/. Loopback only, token authentication (an admin
 * token in system:masters), ServiceAccount tokens through the TokenRequest API, and RBAC.
 *
 * There is no kubelet and no controller-manager: namespaces are created, but nothing else acts
 * on objects. No "default" ServiceAccount appears in new namespaces, namespace deletion never
 * finishes, ownerReferences are not garbage-collected, and EndpointSlices exist only when a test
 * writes them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { projectRoot } from '../e2e/support.js';
import { freePort } from './free-port.js';

export interface KubeBinaries {
  kubeApiserver: string;
  etcd: string;
}

const BUILD_SCRIPT = path.join(projectRoot, 'scripts/kube-binaries.sh');

/**
 * The binaries, built first if they are missing or were built from another test/kube/go.mod (the
 * script is a quick no-op otherwise, and scripts/test.sh has run it already); a reason to skip
 * when they cannot be built. Call before `enterPrivateNetwork()`: a build needs the Go module proxy, which is not
 * reachable from inside the private network.
 */
export function ensureKubeBinaries(): KubeBinaries | { skip: string } {
  const result = spawnSync('bash', [BUILD_SCRIPT], {
    cwd: projectRoot,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    // A failed build can be verbose; spawnSync kills the child past maxBuffer.
    maxBuffer: 64 * 1024 * 1024,
  });
  const bin = path.join(projectRoot, '.cache/kube/bin');
  const binaries = { kubeApiserver: path.join(bin, 'kube-apiserver'), etcd: path.join(bin, 'etcd') };
  if (result.status === 0 && existsSync(binaries.kubeApiserver) && existsSync(binaries.etcd)) return binaries;
  const why = (result.stderr ?? '').trim().split('\n').slice(-5).join(' / ') || result.error?.message || `exit status ${String(result.status)}`;
  return { skip: `kube-apiserver and etcd are not built and \`bash scripts/kube-binaries.sh\` could not build them: ${why}` };
}

export interface KubeApiserverOptions {
  binaries: KubeBinaries;
}

/** Per start (etcd and kube-apiserver each): generous for busy 2-core machines. */
const START_TIMEOUT_MS = 60_000;

export interface KubeApiserver {
  port: number;
  /** PEM file that verifies the API server's self-signed serving certificate. */
  caFile: string;
  /** A bearer token of user "portico-admin" in group system:masters (RBAC allows it everything). */
  adminToken: string;
  /** The `iss` of ServiceAccount tokens. */
  serviceAccountIssuer: string;
  /** A kubeconfig (YAML) for this server and a bearer token, adminToken by default. */
  kubeconfig(token?: string): string;
  /** Writes kubeconfig(token) to `file`. */
  writeKubeconfig(file: string, token?: string): void;
  /**
   * Stops kube-apiserver (SIGTERM, the graceful path, by default; SIGKILL for a crash) and starts
   * it again on the same port with the same certificates and keys; etcd keeps running with its
   * data. Resolves once /readyz answers again.
   */
  restart(options?: { signal?: 'SIGTERM' | 'SIGKILL' }): Promise<void>;
  /** Stops both processes and removes their directory (data, certificates, logs); idempotent. */
  stop(): Promise<void>;
}

const ADMIN_USER = 'portico-admin';
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

// Every process and directory started or made here, so that they are killed and removed when this
// process exits without stop() (a failed assertion, process.exit); if it dies by a signal instead,
// the kernel kills the processes (see spawnTied), and only the directory is left.
const running = new Set<ChildProcess>();
const dirsToRemove = new Set<string>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of dirsToRemove) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A process killed just now may still be writing there; the system's tmp cleaning remains.
    }
  }
});

let setprivSupportsPdeathsig: boolean | undefined;

/**
 * Starts `command` so that the kernel kills it when this process dies, even by SIGKILL (through
 * util-linux setpriv's parent-death signal, where available), with output appended to `logFile`.
 */
function spawnTied(command: string, args: readonly string[], logFile: string): ChildProcess {
  setprivSupportsPdeathsig ??= spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true']).status === 0;
  const log = openSync(logFile, 'a');
  try {
    const child = setprivSupportsPdeathsig
      ? spawn('setpriv', ['--pdeathsig', 'KILL', '--', command, ...args], { stdio: ['ignore', log, log] })
      : spawn(command, args, { stdio: ['ignore', log, log] });
    running.add(child);
    child.on('exit', () => running.delete(child));
    // Reported by whoever waits for it (a child without a pid never started); an unhandled 'error'
    // would crash the test process instead.
    child.on('error', (err) => {
      running.delete(child);
      writeFileSync(logFile, `cannot start ${command}: ${err.message}\n`, { flag: 'a' });
    });
    return child;
  } finally {
    closeSync(log);
  }
}


function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function exited(child: ChildProcess): boolean {
  // No pid: it never started (e.g. ENOENT), and no 'exit' event will come.
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (exited(child)) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}

/** One GET; resolves with the status code and body, or rejects on a connection error. */
function get(url: string, options: { ca?: Buffer; token?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
    const callback = (res: http.IncomingMessage): void => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    };
    const req = url.startsWith('https:') ? https.get(url, { headers, ...(options.ca ? { ca: options.ca } : {}) }, callback) : http.get(url, { headers }, callback);
    req.setTimeout(5000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

/**
 * Polls `probe` until it returns true; fails at the deadline or as soon as `child` exits, with the
 * end of its log.
 */
async function waitUntil(what: string, child: ChildProcess, logFile: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (exited(child)) {
      const how = child.pid === undefined ? 'could not be started' : `exited (${String(child.exitCode ?? child.signalCode)}) before it was ready`;
      throw new Error(`${what} ${how}; its log ends:\n${tail(logFile, 40)}`);
    }
    try {
      if (await probe()) return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not ready after ${timeoutMs} ms${last ? ` (last error: ${last})` : ''}; its log ends:\n${tail(logFile, 40)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startEtcd(etcd: string, dir: string, timeoutMs: number): Promise<{ child: ChildProcess; url: string }> {
  const logFile = path.join(dir, 'etcd.log');
  // Free ports can be taken by someone else between the probe and etcd's bind: try a few times.
  for (let attempt = 1; ; attempt++) {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    const child = spawnTied(
      etcd,
      [
        '--name=portico-test',
        `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=${url}`,
        `--advertise-client-urls=${url}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=portico-test=${peer}`,
        // Test data need not survive a power cut; fsync on a shared disk costs seconds.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      logFile,
    );
    try {
      await waitUntil('etcd', child, logFile, timeoutMs, async () => {
        const { status, body } = await get(`${url}/health`, {});
        return status === 200 && (JSON.parse(body) as { health?: string }).health === 'true';
      });
      return { child, url };
    } catch (err) {
      await stopProcess(child, 'SIGKILL', 0);
      if (attempt >= 3 || !/address already in use/.test(tail(logFile, 40))) throw err;
      rmSync(path.join(dir, 'etcd'), { recursive: true, force: true });
    }
  }
}

/**
 * Starts etcd and kube-apiserver on 127.0.0.1 (free ports, a fresh temporary directory) and
 * resolves once /readyz answers 200. Start one per test file: a start takes a few seconds.
 */
export async function startKubeApiserver(options: KubeApiserverOptions): Promise<KubeApiserver> {
  const timeoutMs = START_TIMEOUT_MS;
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-kube-'));
  dirsToRemove.add(dir);
  let etcd: { child: ChildProcess; url: string } | undefined;
  let apiserver: ChildProcess | undefined;
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (apiserver) await stopProcess(apiserver, 'SIGTERM', 10_000);
    if (etcd) await stopProcess(etcd.child, 'SIGTERM', 10_000);
    rmSync(dir, { recursive: true, force: true });
    dirsToRemove.delete(dir);
  };

  try {
    const certDir = path.join(dir, 'certs');
    mkdirSync(certDir);
    const adminToken = randomBytes(24).toString('hex');
    const tokenFile = path.join(dir, 'tokens.csv');
    // token,user,uid,"group,..."
    writeFileSync(tokenFile, `${adminToken},${ADMIN_USER},${ADMIN_USER},"system:masters"\n`, { mode: 0o600 });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signingKeyFile = path.join(dir, 'sa-signing.key');
    const verifyKeyFile = path.join(dir, 'sa.pub');
    writeFileSync(signingKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(verifyKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));

    etcd = await startEtcd(options.binaries.etcd, dir, timeoutMs);
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    // kube-apiserver writes a self-signed serving certificate (for the bind address among others)
    // and its CA into the cert dir on first start, and reuses them on restart.
    const caFile = path.join(certDir, 'apiserver.crt');
    const logFile = path.join(dir, 'kube-apiserver.log');
    const args = [
      `--etcd-servers=${etcd.url}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      // Must be given: the default is the address of the default route's interface, and the
      // private network has no route at all. It ends up only in the "kubernetes" Service's
      // endpoints, which the reconciler below does not write.
      '--advertise-address=127.0.0.1',
      '--endpoint-reconciler-type=none',
      `--cert-dir=${certDir}`,
      `--token-auth-file=${tokenFile}`,
      `--service-account-issuer=${ISSUER}`,
      `--service-account-key-file=${verifyKeyFile}`,
      `--service-account-signing-key-file=${signingKeyFile}`,
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--profiling=false',
    ];

    const startApiserver = async (): Promise<void> => {
      const child = spawnTied(options.binaries.kubeApiserver, args, logFile);
      apiserver = child;
      await waitUntil('kube-apiserver', child, logFile, timeoutMs, async () => {
        if (!existsSync(caFile)) return false;
        const { status } = await get(`${url}/readyz`, { ca: readFileSync(caFile), token: adminToken });
        return status === 200;
      });
    };
    await startApiserver();

    const kubeconfig = (token = adminToken): string =>
      toYaml({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'portico-test', cluster: { server: url, 'certificate-authority': caFile } }],
        users: [{ name: 'portico-test', user: { token } }],
        contexts: [{ name: 'portico-test', context: { cluster: 'portico-test', user: 'portico-test' } }],
        'current-context': 'portico-test',
      });

    return {
      port,
      caFile,
      adminToken,
      serviceAccountIssuer: ISSUER,
      kubeconfig,
      writeKubeconfig(file, token) {
        writeFileSync(file, kubeconfig(token), { mode: 0o600 });
      },
      async restart(restartOptions = {}) {
        if (stopped) throw new Error('restart after stop');
        if (apiserver) await stopProcess(apiserver, restartOptions.signal ?? 'SIGTERM', 10_000);
        await startApiserver();
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The HAProxy master as Node's child process: started in its own process group, followed until
 * it exits, stopped softly or not. Knows nothing of configurations or restarts (process.ts).
 */
import { spawn } from 'node:child_process';
import type { Logger } from '../log.js';
import type { MasterCli } from './master-cli.js';
import type { OutputLog } from './output.js';
import { signal } from './pids.js';

export interface MasterProcess {
  pid: number;
  startedAt: number;
  /** Set once its worker answered: from then on its death is a crash to recover from. */
  supervised: boolean;
  /** How it ended ("exit code 137", "signal SIGKILL"), once it has. */
  ended?: string;
  /** Resolves with `ended`. */
  exit: Promise<string>;
}

/** Process groups of running masters, terminated if Node exits without stopping them. */
const runningGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Synchronous only: this runs as Node exits. The master passes SIGTERM on to its workers.
    process.on('exit', () => {
      for (const group of runningGroups) signal(-group, 'SIGTERM');
    });
  }
  runningGroups.add(pgid);
}

/** Starts `command` (the haproxy master and its arguments), its output going to `output`. */
export async function spawnMaster(command: readonly string[], cwd: string, output: OutputLog, log: Logger): Promise<MasterProcess> {
  const [file, ...args] = command;
  if (file === undefined) throw new Error('empty command');
  // detached: its own process group, so a terminal's Ctrl-C reaches Node only (which then stops
  // HAProxy gracefully), and master and workers can be signalled together.
  // Descriptors 3 and 4 are Portico's own stdout and stderr: access logs that need no filtering
  // go there straight from HAProxy (access-log.ts DIRECT_DESCRIPTORS).
  const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe', 1, 2], detached: true });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${file} started without a pid`);
  child.on('error', (e) => log.error({ err: e.message }, 'HAProxy process error'));
  output.follow(child.stdout);
  output.follow(child.stderr);
  trackGroup(pid);
  const master: MasterProcess = {
    pid,
    startedAt: Date.now(),
    supervised: false,
    exit: new Promise((resolve) =>
      child.once('exit', (code, sig) => {
        master.ended = sig ? `signal ${sig}` : `exit code ${code}`;
        runningGroups.delete(pid);
        resolve(master.ended);
      }),
    ),
  };
  return master;
}

/** Whether the master has exited, waiting at most `timeoutMs`. */
export async function exitedWithin(master: MasterProcess, timeoutMs: number): Promise<boolean> {
  if (master.ended) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const done = await Promise.race([master.exit.then(() => true as const), timeout]);
  clearTimeout(timer);
  return done;
}

/**
 * Soft stop, then SIGTERM, then SIGKILL; resolves once the master is gone. SIGUSR1 makes every
 * worker close its listeners and finish its requests; the master exits after the last worker.
 * Idle keep-alive connections would hold a worker until their timeout (idle-close-on-response
 * keeps them open for one more request), so once no worker has a request in progress the rest
 * is ended with SIGTERM instead of waiting out `graceMs`.
 */
export async function terminateMaster(master: MasterProcess, graceMs: number, cli: MasterCli, log: Logger): Promise<void> {
  if (master.ended) return;
  if (graceMs > 0) {
    signal(master.pid, 'SIGUSR1');
    const deadline = Date.now() + graceMs;
    let drained = false;
    while (!drained && Date.now() < deadline) {
      if (await exitedWithin(master, 20)) return;
      drained = (await cli.requestsInProgress()) === 0;
    }
    if (!drained) log.warn({ ms: graceMs }, 'HAProxy did not finish its requests in time; terminating it');
  }
  signal(-master.pid, 'SIGTERM');
  if (await exitedWithin(master, 2000)) return;
  signal(-master.pid, 'SIGKILL');
  signal(master.pid, 'SIGKILL');
  await exitedWithin(master, 2000);
}

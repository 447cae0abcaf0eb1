/**
 * One managed HAProxy per Gateway: master-worker mode, started as Node's child (not daemonized)
 * so Node sees it exit, reloaded seamlessly through the master CLI, restarted with the last good
 * configuration when it dies.
 *
 * Files under the instance directory `dir`:
 *   haproxy.cfg    the live configuration: the fixed path the master re-reads on every reload
 *   gen-<N>/       one directory per applied configuration (see generations.ts)
 *   current        symlink to the live gen-<N>; the directory renderers name files in
 *   master.sock    master CLI (`-S`): reload, show proc
 *   runtime.sock   runtime API of the current worker (`stats socket`, from globalSection in instance-config.ts)
 *   haproxy.pid    the master's pid, to stop an HAProxy left by an earlier Portico run
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.js';
import { parentDeathPrefix, resolveHaproxy, type HaproxyBinary } from './binary.js';
import { checkConfig } from './check.js';
import { fileNameProblem, Generations, relocate, sameFiles, sameFileNames, writeAtomic, writeConfigFiles, type Generation, type HaproxyFiles } from './generations.js';
import { instancePaths } from './instance-config.js';
import type { MapStep } from './runtime-update.js';
import { MasterCli } from './master-cli.js';
import { exitedWithin, spawnMaster, terminateMaster, type MasterProcess } from './master-process.js';
import { alertSummary, OutputLog } from './output.js';
import { AccessLogWriter } from './access-log-writer.js';
import { ACCESS_LOG_SINKS_FILE } from './access-log.js';
import { commandLine, isAlive, signal, waitGone } from './pids.js';
import type { ProcList } from './show-proc.js';
import { MAX_SOCKET_PATH, socketCommand, SocketCommandError } from './sockets.js';
import { LONGEST_INTERNAL_SOCKET_NAME } from './internal-socket.js';

export type { HaproxyFiles } from './generations.js';

/** `message`: HAProxy's own words (its ALERT lines) when it refused the configuration. */
export type ApplyResult = { ok: true; reloaded: boolean } | { ok: false; message: string };
export type HaproxyState = 'running' | 'restarting' | 'stopped';

export interface HaproxyTimeouts {
  /** `haproxy -c`; large certificate sets take a while to load. */
  checkMs: number;
  /** First start or restart until a worker answers. */
  startMs: number;
  /** `reload` until the new worker answers. */
  reloadMs: number;
  /** Soft stop (in-flight requests finish) before HAProxy is terminated. */
  stopMs: number;
}

export interface HaproxyInstanceOptions {
  /** "namespace/name" of the Gateway, for logs. */
  name: string;
  /** Private state directory of this Gateway (created when missing). */
  dir: string;
  /** The haproxy executable; found on PATH or in /usr/sbin when omitted. */
  binary?: string;
  logger: Logger;
  onStateChange?: (state: HaproxyState, detail?: string) => void;
  timeouts?: Partial<HaproxyTimeouts>;
}

const DEFAULT_TIMEOUTS: HaproxyTimeouts = { checkMs: 60_000, startMs: 10_000, reloadMs: 10_000, stopMs: 10_000 };

/** After running this long, a crash counts as the first one again (no backoff). */
const STABLE_MS = 10_000;
const MAX_BACKOFF_MS = 10_000;
const POLL_MS = 10;
const WATCHDOG_MS = 500;
const RELOAD_RESEND_MS = 3000;
/** The most map text sent in one runtime API payload; HAProxy's buffer holds 16 kB. */
const MAX_MAP_PAYLOAD = 14_000;

/** Map lines grouped into payloads of at most `limit` characters (a longer line goes alone). */
export function mapPayloads(content: string, limit: number): string[] {
  const out: string[] = [];
  let part = '';
  for (const line of content.split('\n')) {
    if (!line) continue;
    if (part && part.length + line.length + 1 > limit) {
      out.push(part);
      part = '';
    }
    part += `${line}\n`;
  }
  if (part) out.push(part);
  return out;
}

function backoffMs(consecutiveCrashes: number): number {
  return consecutiveCrashes <= 1 ? 0 : Math.min(100 * 2 ** (consecutiveCrashes - 2), MAX_BACKOFF_MS);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type StepResult = { ok: true } | { ok: false; message: string };

export class HaproxyInstance {
  readonly name: string;
  readonly dir: string;
  private readonly paths: ReturnType<typeof instancePaths>;
  private readonly log: Logger;
  private readonly timeouts: HaproxyTimeouts;
  private readonly generations: Generations;
  private binary: HaproxyBinary | undefined;
  private prepared = false;

  private master: MasterProcess | undefined;
  private worker: number | undefined;
  /** Every worker pid seen, so none outlives its master unnoticed. */
  private readonly knownWorkers = new Set<number>();
  private live: Generation | undefined;
  private previousGen: number | undefined;
  private failedGen: number | undefined;

  private state: HaproxyState = 'stopped';
  private stopping = false;
  private tail: Promise<unknown> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | undefined;
  /** From scheduleRestart until restart() runs. */
  private restartQueued = false;
  private consecutiveCrashes = 0;
  private crashedAt = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private watchdogQueued = false;
  private readonly cli: MasterCli;
  private readonly output: OutputLog;
  /** Where the access lines on HAProxy's stdout go. */
  readonly accessLog: AccessLogWriter;

  constructor(private readonly options: HaproxyInstanceOptions) {
    this.name = options.name;
    this.dir = path.resolve(options.dir);
    this.paths = instancePaths(this.dir);
    this.log = options.logger.child({ gateway: options.name, component: 'haproxy' });
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.generations = new Generations(this.dir);
    this.cli = new MasterCli(this.paths.master);
    this.accessLog = new AccessLogWriter(this.log);
    this.output = new OutputLog(this.log, (line) => this.accessLog.handle(line));
  }

  /** True while a master and a current worker are up. */
  get running(): boolean {
    return this.master !== undefined && this.worker !== undefined && !this.stopping;
  }

  get currentState(): HaproxyState {
    return this.state;
  }

  get masterPid(): number | undefined {
    return this.master?.pid;
  }

  get workerPid(): number | undefined {
    return this.worker;
  }

  /**
   * The directory to render extra files' paths in (e.g. `renderGateway(gw, { dir: configDir })`).
   * apply() rewrites it into the directory of the configuration's own generation; afterwards it
   * is a symlink to the live generation.
   */
  get configDir(): string {
    return this.paths.current;
  }

  /** The live haproxy.cfg (the last configuration applied successfully). */
  get configFile(): string {
    return this.paths.config;
  }

  /**
   * Checks the configuration with `haproxy -c` in its own generation directory; when valid,
   * installs it and starts HAProxy or reloads it seamlessly. Resolves once a worker running the
   * new configuration answers. A refused configuration leaves the running one untouched. The
   * same files as the live ones resolve at once with `reloaded: false`.
   */
  apply(files: HaproxyFiles): Promise<ApplyResult> {
    return this.exclusive(async () => {
      try {
        return await this.applyNow(files);
      } catch (e) {
        // A file system error, most likely: report it like a refusal, the Gateway then says why.
        this.log.error({ err: (e as Error).message }, 'applying the configuration failed');
        return { ok: false, message: `cannot apply the configuration: ${(e as Error).message}` };
      }
    });
  }

  /** Runs a runtime API command on the current worker and returns HAProxy's answer as is. */
  runtime(command: string): Promise<string> {
    // Serialized with apply: a command sent mid-reload could reach the worker on its way out.
    return this.exclusive(async () => {
      if (!this.master) throw new Error(`HAProxy of ${this.name} is not running`);
      return socketCommand(this.paths.runtime, command, 10_000);
    });
  }

  /**
   * Changes one map of the current worker through the runtime API, as runtime-update.ts planned
   * it. `replace`: the whole content in one step (a new version is prepared, filled and committed,
   * so no request sees half of it); otherwise lines added, or one key set or deleted (keys and
   * values of `set` and `del` are plain command-line words: runtimePlan makes no other). `file`
   * is the name of the map in the configuration's directory. Throws when HAProxy refuses.
   */
  changeMap(step: MapStep): Promise<void> {
    return this.exclusive(async () => {
      const live = this.live;
      if (!this.master || !live) throw new Error(`HAProxy of ${this.name} is not running`);
      const map = path.join(live.dir, step.file);
      const ask = (command: string) => socketCommand(this.paths.runtime, command, 10_000);
      // Successful map commands print nothing.
      const silently = async (command: string): Promise<void> => {
        const answer = (await ask(command)).trim();
        if (answer) throw new Error(`${command.split(' ', 2).join(' ')} ${step.file}: ${answer}`);
      };
      // A payload must fit in HAProxy's buffer (16 kB): entries go in several parts.
      const payloads = (target: string, lines: string) => mapPayloads(lines, MAX_MAP_PAYLOAD).map((part) => `add map ${target} <<\n${part}\n`);
      if ('replace' in step) {
        const prepared = await ask(`prepare map ${map}\n`);
        const version = /New version created: (\d+)/.exec(prepared)?.[1];
        if (!version) throw new Error(`prepare map ${step.file}: ${prepared.trim()}`);
        for (const command of payloads(`@${version} ${map}`, step.replace)) await silently(command);
        await silently(`commit map @${version} ${map}\n`);
        return;
      }
      const commands = 'add' in step ? payloads(map, step.add) : 'set' in step ? [`set map ${map} ${step.set.key} ${step.set.value}\n`] : [`del map ${map} ${step.del}\n`];
      for (const command of commands) await silently(command);
    });
  }

  /**
   * Records in the live files a change already made through the runtime API (server addresses,
   * weights, states; map contents), so that a restart after a crash serves it too instead of what
   * the last reload installed. `files` must have the live configuration's structure and the same
   * extra file names; HAProxy already checked that structure, so it is not checked again.
   */
  recordRuntimeChange(files: HaproxyFiles): Promise<void> {
    return this.exclusive(async () => {
      const live = this.live;
      if (!live || !sameFileNames(files.extra, live.source.extra)) return;
      const relocated = relocate(files, this.paths.current, live.dir);
      for (const [name, text] of Object.entries(relocated.extra)) {
        if (live.files.extra[name] !== text) await writeAtomic(path.join(live.dir, name), text);
      }
      await writeAtomic(this.paths.config, relocated.config);
      this.live = { ...live, source: files, files: relocated };
    });
  }

  /** Soft stop (in-flight requests finish, bounded by timeouts.stopMs), then terminate; removes the sockets. */
  stop(): Promise<void> {
    this.stopping = true;
    this.cancelRestart();
    return this.exclusive(async () => {
      this.stopping = true;
      this.cancelRestart();
      this.stopWatchdog();
      const master = this.master;
      this.master = undefined;
      this.worker = undefined;
      if (master) await terminateMaster(master, this.timeouts.stopMs, this.cli, this.log);
      await this.killStrays();
      await Promise.all([this.paths.master, this.paths.runtime, this.paths.pid].map((f) => rm(f, { force: true })));
      await this.accessLog.close();
      this.stopping = false;
      this.setState('stopped', master ? 'stopped on request' : undefined);
    });
  }

  // ---- apply ----

  private async applyNow(source: HaproxyFiles): Promise<ApplyResult> {
    let binary: HaproxyBinary;
    try {
      binary = await this.prepare();
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    const problem = this.filesProblem(source);
    if (problem) return { ok: false, message: problem };
    if (this.master && this.live && sameFiles(source, this.live.source)) return { ok: true, reloaded: false };
    // Before the reload, so the new workers' first lines find their sinks.
    this.accessLog.load(source.extra[ACCESS_LOG_SINKS_FILE]);
    const { n, dir } = this.generations.allocate();
    const files = relocate(source, this.paths.current, dir);

    await writeConfigFiles(dir, files);
    const wasRunning = this.master !== undefined;
    // A reload is checked first, so a configuration HAProxy refuses never touches the one serving.
    // A first start has nothing to protect: starting parses the configuration the same way and
    // fails the same way, and skipping the separate check saves its time (0.16-0.2 s at 1,000 routes).
    if (wasRunning || this.live) {
      const checked = Date.now();
      const check = await checkConfig(binary.path, path.join(dir, 'haproxy.cfg'), this.timeouts.checkMs);
      for (const w of check.warnings) this.log.warn({ generation: n }, `haproxy -c: ${w}`);
      if (!check.ok) {
        this.log.warn({ generation: n, reason: check.message }, 'HAProxy refused the new configuration; the previous one keeps serving');
        await this.keepFailed(n);
        return { ok: false, message: check.message };
      }
      this.log.debug({ generation: n, ms: Date.now() - checked }, 'configuration checked');
    }

    const previous = this.live;
    await writeAtomic(this.paths.config, files.config);
    const result = wasRunning ? await this.reload() : await this.startFromApply();
    if (!result.ok) {
      // The live file is what a restart after a crash loads: it must be the last good one again.
      if (previous) await writeAtomic(this.paths.config, previous.files.config);
      else await rm(this.paths.config, { force: true });
      await this.keepFailed(n);
      if (!this.master && previous && !this.stopping && !this.restartQueued) {
        this.consecutiveCrashes++;
        this.scheduleRestart(`the new configuration did not start: ${result.message}`);
      }
      // HAProxy named the live file, which holds the last good config again; the kept generation holds the one it means.
      return { ok: false, message: result.message.split(`${this.paths.config}:`).join(`${path.join(dir, 'haproxy.cfg')}:`) };
    }
    this.previousGen = previous?.n;
    this.live = { n, dir, source, files };
    this.failedGen = undefined;
    await this.generations.makeCurrent(n);
    await this.generations.prune(this.keptGenerations());
    return { ok: true, reloaded: wasRunning };
  }

  private filesProblem(files: HaproxyFiles): string | undefined {
    for (const name of Object.keys(files.extra)) {
      const problem = fileNameProblem(name);
      if (problem) return problem;
    }
    if (!files.config.includes(`stats socket ${this.paths.runtime} `)) {
      return `the configuration lacks the global lines of globalSection(): stats socket ${this.paths.runtime} ...`;
    }
    return undefined;
  }

  /** Keeps the newest refused generation on disk for a look at what HAProxy refused. */
  private async keepFailed(n: number): Promise<void> {
    this.failedGen = n;
    await this.generations.prune(this.keptGenerations());
  }

  private keptGenerations(): Set<number> {
    return new Set([this.live?.n, this.previousGen, this.failedGen].filter((n): n is number => n !== undefined));
  }

  /** Why HAProxy cannot run in this instance's directory, or undefined. */
  private dirProblem(): string | undefined {
    // The longest internal socket a rendering binds (internal-socket.ts).
    const internal = path.join(this.dir, `${LONGEST_INTERNAL_SOCKET_NAME}.sock`);
    for (const socket of [this.paths.master, this.paths.runtime, internal]) {
      if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) return `HAProxy socket path ${socket} is longer than ${MAX_SOCKET_PATH} bytes; the state directory needs a shorter path`;
    }
    // The directory is written into haproxy.cfg unquoted (globalSection, the generation paths).
    if (!/^[A-Za-z0-9._/+@=-]+$/.test(this.dir)) return `HAProxy state directory ${JSON.stringify(this.dir)} may only hold letters, digits and ._/+@=-`;
    return undefined;
  }

  /** Once per instance: the binary, the directory, and no leftovers of an earlier run. */
  private async prepare(): Promise<HaproxyBinary> {
    const problem = this.dirProblem();
    if (problem) throw new Error(problem);
    this.binary ??= await resolveHaproxy(this.options.binary);
    if (!this.prepared) {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await this.stopEarlierRun();
      await this.generations.reset();
      this.prepared = true;
    }
    return this.binary;
  }

  /** An HAProxy started on this directory by an earlier Portico that died without stopping it. */
  private async stopEarlierRun(): Promise<void> {
    const pid = Number((await readFile(this.paths.pid, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !commandLine(pid).includes(this.paths.master)) return;
    this.log.warn({ master: pid }, 'stopping an HAProxy left running by an earlier Portico process');
    signal(-pid, 'SIGTERM');
    signal(pid, 'SIGTERM');
    if ((await waitGone([pid], 3000)).length > 0) {
      signal(-pid, 'SIGKILL');
      signal(pid, 'SIGKILL');
      await waitGone([pid], 1000);
    }
  }

  // ---- start ----

  private async startFromApply(): Promise<{ ok: true; reloaded: false } | { ok: false; message: string }> {
    this.cancelRestart();
    const r = await this.start();
    if (!r.ok) return r;
    this.setState('running', 'started');
    return { ok: true, reloaded: false };
  }

  /** Starts a master on the live haproxy.cfg and waits until its worker answers. */
  private async start(): Promise<StepResult> {
    await this.killStrays();
    const capture = this.output.capture();
    const started = Date.now();
    try {
      let master: MasterProcess;
      try {
        master = await this.spawnMaster();
      } catch (e) {
        return { ok: false, message: `cannot start HAProxy: ${(e as Error).message}` };
      }
      this.master = master;
      const ready = await this.waitReady(master, started + this.timeouts.startMs);
      if (!ready.ok) {
        this.master = undefined;
        await terminateMaster(master, 0, this.cli, this.log);
        await this.killStrays();
        return { ok: false, message: alertSummary(capture.lines, { fallback: false }) || ready.message };
      }
      master.supervised = true;
      this.worker = ready.worker;
      this.knownWorkers.add(ready.worker);
      this.startWatchdog();
      this.log.info({ master: master.pid, worker: ready.worker, ms: Date.now() - started }, 'HAProxy started');
      return { ok: true };
    } finally {
      capture.stop();
    }
  }

  private async spawnMaster(): Promise<MasterProcess> {
    if (!this.binary) throw new Error('haproxy binary not resolved');
    const command = [...(await parentDeathPrefix()), this.binary.path, '-W', '-S', `${this.paths.master},mode,600`, '-f', this.paths.config, '-p', this.paths.pid];
    const master = await spawnMaster(command, this.dir, this.output, this.log);
    void master.exit.then((how) => this.onMasterExit(master, how));
    return master;
  }

  private async waitReady(master: MasterProcess, deadline: number): Promise<{ ok: true; worker: number } | { ok: false; message: string }> {
    for (;;) {
      if (master.ended) return { ok: false, message: `HAProxy exited (${master.ended})` };
      const proc = await this.cli.showProc();
      const worker = proc?.workers[0];
      if (worker && (await this.cli.workerAnswers(worker.pid))) return { ok: true, worker: worker.pid };
      if (Date.now() > deadline) return { ok: false, message: `HAProxy did not start a worker within ${this.timeouts.startMs} ms` };
      await sleep(POLL_MS);
    }
  }

  // ---- reload ----

  /**
   * Reload through the master CLI. In 2.6 `reload` answers nothing and the connection just
   * closes as the master re-executes itself; 2.7+ waits and answers "Success=1" or "Success=0".
   * Either way the reload is confirmed the same way: `show proc` lists a current worker that was
   * not there before, and that worker answers `show info` through the master; a grown
   * "[failed: N]" count in `show proc` means the new configuration did not load (old workers
   * keep serving).
   */
  private async reload(): Promise<{ ok: true; reloaded: true } | { ok: false; message: string }> {
    const master = this.master;
    if (!master) return { ok: false, message: 'HAProxy is not running' };
    const started = Date.now();
    const deadline = started + this.timeouts.reloadMs;
    const capture = this.output.capture();
    const fail = (message: string): { ok: false; message: string } => {
      const words = alertSummary(capture.lines, { fallback: false });
      this.log.warn({ reason: words || message }, 'HAProxy reload failed; the previous configuration keeps serving');
      return { ok: false, message: words ? `${message}:\n${words}` : message };
    };
    try {
      let before: ProcList | undefined;
      while (!(before = await this.cli.showProc())) {
        if (master.ended) return fail(`HAProxy exited (${master.ended})`);
        if (Date.now() > deadline) return fail('the master CLI does not answer');
        await sleep(POLL_MS);
      }
      const sendReload = async (): Promise<string | { ok: false; message: string }> => {
        for (;;) {
          try {
            return await this.cli.command('reload', Math.max(1, deadline - Date.now()));
          } catch (e) {
            if (e instanceof SocketCommandError && e.written) return ''; // sent; the polling below tells whether it ran
            if (master.ended) return fail(`HAProxy exited (${master.ended})`);
            if (Date.now() > deadline) return fail(`cannot send reload to the master CLI: ${(e as Error).message}`);
            await sleep(POLL_MS);
          }
        }
      };
      const reply = await sendReload();
      if (typeof reply !== 'string') return reply;
      if (/^Success=0/m.test(reply)) return fail(`HAProxy could not load the new configuration: ${reply.split('--').slice(1).join('--').trim()}`);
      const previous = new Set(before.workers.map((w) => w.pid));
      // A reload sent while the master is still settling after its start can be lost without a
      // trace (no new worker, no failed count): it is sent once more rather than waited out.
      let resendAt: number | undefined = started + RELOAD_RESEND_MS;
      for (;;) {
        if (resendAt !== undefined && Date.now() > resendAt) {
          resendAt = undefined;
          this.log.warn({ ms: Date.now() - started }, 'no new HAProxy worker yet; sending the reload again');
          const again = await sendReload();
          if (typeof again !== 'string') return again;
        }
        if (master.ended) return fail(`HAProxy exited during the reload (${master.ended})`);
        const proc = await this.cli.showProc();
        if (proc) {
          this.knownWorkers.clear();
          for (const w of [...proc.workers, ...proc.oldWorkers]) this.knownWorkers.add(w.pid);
          const fresh = proc.workers.find((w) => !previous.has(w.pid));
          if (fresh && (await this.cli.workerAnswers(fresh.pid))) {
            this.worker = fresh.pid;
            this.log.info({ worker: fresh.pid, ms: Date.now() - started, oldWorkers: proc.oldWorkers.length }, 'HAProxy reloaded');
            return { ok: true, reloaded: true };
          }
          if (!fresh && proc.master.failedReloads > before.master.failedReloads) return fail('HAProxy could not load the new configuration');
        }
        if (Date.now() > deadline) return fail(`HAProxy did not confirm the reload within ${this.timeouts.reloadMs} ms`);
        await sleep(POLL_MS);
      }
    } finally {
      capture.stop();
    }
  }

  // ---- crashes ----

  private onMasterExit(master: MasterProcess, how: string): void {
    // Workers of a master killed outright exit when they notice; make sure none lingers on the
    // shared listening sockets while the next master starts.
    signal(-master.pid, 'SIGKILL');
    // Not yet supervised: start() sees the exit and reports it. Not current: stopped on purpose.
    if (!master.supervised || this.master !== master) return;
    this.master = undefined;
    this.worker = undefined;
    this.stopWatchdog();
    if (this.stopping) return;
    const now = Date.now();
    if (now - master.startedAt > STABLE_MS) this.consecutiveCrashes = 0;
    this.consecutiveCrashes++;
    this.crashedAt = now;
    this.log.error({ master: master.pid, how }, 'HAProxy exited unexpectedly');
    this.scheduleRestart(`HAProxy exited (${how})`);
  }

  private scheduleRestart(reason: string): void {
    const delay = backoffMs(this.consecutiveCrashes);
    this.setState('restarting', `${reason}; restarting with the last good configuration in ${delay} ms`);
    this.cancelRestart();
    this.restartQueued = true;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.exclusive(() => this.restart());
    }, delay);
  }

  private cancelRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.restartQueued = false;
  }

  private async restart(): Promise<void> {
    this.restartQueued = false;
    if (this.stopping || this.master || !this.live) return;
    const r = await this.start();
    if (r.ok) {
      this.log.info({ ms: Date.now() - this.crashedAt, crashes: this.consecutiveCrashes }, 'HAProxy restarted with the last good configuration');
      this.setState('running', 'restarted');
      return;
    }
    this.consecutiveCrashes++;
    this.log.error({ reason: r.message }, 'HAProxy restart failed');
    if (!this.stopping) this.scheduleRestart(`restart failed: ${r.message}`);
  }

  /**
   * A master that stays up without a current worker serves nothing: HAProxy only exits by itself
   * when a worker fails with an error status, not when one is stopped with status 0 while older
   * workers are still draining.
   */
  private startWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => this.checkWorker(), WATCHDOG_MS);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private checkWorker(): void {
    const master = this.master;
    const worker = this.worker;
    if (!master || worker === undefined || isAlive(worker) || this.watchdogQueued) return;
    this.watchdogQueued = true;
    void this.exclusive(async () => {
      this.watchdogQueued = false;
      if (this.master !== master || this.worker !== worker || isAlive(worker) || master.ended) return;
      const current = (await this.cli.showProc())?.workers[0];
      if (current && isAlive(current.pid)) {
        this.worker = current.pid; // reloaded behind our back (SIGUSR2): follow it
        this.knownWorkers.add(current.pid);
        return;
      }
      this.log.error({ master: master.pid, worker }, 'HAProxy has no running worker; restarting it');
      signal(-master.pid, 'SIGTERM');
      if (!(await exitedWithin(master, 1000))) signal(-master.pid, 'SIGKILL');
    });
  }

  // ---- stopping ----

  /** Kills workers left behind by a master that is gone (they would hold the listening sockets). */
  private async killStrays(): Promise<void> {
    const strays = [...this.knownWorkers].filter((pid) => isAlive(pid) && commandLine(pid).includes(this.paths.master));
    this.knownWorkers.clear();
    if (strays.length === 0) return;
    this.log.warn({ workers: strays }, 'killing HAProxy workers left behind by their master');
    for (const pid of strays) signal(pid, 'SIGKILL');
    await waitGone(strays, 1000);
  }

  // ---- plumbing ----

  /** Serializes apply, runtime commands, restarts and stop. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private setState(state: HaproxyState, detail?: string): void {
    if (state === this.state && state !== 'restarting') return;
    this.state = state;
    try {
      this.options.onStateChange?.(state, detail);
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'onStateChange threw');
    }
  }
}

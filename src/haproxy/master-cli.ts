/** What Portico asks HAProxy's master CLI (`-S <dir>/master.sock`). */
import { parseShowProc, type ProcList } from './show-proc.js';
import { socketCommand } from './sockets.js';

const ANSWER_MS = 2000;

export class MasterCli {
  constructor(readonly socketPath: string) {}

  /** Sends a command and returns the answer; rejects with SocketCommandError. */
  command(command: string, timeoutMs = ANSWER_MS): Promise<string> {
    return socketCommand(this.socketPath, command, timeoutMs);
  }

  /** `show proc`; undefined while the master cannot answer (starting, or re-executing itself on reload). */
  async showProc(): Promise<ProcList | undefined> {
    try {
      return parseShowProc(await this.command('show proc'));
    } catch {
      return undefined;
    }
  }

  /** Whether worker `pid` runs its event loop: it answers `show info` relayed by the master. */
  async workerAnswers(pid: number): Promise<boolean> {
    try {
      return new RegExp(`^Pid: ${pid}$`, 'm').test(await this.command(`@!${pid} show info`));
    } catch {
      return false;
    }
  }

  /**
   * Requests being processed by all workers together: their streams in `show sess`, less the CLI
   * session asking. An idle keep-alive connection has no stream. Undefined when it cannot tell.
   */
  async requestsInProgress(): Promise<number | undefined> {
    const proc = await this.showProc();
    if (!proc) return undefined;
    let count = 0;
    for (const w of [...proc.workers, ...proc.oldWorkers]) {
      let sessions: string;
      try {
        sessions = await this.command(`@!${w.pid} show sess`);
      } catch {
        return undefined;
      }
      count += sessions.split('\n').filter((l) => /^0x[0-9a-f]+:/.test(l) && !/ fe=GLOBAL /.test(l)).length;
    }
    return count;
  }
}

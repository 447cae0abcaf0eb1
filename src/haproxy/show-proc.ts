/**
 * Parsing the master CLI's `show proc`. The format has been the same from 2.5 to 3.x:
 *
 *   #<PID>          <type>          <reloads>       <uptime>        <version>
 *   1162            master          5 [failed: 0]   0d00h02m07s     2.6.12
 *   # workers
 *   1271            worker          0               0d00h00m00s     2.6.12
 *   # old workers
 *   1233            worker          3               0d00h00m43s     2.6.12
 *   # programs
 */

export interface ProcEntry {
  pid: number;
  /** Reloads this process has lived through (0 for the newest worker). */
  reloads: number;
}

export interface ProcList {
  master: ProcEntry & { failedReloads: number };
  /** Current workers: the ones serving the latest successfully loaded configuration. */
  workers: ProcEntry[];
  /** Workers finishing their connections after a reload. */
  oldWorkers: ProcEntry[];
}

export function parseShowProc(text: string): ProcList | undefined {
  let master: ProcList['master'] | undefined;
  const workers: ProcEntry[] = [];
  const oldWorkers: ProcEntry[] = [];
  let section: 'head' | 'workers' | 'old' | 'other' = 'head';
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const title = trimmed.replace(/^#\s*/, '');
      if (title === 'workers') section = 'workers';
      else if (title === 'old workers') section = 'old';
      else if (!title.startsWith('<PID>')) section = 'other';
      continue;
    }
    const m = /^(\d+)\s+(\S+)\s+(\d+)(?:\s+\[failed:\s*(\d+)\])?/.exec(trimmed);
    if (!m) continue;
    const entry = { pid: Number(m[1]), reloads: Number(m[3]) };
    if (section === 'head' && m[2] === 'master') master = { ...entry, failedReloads: Number(m[4] ?? 0) };
    else if (section === 'workers' && m[2] === 'worker') workers.push(entry);
    else if (section === 'old' && m[2] === 'worker') oldWorkers.push(entry);
  }
  return master ? { master, workers, oldWorkers } : undefined;
}

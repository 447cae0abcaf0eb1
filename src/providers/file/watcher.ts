import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface WatchTargets {
  /** Directories in which any change matters (every directory walked). */
  directories: Iterable<string>;
  /**
   * Directories in which only some names matter: the parents of the -f paths, so a file saved
   * by rename, or a root deleted and created again, is still seen.
   */
  names: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * One non-recursive fs.watch per directory (recursive watching is not available on Linux with
 * Node 20). Directories are watched under the names they are given, and changed paths are
 * reported in that same form. The owner calls sync() with the set to watch after each rescan,
 * which is how new subdirectories get watched.
 */
export class TreeWatcher {
  private readonly watchers = new Map<string, { watcher: FSWatcher; names: ReadonlySet<string> | undefined }>();

  constructor(
    /** Called with the path that changed (directory joined with the name the event gives), or
     * undefined when the event does not say (then everything must be looked at). */
    private readonly onChange: (changed: string | undefined) => void,
    private readonly onError: (dir: string, err: Error) => void = () => {},
  ) {}

  /** Watches exactly the given targets; returns how many directories were newly watched. */
  sync(targets: WatchTargets): number {
    const wanted = new Map<string, ReadonlySet<string> | undefined>();
    for (const [dir, names] of targets.names) wanted.set(dir, names);
    for (const dir of targets.directories) wanted.set(dir, undefined);

    for (const [dir, current] of this.watchers) {
      if (!wanted.has(dir) || !sameNames(current.names, wanted.get(dir))) this.unwatch(dir);
    }
    let added = 0;
    for (const [dir, names] of wanted) {
      if (this.watchers.has(dir)) continue;
      if (this.watchDirectory(dir, names)) added++;
    }
    return added;
  }

  get watchedDirectories(): string[] {
    return [...this.watchers.keys()].sort();
  }

  close(): void {
    for (const dir of [...this.watchers.keys()]) this.unwatch(dir);
  }

  private watchDirectory(dir: string, names: ReadonlySet<string> | undefined): boolean {
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (_event, filename) => {
        // Without a name we can neither filter nor say what changed: assume anything did.
        if (filename === null) return this.onChange(undefined);
        const name = filename.toString();
        if (names && !names.has(name)) return;
        this.onChange(path.join(dir, name));
      });
    } catch (err) {
      // Gone already (ENOENT) or not watchable: the rescan this triggers sorts it out.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(dir, err as Error);
      return false;
    }
    watcher.on('error', (err) => {
      // The directory was removed or became unreadable: stop watching it and rescan.
      this.unwatch(dir);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'EPERM') this.onError(dir, err);
      this.onChange(undefined);
    });
    this.watchers.set(dir, { watcher, names });
    return true;
  }

  private unwatch(dir: string): void {
    const entry = this.watchers.get(dir);
    if (!entry) return;
    this.watchers.delete(dir);
    entry.watcher.close();
  }
}

function sameNames(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.size === b.size && [...a].every((n) => b.has(n));
}

import path from 'node:path';
import { Debouncer } from '../../store/debounce.js';
import { normalizePath } from './discover.js';
import { FileLoader, type FileLoaderOptions, type LoadResult } from './loader.js';
import { TreeWatcher } from './watcher.js';

/**
 * Short: the quiet window is added to every edit's convergence time. An editor's save (write,
 * rename, chmod) fires its events within a few milliseconds.
 */
export const DEFAULT_DEBOUNCE_MS = 20;

export interface FileProviderOptions extends FileLoaderOptions {
  /** Quiet window after the last file event before reloading. Default 20 ms. */
  debounceMs?: number;
  /** Reload at the latest this long after the first event of a burst. Default 500 ms. */
  maxWaitMs?: number;
}

export interface WatchHandlers {
  /** Called after each reload that changed something (not for the first load, which watch() returns). */
  onLoad: (result: LoadResult) => void;
  onError?: (err: Error) => void;
}

/**
 * The -f paths as a source of objects: loads them once, or loads and keeps watching, turning
 * each burst of file events into one reload.
 */
export class FileProvider {
  private readonly loader: FileLoader;
  private readonly debouncer: Debouncer;
  private readonly watcher: TreeWatcher;
  private handlers: WatchHandlers | undefined;
  private loading = false;
  /** Paths changed since the last reload started; undefined means "look at everything". */
  private changedPaths: Set<string> | undefined = new Set();
  private again = false;
  private closed = false;
  /** Reloads run since watch() started, the first load included; lets tests count rebuilds. */
  reloads = 0;

  constructor(private readonly options: FileProviderOptions) {
    this.loader = new FileLoader(options);
    this.debouncer = new Debouncer(() => void this.reload(), {
      quietMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
      maxWaitMs: options.maxWaitMs ?? 500,
    });
    this.watcher = new TreeWatcher(
      (changed) => {
        if (changed === undefined) this.changedPaths = undefined;
        else this.changedPaths?.add(changed);
        this.debouncer.trigger();
      },
      (dir, err) => this.handlers?.onError?.(new Error(`cannot watch ${dir}: ${err.message}`)),
    );
  }

  /** One load, no watching. */
  load(): Promise<LoadResult> {
    return this.loader.load();
  }

  /** Loads, starts watching, and returns the first result; later changes go to handlers.onLoad. */
  async watch(handlers: WatchHandlers): Promise<LoadResult> {
    this.handlers = handlers;
    const result = await this.loader.load();
    this.reloads++;
    this.syncWatches(result);
    return result;
  }

  /** True when no reload is running or waiting for its quiet window. */
  get idle(): boolean {
    return !this.loading && !this.debouncer.pending;
  }

  close(): void {
    this.closed = true;
    this.debouncer.cancel();
    this.watcher.close();
  }

  private async reload(): Promise<void> {
    if (this.closed) return;
    if (this.loading) {
      // Events during a load: load again once it is done, never twice at once.
      this.again = true;
      return;
    }
    this.loading = true;
    const changed = this.changedPaths;
    this.changedPaths = new Set();
    try {
      const result = await this.loader.load(changed);
      this.reloads++;
      if (this.closed) return;
      this.syncWatches(result);
      if (result.changed) this.handlers?.onLoad(result);
    } catch (err) {
      this.changedPaths = undefined; // unknown state: look at everything next time
      this.handlers?.onError?.(err as Error);
    } finally {
      this.loading = false;
      if (this.again && !this.closed) {
        this.again = false;
        this.debouncer.trigger();
      }
    }
  }

  private syncWatches(result: LoadResult): void {
    // Paths stay in the form the user gave them (normalized), so that changed paths reported
    // by the watcher match the loader's files and directories.
    const names = new Map<string, Set<string>>();
    for (const root of this.options.paths) {
      const normalized = normalizePath(root);
      const parent = path.dirname(normalized);
      if (parent === normalized) continue; // "/" has no parent to watch
      let set = names.get(parent);
      if (!set) names.set(parent, (set = new Set()));
      set.add(path.basename(normalized));
    }
    const added = this.watcher.sync({ directories: result.directories, names });
    // A file created in a new directory before its watch was in place would be missed: look
    // again, everywhere, once the watch is there (cheap: unchanged files come from the cache).
    if (added > 0 && this.reloads > 1) {
      this.changedPaths = undefined;
      this.debouncer.trigger();
    }
  }
}

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject } from '../../api/object.js';
import type { SourceLocation } from '../../store/resources.js';
import { discoverFiles, isSourceFile, normalizePath, type Discovery } from './discover.js';
import { loadFileText, type FileResult } from './load-file.js';
import { compareProblems, type Problem } from './problem.js';
import type { ObjectValidator } from './validator.js';

/** A kind Portico does not read, with how often and where it was first seen. */
export interface SkippedKind {
  kind: string;
  apiVersion: string;
  count: number;
  first: SourceLocation;
}

export interface LoadResult {
  /** False when no file was added, removed or changed since the previous load. */
  changed: boolean;
  /** Valid objects, in file order (files sorted by path, then document order). */
  objects: KubeObject[];
  sources: Map<KubeObject, SourceLocation>;
  /** Everything refused: YAML errors, bad envelopes, validation problems, duplicates, missing paths. */
  problems: Problem[];
  /** Accepted with a remark (e.g. unknown fields dropped). */
  warnings: Problem[];
  skippedKinds: SkippedKind[];
  files: string[];
  directories: string[];
  /** Files read and parsed by this load; the others came from the cache. */
  filesParsed: number;
}

export interface FileLoaderOptions {
  paths: readonly string[];
  validator: ObjectValidator;
  /** Files read at once; keeps a 10,000-file tree under the open-file limit. Default 64. */
  concurrency?: number;
}

interface CacheEntry {
  /** Identity of the file version on disk: device, inode, size, change and modification times. */
  fingerprint: string;
  /** Content hash, so a touch or a rewrite with the same bytes costs a read but no parse. */
  hash: string;
  result: FileResult;
}

/**
 * Reads the -f paths into objects. Keeps the result of every file keyed by its stat
 * fingerprint, so a reload after one edit re-parses and re-validates only that file; told which
 * paths changed, it does not even look at the others.
 */
export class FileLoader {
  private readonly cache = new Map<string, CacheEntry>();
  /** Current files, sorted, and their results in the same order. */
  private files: string[] = [];
  private fileSet = new Set<string>();
  private results: FileResult[] = [];
  private directories: string[] = [];
  private directorySet = new Set<string>();
  private missing: Discovery['missing'] = [];
  private readonly roots: Set<string>;
  private loaded = false;

  constructor(private readonly options: FileLoaderOptions) {
    this.roots = new Set(options.paths.map(normalizePath));
  }

  /**
   * Loads every file, or, given the paths that changed (as reported by the watcher, in the same
   * form as the files and directories of a LoadResult), only those. A change that touches a
   * directory, or a path that is not a known or new source file, falls back to a full scan.
   */
  async load(changedPaths?: Iterable<string>): Promise<LoadResult> {
    if (!this.loaded || changedPaths === undefined) return this.fullLoad();
    const toCheck = new Set<string>();
    for (const changed of changedPaths) {
      const p = normalizePath(changed);
      if (this.fileSet.has(p)) {
        toCheck.add(p);
        continue;
      }
      if (this.directorySet.has(p) || this.missing.some((m) => m.path === p)) return this.fullLoad();
      const st = await stat(p).catch(() => undefined);
      if (!st) continue; // created and gone again (an editor's temporary file)
      if (st.isDirectory()) return this.fullLoad();
      const name = path.basename(p);
      const inWalkedDirectory = this.directorySet.has(path.dirname(p)) && !name.startsWith('.') && isSourceFile(name);
      if (st.isFile() && (inWalkedDirectory || this.roots.has(p))) toCheck.add(p);
    }

    let filesParsed = 0;
    let changed = false;
    let rootGone = false;
    const byFile = new Map(this.files.map((f, i) => [f, this.results[i] as FileResult]));
    await mapLimit([...toCheck], this.options.concurrency ?? 64, async (file) => {
      const { result, parsed } = await this.loadFile(file);
      if (parsed) filesParsed++;
      if (result === byFile.get(file)) return;
      changed = true;
      if (result) byFile.set(file, result);
      else byFile.delete(file);
      if (!result && this.roots.has(file)) rootGone = true;
    });
    // A path given with -f is gone: a full scan reports it missing.
    if (rootGone) return this.fullLoad();
    if (changed) {
      this.files = [...byFile.keys()].sort(compareStrings);
      this.fileSet = new Set(this.files);
      this.results = this.files.map((f) => byFile.get(f) as FileResult);
    }
    return this.result(changed, filesParsed);
  }

  private async fullLoad(): Promise<LoadResult> {
    const found = await discoverFiles(this.options.paths);
    let filesParsed = 0;
    const results = await mapLimit(found.files, this.options.concurrency ?? 64, async (file) => {
      const { result, parsed } = await this.loadFile(file);
      if (parsed) filesParsed++;
      return result;
    });
    const files = found.files.filter((_, i) => results[i] !== undefined);
    const kept = results.filter((r): r is FileResult => r !== undefined);
    const fileSet = new Set(files);
    for (const file of this.cache.keys()) if (!fileSet.has(file)) this.cache.delete(file);

    const missingKey = (m: Discovery['missing']): string => m.map((x) => x.path).join('\0');
    const changed =
      !this.loaded ||
      missingKey(this.missing) !== missingKey(found.missing) ||
      this.files.length !== files.length ||
      files.some((f, i) => f !== this.files[i] || kept[i] !== this.results[i]);
    this.loaded = true;
    this.files = files;
    this.fileSet = fileSet;
    this.results = kept;
    this.directories = found.directories;
    this.directorySet = new Set(found.directories);
    this.missing = found.missing;
    return this.result(changed, filesParsed);
  }

  private result(changed: boolean, filesParsed: number): LoadResult {
    const merged = mergeFileResults(this.results);
    for (const m of this.missing) merged.problems.unshift({ file: m.path, message: m.message });
    return { changed, ...merged, files: this.files, directories: this.directories, filesParsed };
  }

  /** undefined when the file is gone. */
  private async loadFile(file: string): Promise<{ result: FileResult | undefined; parsed: boolean }> {
    const cached = this.cache.get(file);
    let fingerprint: string;
    try {
      // stat before read: a write landing in between changes the fingerprint, so the next
      // reload (triggered by that write's own event) reads the file again.
      const st = await stat(file, { bigint: true });
      fingerprint = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    } catch {
      this.cache.delete(file);
      return { result: undefined, parsed: false };
    }
    if (cached && cached.fingerprint === fingerprint) return { result: cached.result, parsed: false };
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.cache.delete(file);
        return { result: undefined, parsed: false };
      }
      const result: FileResult = { entries: [], problems: [{ file, message: `cannot read: ${(err as Error).message}` }], warnings: [], skipped: [] };
      this.cache.set(file, { fingerprint, hash: '', result });
      return { result, parsed: false };
    }
    const hash = createHash('sha256').update(text).digest('hex');
    if (cached && cached.hash === hash) {
      this.cache.set(file, { fingerprint, hash, result: cached.result });
      return { result: cached.result, parsed: false };
    }
    const result = loadFileText(file, text, this.options.validator);
    this.cache.set(file, { fingerprint, hash, result });
    return { result, parsed: true };
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Combines per-file results in the order given. The same kind/namespace/name twice is a
 * problem reported at the later place, naming the earlier one, which is kept.
 */
export function mergeFileResults(results: readonly FileResult[]): Omit<LoadResult, 'changed' | 'files' | 'directories' | 'filesParsed'> {
  const objects: KubeObject[] = [];
  const sources = new Map<KubeObject, SourceLocation>();
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const skipped = new Map<string, SkippedKind>();
  const firstSeen = new Map<string, SourceLocation>();

  for (const result of results) {
    problems.push(...result.problems);
    warnings.push(...result.warnings);
    for (const s of result.skipped) {
      const known = skipped.get(s.kind);
      if (known) known.count++;
      else skipped.set(s.kind, { kind: s.kind, apiVersion: s.apiVersion, count: 1, first: s.location });
    }
    for (const entry of result.entries) {
      const first = firstSeen.get(entry.key);
      if (first) {
        problems.push({
          file: entry.location.file,
          document: entry.location.document,
          line: entry.location.line,
          subject: entry.subject,
          message: `duplicate: already defined at ${first.file}:${first.document}, which is kept; this one is ignored`,
        });
        continue;
      }
      firstSeen.set(entry.key, entry.location);
      if (entry.object) {
        objects.push(entry.object);
        sources.set(entry.object, entry.location);
      }
    }
  }
  problems.sort(compareProblems);
  return { objects, sources, problems, warnings, skippedKinds: [...skipped.values()] };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

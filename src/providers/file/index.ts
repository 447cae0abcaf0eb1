export { DEFAULT_DEBOUNCE_MS, FileProvider, type FileProviderOptions, type WatchHandlers } from './provider.js';
export { FileLoader, mergeFileResults, type FileLoaderOptions, type LoadResult, type SkippedKind } from './loader.js';
export { formatProblem, describeObject, describeSkippedKind, compareProblems, type Problem } from './problem.js';
export type { ObjectValidator } from './validator.js';

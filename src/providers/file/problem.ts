import { kindInfo } from '../../api/kinds.js';
import type { SkippedKind } from './loader.js';
/**
 * A problem (or warning) found while reading input, tied to where it was found. Printed by
 * `portico validate`, logged by `portico run`.
 */
export interface Problem {
  /** File path as the user gave it. */
  file: string;
  /** 1-based document index inside the file; absent for problems about the file as a whole. */
  document?: number;
  /**
   * 1-based line: where the document starts, or, for YAML syntax errors (which have no
   * `document`), where the error is. Orders problems within a file.
   */
  line?: number;
  /** The object concerned, as "Kind namespace/name" (see describeObject). */
  subject?: string;
  /** Field path inside the object, e.g. "spec.listeners[0].hostname". */
  path?: string;
  message: string;
}

/**
 * The one-line form:
 * - object problems: `file:document  Kind namespace/name  field.path: message`
 * - problems with a document but no object: `file:document  message`
 * - YAML syntax errors: `file:LINE: message`
 * - file problems: `file: message`
 */
export function formatProblem(problem: Problem): string {
  if (problem.document === undefined) {
    const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
    return `${where}: ${problem.message}`;
  }
  const parts = [`${problem.file}:${problem.document}`];
  if (problem.subject) parts.push(problem.subject);
  parts.push(problem.path ? `${problem.path}: ${problem.message}` : problem.message);
  return parts.join('  ');
}

/** "Gateway default/web", "GatewayClass portico"; a missing name shows as "(no name)". */
export function describeObject(kind: string, namespace: string | undefined, name: string | undefined): string {
  const shownName = name || '(no name)';
  return namespace ? `${kind} ${namespace}/${shownName}` : `${kind} ${shownName}`;
}

/** Orders problems by file, then by place in the file (line, then document number). */
export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const line = (a.line ?? 0) - (b.line ?? 0);
  if (line !== 0) return line;
  return (a.document ?? 0) - (b.document ?? 0);
}

/**
 * The one warning for a kind Portico skips. A kind whose name Portico reads but whose group is
 * another (an Istio Gateway, a mistyped HTTPRoute group) says so, since that is likely a mistake.
 */
export function describeSkippedKind(kind: SkippedKind): string {
  const ours = kindInfo(kind.kind);
  const why = ours
    ? `Portico reads ${kind.kind} only from ${ours.group === '' ? 'the core group (apiVersion: v1)' : ours.group}`
    : 'Portico does not use this kind';
  return `skipping ${kind.kind} (${kind.apiVersion}): ${why}; ${kind.count} found, first at ${kind.first.file}:${kind.first.document}`;
}

import type { KubeObject } from '../../api/object.js';
import type { SourceLocation } from '../../store/resources.js';
import { decodeDocument } from './decode.js';
import { parseDocuments } from './parse.js';
import type { Problem } from './problem.js';
import type { ObjectValidator } from './validator.js';

/** One document that names a Portico object, valid or not (duplicates are judged on all of them). */
export interface FileEntry {
  /** objectKey(kind, namespace, name). */
  key: string;
  subject: string;
  location: SourceLocation;
  /** The validated object; undefined when validation refused it. */
  object?: KubeObject;
}

export interface SkippedDocument {
  kind: string;
  apiVersion: string;
  location: SourceLocation;
}

/** Everything one file contributes; cached per file content by the loader. */
export interface FileResult {
  entries: FileEntry[];
  problems: Problem[];
  warnings: Problem[];
  skipped: SkippedDocument[];
}

/** Parses, checks and validates one file's text. Pure apart from what the validator does. */
export function loadFileText(file: string, text: string, validator: ObjectValidator): FileResult {
  const parsed = parseDocuments(file, text);
  const result: FileResult = { entries: [], problems: [...parsed.problems], warnings: [], skipped: [] };

  for (const doc of parsed.documents) {
    const decoded = decodeDocument(doc);
    if (decoded.type === 'problem') {
      result.problems.push(decoded.problem);
      continue;
    }
    if (decoded.type === 'skipped') {
      result.skipped.push({ kind: decoded.kind, apiVersion: decoded.apiVersion, location: doc.location });
      continue;
    }
    const at = { file, document: doc.location.document, line: doc.location.line, subject: decoded.subject };
    const entry: FileEntry = { key: decoded.key, subject: decoded.subject, location: doc.location };
    let verdict: ReturnType<ObjectValidator['validate']>;
    try {
      verdict = doc.owned ? validator.validate(decoded.object, { owned: true }) : validator.validate(decoded.object);
    } catch (err) {
      // A validator bug must cost one object, not the whole load.
      result.problems.push({ ...at, message: `internal error while validating: ${(err as Error).message}` });
      result.entries.push(entry);
      continue;
    }
    for (const w of verdict.warnings) result.warnings.push({ ...at, message: w });
    if (verdict.ok) {
      entry.object = verdict.object ?? decoded.object;
    } else {
      for (const p of verdict.problems) result.problems.push({ ...at, path: p.path, message: p.message });
      if (verdict.problems.length === 0) result.problems.push({ ...at, message: 'refused by validation' });
    }
    result.entries.push(entry);
  }
  return result;
}

import { LineCounter, isMap, isSeq, parseAllDocuments, type Document } from 'yaml';
import type { SourceLocation } from '../../store/resources.js';
import { parseJsonFast, parseYamlFast } from './fast-parse.js';
import type { Problem } from './problem.js';

/** One parsed document (or one item of a `kind: List` document) before any Kubernetes checks. */
export interface RawDocument {
  value: unknown;
  location: SourceLocation;
  /**
   * The value shares no part with another document's or with itself (no aliases), so whoever
   * validates it may change it in place. The fast parsers' output is; the yaml package's may
   * reuse an anchored value at each alias.
   */
  owned?: boolean;
}

export interface ParsedFile {
  documents: RawDocument[];
  /** YAML syntax errors, one per broken document; the broken document is left out. */
  problems: Problem[];
}

/**
 * Splits a YAML (or JSON, which YAML 1.2 contains) text into documents. A syntax error skips only
 * the document it is in. Empty documents (a trailing `---`, comments only) are dropped silently
 * but still count in the document numbering, so numbers match what an editor shows.
 *
 * A fast parser reads the file when it can give the same answer (fast-parse.ts); otherwise, and
 * always when there is an error to explain, the yaml package does.
 */
export function parseDocuments(file: string, text: string): ParsedFile {
  const fast = (file.endsWith('.json') ? parseJsonFast(file, text) : undefined) ?? parseYamlFast(file, text);
  return fast ? { documents: fast, problems: [] } : parseDocumentsPrecisely(file, text);
}

/** parseDocuments with the yaml package alone: exact positions for every document and error. */
export function parseDocumentsPrecisely(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  // merge: `<<` keys, which kubectl's YAML decoder also accepts.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, merge: true });
  const documents: RawDocument[] = [];
  const problems: Problem[] = [];
  // parseAllDocuments returns an EmptyStream (not an array) for input with no documents.
  if (!Array.isArray(docs)) return { documents, problems };

  docs.forEach((doc, i) => {
    const document = i + 1;
    const start = doc.contents?.range[0] ?? doc.range[0];
    const line = lineCounter.linePos(start).line;
    const error = doc.errors[0];
    if (error) {
      problems.push({ file, line: lineCounter.linePos(error.pos[0]).line, message: `YAML error, document ${document} skipped: ${error.message}` });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // Unresolved aliases and alias bombs only show up when converting.
      problems.push({ file, line, message: `YAML error, document ${document} skipped: ${(err as Error).message}` });
      return;
    }
    if (value === null || value === undefined) return;
    const items = listItems(doc, value, lineCounter);
    if (items) {
      for (const item of items) documents.push({ value: item.value, location: { file, document, line: item.line } });
    } else {
      documents.push({ value, location: { file, document, line } });
    }
  });
  return { documents, problems };
}

/**
 * The items of a `kind: List` (or `kind: FooList`) document with the line each starts on, as
 * `kubectl get -o yaml` writes them; undefined for any other document.
 */
function listItems(doc: Document.Parsed, value: unknown, lineCounter: LineCounter): { value: unknown; line: number }[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.kind !== 'string' || !record.kind.endsWith('List') || !Array.isArray(record.items)) return undefined;
  const seq = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
  const nodes = isSeq(seq) ? seq.items : [];
  return record.items.map((item, i) => {
    const node = nodes[i] as { range?: [number, number, number] } | undefined;
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : lineCounter.linePos(doc.range[0]).line;
    return { value: item, line };
  });
}

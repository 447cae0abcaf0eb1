import { kindInfo, type KindInfo } from '../../api/kinds.js';
import { groupOf, objectKey, versionOf, type KubeObject } from '../../api/object.js';
import type { SourceLocation } from '../../store/resources.js';
import { describeObject, type Problem } from './problem.js';
import type { RawDocument } from './parse.js';

/** What one document turned out to be. */
export type Decoded =
  | {
      type: 'object';
      info: KindInfo;
      object: KubeObject;
      /** objectKey(kind, namespace, name) with the namespace defaulted as the API server does. */
      key: string;
      /** "Kind namespace/name", for messages. */
      subject: string;
    }
  /** A kind Portico does not read (Deployment, Pod, ...): skipped, with one warning per kind. */
  | { type: 'skipped'; kind: string; apiVersion: string }
  | { type: 'problem'; problem: Problem };

/**
 * Checks the envelope of a document: a mapping with apiVersion, kind and metadata.name, of a
 * kind Portico reads, in a group and version that serve that kind. Field-level checks are the
 * validator's job.
 */
export function decodeDocument(doc: RawDocument): Decoded {
  const { value, location } = doc;
  if (!isRecord(value)) {
    return problem(location, 'not a Kubernetes object: expected a mapping with apiVersion, kind and metadata');
  }
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const kind = typeof value.kind === 'string' ? value.kind : '';
  const missing = [...(apiVersion ? [] : ['apiVersion']), ...(kind ? [] : ['kind'])];
  if (missing.length) return problem(location, `${missing.join(', ')}: required`);

  // A kind is its group and name: an Istio Gateway (networking.istio.io) is not ours, so it is
  // skipped like any other kind Portico does not read.
  const info = kindInfo(kind);
  const group = groupOf(apiVersion);
  if (!info || group !== info.group) return { type: 'skipped', kind, apiVersion };

  const metadata = isRecord(value.metadata) ? value.metadata : undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : undefined;
  const givenNamespace = typeof metadata?.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  const namespace = info.namespaced ? (givenNamespace ?? 'default') : undefined;
  const subject = describeObject(kind, namespace, name);

  const version = versionOf(apiVersion);
  if (!info.versions.includes(version)) {
    return problem(location, `version ${version} of ${kind} is not served (served: ${info.versions.join(', ')})`, subject, 'apiVersion');
  }
  if (!metadata) return problem(location, 'required', subject, 'metadata');
  if (!name) return problem(location, 'required', subject, 'metadata.name');

  return { type: 'object', info, object: value as KubeObject, key: objectKey(kind, namespace, name), subject };
}

function problem(location: SourceLocation, message: string, subject?: string, path?: string): Decoded {
  const p: Problem = { file: location.file, document: location.document, message };
  if (location.line !== undefined) p.line = location.line;
  if (subject) p.subject = subject;
  if (path) p.path = path;
  return { type: 'problem', problem: p };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { GATEWAY_GROUP, KINDS, MULTICLUSTER_GROUP, PORTICO_GROUP } from '../api/kinds.js';
import { isObject } from './json.js';
import { projectRoot } from './project-root.js';
import type { Schema } from './schema/structural.js';
import type { Channel } from './types.js';

export interface CrdVersion {
  name: string;
  served: boolean;
  schema: Schema;
}

export interface CrdDefinition {
  kind: string;
  group: string;
  /** In the order the CRD lists them. */
  versions: CrdVersion[];
}

/**
 * The CRDs shipped in crds/: the Gateway API's of one channel (crds/<channel>/) and Portico's own
 * (crds/portico/, the same in every channel), read and parsed on first use of each kind.
 */
export class CrdCatalog {
  private readonly loaded = new Map<string, CrdDefinition | undefined>();

  constructor(
    readonly channel: Channel,
    readonly dir = join(projectRoot(), 'crds', channel),
    readonly porticoDir = join(projectRoot(), 'crds', 'portico'),
    readonly multiclusterDir = join(projectRoot(), 'crds', 'multicluster'),
  ) {}

  /** The CRD of a kind Portico validates, or undefined when this channel does not ship it. */
  get(kind: string): CrdDefinition | undefined {
    if (this.loaded.has(kind)) return this.loaded.get(kind);
    const info = KINDS.find((k) => k.kind === kind && k.source !== 'core');
    let crd: CrdDefinition | undefined;
    if (info) {
      const dir = info.source === 'portico' ? this.porticoDir : info.source === 'multicluster' ? this.multiclusterDir : this.dir;
      try {
        crd = parseCrd(readFileSync(join(dir, `${info.group}_${info.plural}.yaml`), 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    this.loaded.set(kind, crd);
    return crd;
  }

  /** Every CRD file of the channel's folder and of Portico's (tests use this to check all rules). */
  all(): CrdDefinition[] {
    const files = (dir: string, group: string) =>
      readdirSync(dir)
        .filter((f) => f.startsWith(`${group}_`) && f.endsWith('.yaml'))
        .sort()
        .map((f) => parseCrd(readFileSync(join(dir, f), 'utf8')));
    return [...files(this.dir, GATEWAY_GROUP), ...files(this.porticoDir, PORTICO_GROUP), ...files(this.multiclusterDir, MULTICLUSTER_GROUP)];
  }
}

/**
 * The CRDs are files Portico ships, not user input: js-yaml reads them, 0.25 s faster than the yaml
 * package for the HTTPRoute CRD alone at start-up (measured in `portico run`'s profile), and a
 * unit test checks that both read every shipped CRD the same.
 */
export function parseCrdText(text: string): unknown {
  return jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
}

function parseCrd(text: string): CrdDefinition {
  const doc: unknown = parseCrdText(text);
  const spec = isObject(doc) && isObject(doc.spec) ? doc.spec : undefined;
  const names = spec && isObject(spec.names) ? spec.names : undefined;
  if (!spec || !names || typeof names.kind !== 'string' || !Array.isArray(spec.versions)) {
    throw new Error('not a CustomResourceDefinition');
  }
  const versions = spec.versions.map((v: unknown): CrdVersion => {
    const schema = isObject(v) && isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObject(v) || typeof v.name !== 'string' || !isObject(schema)) throw new Error(`CRD ${names.kind}: malformed version`);
    return { name: v.name, served: v.served === true, schema: schema as Schema };
  });
  return { kind: names.kind, group: String(spec.group), versions };
}

const catalogs = new Map<Channel, CrdCatalog>();

/** One catalog per channel for the whole process: CRDs are immutable data. */
export function crdCatalog(channel: Channel): CrdCatalog {
  let catalog = catalogs.get(channel);
  if (!catalog) catalogs.set(channel, (catalog = new CrdCatalog(channel)));
  return catalog;
}

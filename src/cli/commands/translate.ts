import { stringify } from 'yaml';
import { KINDS } from '../../api/kinds.js';
import { objectKey, type KubeObject } from '../../api/object.js';
import path from 'node:path';
import { renderGateway } from '../../haproxy/render.js';
import { redactIR } from '../../ir/redact.js';
import { translate, type Translation } from '../../pipeline/translate.js';
import { FileLoader, formatProblem } from '../../providers/file/index.js';
import { localAddresses } from '../../runtime/local-addresses.js';
import { rfc3339 } from '../../runtime/runtime.js';
import type { ResourceSet } from '../../store/resources.js';
import { ObjectStore } from '../../store/store.js';
import type { CliIO } from '../io.js';
import type { GatewayApiChannel } from '../options.js';
import { missingPaths } from '../paths.js';
import { createValidator } from '../validator.js';
import { printWarnings } from './load-report.js';
import { haproxyRuleProblem } from '../../haproxy/capabilities.js';

export type TranslateOutput = 'status' | 'ir' | 'haproxy';

export interface TranslateCommandOptions {
  filename: string[];
  output: TranslateOutput;
  addressPool: string;
  gatewayApiChannel: GatewayApiChannel;
  /** lastTransitionTime for conditions; default the current time. */
  now?: Date;
}

/**
 * The pipeline once, offline. Output on stdout; problems on stderr. Exit 1 when some input was
 * refused (the output then covers the rest), 0 otherwise.
 */
export async function translateCommand(options: TranslateCommandOptions, io: CliIO): Promise<number> {
  const missing = await missingPaths(options.filename);
  if (missing.length) {
    for (const m of missing) io.stderr(`error: ${m}\n`);
    return 2;
  }
  const loaded = await new FileLoader({ paths: options.filename, validator: createValidator(options.gatewayApiChannel) }).load();
  printWarnings(loaded, io);
  for (const p of loaded.problems) io.stderr(`${formatProblem(p)}\n`);

  const store = new ObjectStore();
  const resources = store.update(loaded.objects, loaded.sources) ?? store.current;
  const translation = translate(resources, {
    addressPool: options.addressPool,
    checkRule: haproxyRuleProblem,
    localAddresses: localAddresses(),
    now: rfc3339(options.now ?? new Date()),
  });

  // Private keys never leave the process: the IR is printed with them replaced.
  if (options.output === 'ir') io.stdout(toYaml(redactIR(translation.ir)));
  else if (options.output === 'haproxy') io.stdout(haproxyText(translation));
  else io.stdout(statusDocuments(resources, translation));
  return loaded.problems.length ? 1 : 0;
}

/**
 * Every object Portico owns with its computed status, as a multi-document YAML stream ordered
 * by kind (in the order of src/api/kinds.ts: classes, Gateways, routes, ...) then namespace/name.
 * uid and resourceVersion are left out: they say nothing offline and would only make diffs noisy.
 */
export function statusDocuments(resources: ResourceSet, translation: Translation): string {
  const docs: string[] = [];
  for (const info of KINDS) {
    for (const obj of resources.list(info.kind)) {
      const status = translation.status.get(objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name));
      if (status === undefined) continue;
      const { uid: _uid, resourceVersion: _rv, ...metadata } = obj.metadata;
      const out: KubeObject = { ...obj, metadata, status };
      docs.push(toYaml(out));
    }
  }
  return docs.join('---\n');
}

function toYaml(value: unknown): string {
  // lineWidth 0: messages stay on one line; no aliases: status repeats parentRefs in full, as kubectl shows them.
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * Each Gateway's haproxy.cfg and the files beside it, as `portico run` would write them (under
 * a placeholder state directory). Certificate files are listed, not printed: they hold keys.
 */
export function haproxyText(translation: Translation): string {
  const out: string[] = [];
  for (const gw of translation.ir.gateways) {
    const dir = path.join('/var/lib/portico', gw.name.replace('/', '_'));
    const udp = gw.ports.filter((p) => p.mode === 'UDP').map((p) => p.port);
    if (udp.length > 0) out.push(`# Gateway ${gw.name}: UDP port ${udp.join(', ')} served by Portico's UDP forwarder, not HAProxy`);
    if (udp.length === gw.ports.length) {
      out.push(`# Gateway ${gw.name}: UDP listeners only; no HAProxy runs for it`, '');
      continue;
    }
    let rendered;
    try {
      rendered = renderGateway(gw, { dir, globalLines: [] });
    } catch (err) {
      out.push(`# Gateway ${gw.name}: cannot be rendered: ${(err as Error).message}`, '');
      continue;
    }
    out.push(`# ==> ${path.join(dir, 'haproxy.cfg')} <==`, rendered.config.trimEnd(), '');
    for (const [name, text] of Object.entries(rendered.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
      out.push(`# ==> ${path.join(dir, name)} <==`);
      out.push(name.endsWith('.pem') ? '# (certificate and private key, not shown)' : text.trimEnd(), '');
    }
  }
  return out.join('\n') + '\n';
}

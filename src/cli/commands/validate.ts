import { FileLoader, formatProblem } from '../../providers/file/index.js';
import type { CliIO } from '../io.js';
import type { GatewayApiChannel } from '../options.js';
import { missingPaths } from '../paths.js';
import { createValidator } from '../validator.js';
import { plural, printWarnings } from './load-report.js';

export interface ValidateOptions {
  filename: string[];
  gatewayApiChannel: GatewayApiChannel;
}

/** Exit 0 when every document loads; otherwise every problem on stdout, one per line, and exit 1. */
export async function validateCommand(options: ValidateOptions, io: CliIO): Promise<number> {
  const missing = await missingPaths(options.filename);
  if (missing.length) {
    for (const m of missing) io.stderr(`error: ${m}\n`);
    return 2;
  }
  const loader = new FileLoader({ paths: options.filename, validator: createValidator(options.gatewayApiChannel) });
  const result = await loader.load();
  printWarnings(result, io);
  const summary = `${plural(result.objects.length, 'valid object')} in ${plural(result.files.length, 'file')}`;
  if (result.problems.length === 0) {
    io.stderr(`ok: ${summary}\n`);
    return 0;
  }
  for (const p of result.problems) io.stdout(`${formatProblem(p)}\n`);
  io.stderr(`${plural(result.problems.length, 'problem')}; ${summary}\n`);
  return 1;
}

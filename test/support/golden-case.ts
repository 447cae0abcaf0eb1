/** Translates the inputs of a golden case (test/golden/cases/<name>) as the golden tests do. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createValidator } from '../../src/cli/validator.js';
import { haproxyRuleProblem } from '../../src/haproxy/capabilities.js';
import { translate, type Translation } from '../../src/pipeline/translate.js';
import { FileLoader } from '../../src/providers/file/index.js';
import { ObjectStore } from '../../src/store/store.js';
import { projectRoot } from '../e2e/support.js';

export function goldenCaseDir(name: string): string {
  return path.join(projectRoot, 'test', 'golden', 'cases', name);
}

export async function translateGoldenCase(name: string): Promise<Translation> {
  const dir = goldenCaseDir(name);
  const inputs = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('.golden.yaml')).sort().map((f) => path.join(dir, f));
  const loaded = await new FileLoader({ paths: inputs, validator: createValidator('experimental') }).load();
  const store = new ObjectStore();
  const resources = store.update(loaded.objects, loaded.sources) ?? store.current;
  return translate(resources, { addressPool: '127.0.10.0/24', checkRule: haproxyRuleProblem, now: '2026-01-01T00:00:00Z' });
}

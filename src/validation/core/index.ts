import type { KindName } from '../../api/kinds.js';
import type { JsonObject } from '../json.js';
import type { FieldProblem } from '../types.js';
import { validateConfigMap } from './config-map.js';
import { validateEndpointSlice } from './endpoint-slice.js';
import { validateSecret } from './secret.js';
import { validateService } from './service.js';

/** Top-level fields of each built-in kind; others are dropped with a warning, as the API server does. */
const TOP_LEVEL: Partial<Record<KindName, readonly string[]>> = {
  Service: ['spec', 'status'],
  EndpointSlice: ['addressType', 'endpoints', 'ports'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Namespace: ['spec', 'status'],
};
const ENVELOPE = ['apiVersion', 'kind', 'metadata'];

/**
 * Built-in kinds have no CRD: each gets the checks and defaults of the API server that Portico
 * depends on. Metadata is handled before this, for every kind alike.
 */
export function validateCoreKind(kind: KindName, obj: JsonObject, problems: FieldProblem[], warnings: string[]): void {
  const known = TOP_LEVEL[kind] ?? [];
  for (const key of Object.keys(obj)) {
    if (!ENVELOPE.includes(key) && !known.includes(key)) {
      delete obj[key];
      warnings.push(`${key}: unknown field, dropped`);
    }
  }
  switch (kind) {
    case 'Service':
      return validateService(obj, problems);
    case 'EndpointSlice':
      return validateEndpointSlice(obj, problems, warnings);
    case 'Secret':
      return validateSecret(obj, problems);
    case 'ConfigMap':
      return validateConfigMap(obj, problems);
    default:
      return; // Namespace: nothing beyond its metadata
  }
}

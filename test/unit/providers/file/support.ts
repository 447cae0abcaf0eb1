// Helpers for the file provider tests (not a test file itself).
import type { KubeObject } from '../../../../src/api/object.js';
import { kindInfo } from '../../../../src/api/kinds.js';
import type { ObjectValidator } from '../../../../src/providers/file/validator.js';

/**
 * Stands in for src/validation: refuses objects whose spec has `invalid: true`, warns about a
 * spec field named `unknownField` (and drops it), defaults the namespace like the real one.
 */
export class FakeValidator implements ObjectValidator {
  calls = 0;

  validate(obj: KubeObject): ReturnType<ObjectValidator['validate']> {
    this.calls++;
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    if (spec.invalid === true) {
      return { ok: false, problems: [{ path: 'spec.invalid', message: 'Invalid value: true: must not be set' }], warnings: [] };
    }
    const warnings: string[] = [];
    const out: KubeObject = { ...obj, metadata: { ...obj.metadata } };
    if ('unknownField' in spec) {
      warnings.push('spec.unknownField: unknown field, dropped');
      const { unknownField: _dropped, ...rest } = spec;
      out.spec = rest;
    }
    if (kindInfo(obj.kind)?.namespaced && !out.metadata.namespace) out.metadata.namespace = 'default';
    return { ok: true, object: out, problems: [], warnings };
  }
}

export { tempDir, waitFor } from '../../../support/fs-wait.js';

export const gateway = (name: string, extra = ''): string => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ${name}
spec:
  gatewayClassName: portico
  listeners:
    - name: http
      protocol: HTTP
      port: 80
${extra ? `${extra}\n` : ''}`;

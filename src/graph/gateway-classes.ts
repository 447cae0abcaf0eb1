import { resolveParameters, type DataPlaneParameters } from './parameters.js';
import type { ResourceSet } from '../store/resources.js';
import { cond } from './conditions.js';
import { CONTROLLER_NAME } from '../api/kinds.js';
import type { Cond, GraphGatewayClass } from './model.js';
import type { GatewayClassObject } from '../api/spec.js';

/** The Gateway API release Portico is built against; every v1.6 patch release is supported. */
const GATEWAY_API_BUNDLE_VERSION = 'v1.6.1';
const SUPPORTED = /^v1\.6\.\d+$/;

/**
 * GatewayClass `SupportedVersion`, from the bundle version of the installed Gateway API CRDs
 * (their `gateway.networking.k8s.io/bundle-version` annotation): undefined when nothing is
 * installed to ask (standalone mode, where the CRDs are our own), null when the installed CRDs
 * carry no such annotation.
 */
export function supportedVersionCondition(installed: string | null | undefined): Cond {
  if (installed === undefined) return cond('SupportedVersion', true, 'SupportedVersion', `Gateway API ${GATEWAY_API_BUNDLE_VERSION} is supported`);
  if (installed !== null && SUPPORTED.test(installed)) {
    return cond('SupportedVersion', true, 'SupportedVersion', `the installed Gateway API CRDs are ${installed}; portico supports v1.6.x`);
  }
  const what = installed === null ? 'carry no gateway.networking.k8s.io/bundle-version annotation' : `are ${installed}`;
  return cond('SupportedVersion', false, 'UnsupportedVersion', `the installed Gateway API CRDs ${what}; portico supports v1.6.x (built against ${GATEWAY_API_BUNDLE_VERSION})`);
}

export interface GatewayClassOptions {
  /** See supportedVersionCondition. */
  installedBundleVersion?: string | null;
}

/** GatewayClasses whose controllerName is ours; every other class is left alone. */
export function buildGatewayClasses(resources: ResourceSet, options: GatewayClassOptions = {}): Map<string, GraphGatewayClass> {
  const out = new Map<string, GraphGatewayClass>();
  for (const object of resources.list<GatewayClassObject>('GatewayClass')) {
    if (object.spec.controllerName !== CONTROLLER_NAME) continue;
    const conditions = [];
    let accepted = true;
    const ref = object.spec.parametersRef;
    let parameters: DataPlaneParameters | undefined;
    if (ref) {
      // A reference that does not resolve is reported the way the spec asks, so a typo is visible.
      const r = resolveParameters(ref, ref.namespace, 'parametersRef', resources);
      if (typeof r === 'string') {
        accepted = false;
        conditions.push(cond('Accepted', false, 'InvalidParameters', r));
      } else parameters = r;
    }
    if (accepted) conditions.push(cond('Accepted', true, 'Accepted', 'GatewayClass is accepted by portico'));
    conditions.push(supportedVersionCondition(options.installedBundleVersion));
    out.set(object.metadata.name, { object, accepted, conditions, ...(parameters ? { parameters } : {}) });
  }
  return out;
}

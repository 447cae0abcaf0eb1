import type { ResourceSet } from '../store/resources.js';
import { cond } from './conditions.js';
import { CONTROLLER_NAME, type GraphGatewayClass } from './model.js';
import type { GatewayClassObject } from './spec.js';

/** GatewayClasses whose controllerName is ours; every other class is left alone. */
export function buildGatewayClasses(resources: ResourceSet): Map<string, GraphGatewayClass> {
  const out = new Map<string, GraphGatewayClass>();
  for (const object of resources.list<GatewayClassObject>('GatewayClass')) {
    if (object.spec.controllerName !== CONTROLLER_NAME) continue;
    const conditions = [];
    let accepted = true;
    const ref = object.spec.parametersRef;
    if (ref) {
      // Portico takes no class parameters yet, but a reference that does not resolve is still
      // reported the way the spec asks, so a typo is visible.
      const known = ref.group === '' && ref.kind === 'ConfigMap';
      const what = `${ref.group ? ref.group + '/' : ''}${ref.kind} ${ref.namespace ? ref.namespace + '/' : ''}${ref.name}`;
      let problem: string | undefined;
      if (!known) problem = `parametersRef ${what}: only core ConfigMaps are supported`;
      else if (!ref.namespace) problem = `parametersRef ${what}: namespace is required (ConfigMaps are namespaced)`;
      else if (!resources.get('ConfigMap', ref.namespace, ref.name)) problem = `parametersRef ${what} does not exist`;
      if (problem) {
        accepted = false;
        conditions.push(cond('Accepted', false, 'InvalidParameters', problem));
      }
    }
    if (accepted) conditions.push(cond('Accepted', true, 'Accepted', 'GatewayClass is accepted by portico'));
    conditions.push(cond('SupportedVersion', true, 'SupportedVersion', 'Gateway API v1.6.1 is supported'));
    out.set(object.metadata.name, { object, accepted, conditions });
  }
  return out;
}

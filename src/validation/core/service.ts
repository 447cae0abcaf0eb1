import { isObject, type JsonObject } from '../json.js';
import { dns1123Label, fullyQualifiedDomainName, portName, portNumber, qualifiedName } from '../meta/names.js';
import { typeError, validateLabels } from '../meta/object-meta.js';
import { parseIP } from '../../net/ip.js';
import { indexPath } from '../paths.js';
import type { FieldProblem } from '../types.js';
import { defaultedString, invalid, list, notSupported, optionalInt, optionalString } from './fields.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITIES = ['ClientIP', 'None'];
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/**
 * The parts of the API server's Service validation Portico relies on (ports, type, selector),
 * plus the defaults it applies: type ClusterIP, protocol TCP, targetPort = port.
 */
export function validateService(obj: JsonObject, problems: FieldProblem[]): void {
  if (obj.spec === undefined || obj.spec === null) obj.spec = {};
  const spec = obj.spec;
  if (!isObject(spec)) {
    problems.push(typeError('spec', spec, 'object'));
    return;
  }
  const type = defaultedString(spec, 'type', 'ClusterIP', 'spec.type', problems);
  if (type !== undefined && !SERVICE_TYPES.includes(type)) problems.push(notSupported('spec.type', type, SERVICE_TYPES));
  const affinity = defaultedString(spec, 'sessionAffinity', 'None', 'spec.sessionAffinity', problems);
  if (affinity !== undefined && !AFFINITIES.includes(affinity)) problems.push(notSupported('spec.sessionAffinity', affinity, AFFINITIES));

  const clusterIP = optionalString(spec, 'clusterIP', 'spec.clusterIP', problems);
  if (clusterIP && clusterIP !== 'None' && (!parseIP(clusterIP) || parseIP(clusterIP)?.zone !== undefined)) {
    problems.push(invalid('spec.clusterIP', clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  }
  if (type === 'ExternalName') {
    const externalName = optionalString(spec, 'externalName', 'spec.externalName', problems);
    if (!externalName) problems.push({ path: 'spec.externalName', message: 'Required value' });
    else for (const m of fullyQualifiedDomainName(externalName)) problems.push(invalid('spec.externalName', externalName, m));
  }
  if (spec.selector !== undefined && spec.selector !== null) validateLabels(spec.selector, 'spec.selector', problems);

  const ports = list(spec, 'ports', 'spec.ports', problems);
  if (ports.length === 0 && clusterIP !== 'None' && type !== 'ExternalName') {
    problems.push({ path: 'spec.ports', message: 'Required value' });
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const path = indexPath('spec.ports', i);
    if (!isObject(port)) {
      problems.push(typeError(path, port, 'object'));
      return;
    }
    validatePort(port, path, ports.length > 1, type, names, problems);
    const key = JSON.stringify({ port: port.port, protocol: port.protocol });
    if (seen.has(key)) problems.push({ path, message: `Duplicate value: ${key}` });
    seen.add(key);
  });
}

function validatePort(port: JsonObject, path: string, requireName: boolean, type: string | undefined, names: Set<string>, problems: FieldProblem[]): void {
  const name = optionalString(port, 'name', `${path}.name`, problems);
  if (!name) {
    if (requireName) problems.push({ path: `${path}.name`, message: 'Required value' });
  } else {
    for (const m of dns1123Label(name)) problems.push(invalid(`${path}.name`, name, m));
    if (names.has(name)) problems.push({ path: `${path}.name`, message: `Duplicate value: ${JSON.stringify(name)}` });
    names.add(name);
  }

  const number = optionalInt(port, 'port', `${path}.port`, problems);
  if (port.port === undefined || port.port === null) problems.push({ path: `${path}.port`, message: 'Required value' });
  else if (number !== undefined) for (const m of portNumber(number)) problems.push(invalid(`${path}.port`, number, m));

  const protocol = defaultedString(port, 'protocol', 'TCP', `${path}.protocol`, problems);
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) problems.push(notSupported(`${path}.protocol`, protocol, PROTOCOLS));

  // targetPort is int-or-string; unset (or 0 / "") means "same as port".
  const target = port.targetPort;
  if (target === undefined || target === null || target === 0 || target === '') {
    if (number !== undefined) port.targetPort = number;
  } else if (typeof target === 'number') {
    if (!Number.isInteger(target)) problems.push(typeError(`${path}.targetPort`, target, 'integer or string'));
    else for (const m of portNumber(target)) problems.push(invalid(`${path}.targetPort`, target, m));
  } else if (typeof target === 'string') {
    for (const m of portName(target)) problems.push(invalid(`${path}.targetPort`, target, m));
  } else {
    problems.push(typeError(`${path}.targetPort`, target, 'integer or string'));
  }

  const nodePort = optionalInt(port, 'nodePort', `${path}.nodePort`, problems);
  if (nodePort !== undefined && nodePort !== 0) {
    if (type === 'ClusterIP') problems.push({ path: `${path}.nodePort`, message: "Forbidden: may not be used when `type` is 'ClusterIP'" });
    else for (const m of portNumber(nodePort)) problems.push(invalid(`${path}.nodePort`, nodePort, m));
  }

  const appProtocol = optionalString(port, 'appProtocol', `${path}.appProtocol`, problems);
  if (appProtocol !== undefined) for (const m of qualifiedName(appProtocol)) problems.push(invalid(`${path}.appProtocol`, appProtocol, m));
}

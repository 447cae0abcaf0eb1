import { isObject, type JsonObject } from '../json.js';
import { dns1123Label, dns1123Subdomain, fullyQualifiedDomainName, qualifiedName } from '../meta/names.js';
import { typeError, validateLabels } from '../meta/object-meta.js';
import { isLinkLocalMulticast, isLinkLocalUnicast, isUnspecified, parseIP } from '../../net/ip.js';
import { childPath, indexPath } from '../paths.js';
import type { FieldProblem } from '../types.js';
import { defaultedString, invalid, list, notSupported, optionalBool, optionalInt, optionalObject, optionalString } from './fields.js';
import { PROTOCOLS } from './service.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 100;

/** The API server's EndpointSlice validation (discovery/v1), with its port defaults (name "", protocol TCP). */
export function validateEndpointSlice(obj: JsonObject, problems: FieldProblem[], _warnings: string[]): void {
  const addressType = optionalString(obj, 'addressType', 'addressType', problems);
  if (obj.addressType === undefined || obj.addressType === null || obj.addressType === '') {
    problems.push({ path: 'addressType', message: 'Required value' });
  } else if (addressType !== undefined && !ADDRESS_TYPES.includes(addressType)) {
    problems.push(notSupported('addressType', addressType, ADDRESS_TYPES));
  }

  // The API server returns a missing list as null; an empty list is friendlier to consumers.
  if (obj.endpoints === undefined || obj.endpoints === null) obj.endpoints = [];
  const endpoints = list(obj, 'endpoints', 'endpoints', problems);
  if (endpoints.length > MAX_ENDPOINTS) {
    problems.push({ path: 'endpoints', message: `Too many: ${endpoints.length}: must have at most ${MAX_ENDPOINTS} items` });
  } else {
    endpoints.forEach((ep, i) => validateEndpoint(ep, indexPath('endpoints', i), addressType, problems));
  }

  const ports = list(obj, 'ports', 'ports', problems);
  if (ports.length > MAX_PORTS) {
    problems.push({ path: 'ports', message: `Too many: ${ports.length}: must have at most ${MAX_PORTS} items` });
    return;
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const path = indexPath('ports', i);
    if (!isObject(port)) {
      problems.push(typeError(path, port, 'object'));
      return;
    }
    if (port.name === undefined || port.name === null) port.name = '';
    const name = optionalString(port, 'name', `${path}.name`, problems);
    if (name) for (const m of dns1123Label(name)) problems.push(invalid(`${path}.name`, name, m));
    if (name !== undefined) {
      if (names.has(name)) problems.push({ path: `${path}.name`, message: `Duplicate value: ${JSON.stringify(name)}` });
      names.add(name);
    }
    const protocol = defaultedString(port, 'protocol', 'TCP', `${path}.protocol`, problems);
    if (protocol !== undefined && !PROTOCOLS.includes(protocol)) problems.push(notSupported(`${path}.protocol`, protocol, PROTOCOLS));
    optionalInt(port, 'port', `${path}.port`, problems);
    const appProtocol = optionalString(port, 'appProtocol', `${path}.appProtocol`, problems);
    if (appProtocol !== undefined) for (const m of qualifiedName(appProtocol)) problems.push(invalid(`${path}.appProtocol`, appProtocol, m));
  });
}

function validateEndpoint(ep: unknown, path: string, addressType: string | undefined, problems: FieldProblem[]): void {
  if (!isObject(ep)) {
    problems.push(typeError(path, ep, 'object'));
    return;
  }
  const addressesPath = childPath(path, 'addresses');
  const addresses = list(ep, 'addresses', addressesPath, problems);
  if (addresses.length === 0) problems.push({ path: addressesPath, message: 'Required value: must contain at least 1 address' });
  else if (addresses.length > MAX_ADDRESSES) problems.push({ path: addressesPath, message: `Too many: ${addresses.length}: must have at most ${MAX_ADDRESSES} items` });
  addresses.forEach((address, i) => {
    const at = indexPath(addressesPath, i);
    if (typeof address !== 'string') problems.push(typeError(at, address, 'string'));
    else validateAddress(address, addressType, at, problems);
  });

  const conditions = optionalObject(ep, 'conditions', childPath(path, 'conditions'), problems);
  if (conditions) {
    for (const c of ['ready', 'serving', 'terminating']) optionalBool(conditions, c, childPath(path, `conditions.${c}`), problems);
  }
  const hostname = optionalString(ep, 'hostname', childPath(path, 'hostname'), problems);
  if (hostname !== undefined) for (const m of dns1123Label(hostname)) problems.push(invalid(childPath(path, 'hostname'), hostname, m));
  const nodeName = optionalString(ep, 'nodeName', childPath(path, 'nodeName'), problems);
  if (nodeName !== undefined) for (const m of dns1123Subdomain(nodeName)) problems.push(invalid(childPath(path, 'nodeName'), nodeName, m));
  optionalString(ep, 'zone', childPath(path, 'zone'), problems);
  if (ep.deprecatedTopology !== undefined && ep.deprecatedTopology !== null) validateLabels(ep.deprecatedTopology, childPath(path, 'deprecatedTopology'), problems);
}

/**
 * The API server also refuses loopback addresses here; Portico's file mode accepts them without a
 * word, because backends on this machine are what standalone mode is for.
 */
function validateAddress(address: string, addressType: string | undefined, path: string, problems: FieldProblem[]): void {
  if (addressType === 'FQDN') {
    for (const m of fullyQualifiedDomainName(address)) problems.push(invalid(path, address, m));
    return;
  }
  if (addressType !== 'IPv4' && addressType !== 'IPv6') return; // unknown types fall through, as upstream
  const ip = parseIP(address);
  const family = addressType === 'IPv4' ? 4 : 6;
  if (!ip || ip.zone !== undefined || ip.family !== family) {
    problems.push(invalid(path, address, `must be a valid ${addressType} address`));
    return;
  }
  if (isUnspecified(ip)) problems.push(invalid(path, address, `may not be unspecified (${address})`));
  if (isLinkLocalUnicast(ip)) problems.push(invalid(path, address, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (isLinkLocalMulticast(ip)) problems.push(invalid(path, address, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
}

import { quantityOf } from '../../api/quantity.js';
import { CelScalar, celFunc, celMethod, type CelFunc } from '@bufbuild/cel';
import {
  cidrContains, formatIP, is4In6, isGlobalUnicast, isLinkLocalMulticast, isLinkLocalUnicast, isLoopback,
  isUnspecified, maskIP, parseCIDR, parseIP, type CIDR, type IPAddress,
} from '../../net/ip.js';

const { BOOL, DOUBLE, INT, STRING } = CelScalar;

/**
 * The Kubernetes CEL IP/CIDR library (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go).
 * The API server has dedicated IP and CIDR types; here an ip() or cidr() value is its canonical
 * string and the methods are string methods. Rules the API server type-checks behave the same;
 * only ill-typed rules (which it would refuse at CRD creation) could tell the difference.
 */

function ipOf(text: string): IPAddress {
  const ip = parseIP(text);
  if (!ip) throw new Error(`IP Address ${JSON.stringify(text)} parse error during conversion from string`);
  if (ip.zone !== undefined) throw new Error(`IP address ${JSON.stringify(text)} with zone value is not allowed`);
  if (is4In6(ip)) throw new Error(`IPv4-mapped IPv6 address ${JSON.stringify(text)} is not allowed`);
  return ip;
}

function cidrOf(text: string): CIDR {
  const cidr = parseCIDR(text);
  if (!cidr) throw new Error(`network address ${JSON.stringify(text)} parse error during conversion from string`);
  if (is4In6(cidr.ip)) throw new Error(`IPv4-mapped IPv6 address ${JSON.stringify(text)} is not allowed`);
  return cidr;
}

const valid = (f: (text: string) => unknown) => (text: string): boolean => {
  try {
    f(text);
    return true;
  } catch {
    return false;
  }
};

const formatCIDR = (c: CIDR): string => `${formatIP(c.ip)}/${c.prefix}`;

export const kubernetesLibrary: CelFunc[] = [
  celFunc('isIP', [STRING], BOOL, valid(ipOf)),
  celFunc('ip', [STRING], STRING, (s) => formatIP(ipOf(s))),
  celMethod('family', STRING, [], INT, function () { return BigInt(ipOf(this).family); }),
  celMethod('isUnspecified', STRING, [], BOOL, function () { return isUnspecified(ipOf(this)); }),
  celMethod('isLoopback', STRING, [], BOOL, function () { return isLoopback(ipOf(this)); }),
  celMethod('isLinkLocalMulticast', STRING, [], BOOL, function () { return isLinkLocalMulticast(ipOf(this)); }),
  celMethod('isLinkLocalUnicast', STRING, [], BOOL, function () { return isLinkLocalUnicast(ipOf(this)); }),
  celMethod('isGlobalUnicast', STRING, [], BOOL, function () { return isGlobalUnicast(ipOf(this)); }),
  celFunc('isCIDR', [STRING], BOOL, valid(cidrOf)),
  celFunc('cidr', [STRING], STRING, (s) => formatCIDR(cidrOf(s))),
  celMethod('containsIP', STRING, [STRING], BOOL, function (ip) { return cidrContains(cidrOf(this), ipOf(ip)); }),
  celMethod('containsCIDR', STRING, [STRING], BOOL, function (other) {
    const outer = cidrOf(this);
    const inner = cidrOf(other);
    return inner.prefix >= outer.prefix && cidrContains(outer, inner.ip);
  }),
  // The quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go), the part the rules use:
  // a quantity() value is a double here, so its methods are double methods.
  celFunc('isQuantity', [STRING], BOOL, valid(quantityOf)),
  celFunc('quantity', [STRING], DOUBLE, quantityOf),
  celMethod('isGreaterThan', DOUBLE, [DOUBLE], BOOL, function (other) { return this > other; }),
  celMethod('isLessThan', DOUBLE, [DOUBLE], BOOL, function (other) { return this < other; }),
  celMethod('compareTo', DOUBLE, [DOUBLE], INT, function (other) { return BigInt(Math.sign(this - other)); }),
  celMethod('prefixLength', STRING, [], INT, function () { return BigInt(cidrOf(this).prefix); }),
  celMethod('ip', STRING, [], STRING, function () { return formatIP(cidrOf(this).ip); }),
  celMethod('masked', STRING, [], STRING, function () {
    const c = cidrOf(this);
    return formatCIDR({ ip: maskIP(c.ip, c.prefix), prefix: c.prefix });
  }),
];

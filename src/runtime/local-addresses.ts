import { networkInterfaces } from 'node:os';

/**
 * The addresses of this host's network interfaces: a Gateway may ask for one of them in
 * spec.addresses and bind it, like a loopback or pool address.
 */
export function localAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) addresses.add(info.address);
  }
  return addresses;
}

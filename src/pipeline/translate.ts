import type { ResourceSet } from '../store/resources.js';

/**
 * CONTRACT (being implemented): the whole pure core in one call.
 * resources → graph → status + IR. No I/O, no clock except options.now.
 */

/** What the data plane reported for one Gateway after the last apply. */
export type DataPlaneState =
  | { programmed: true }
  | { programmed: false; reason: 'Pending' | 'Invalid' | 'AddressNotAssigned'; message: string };

export interface TranslateOptions {
  /** Pool that Gateways without spec.addresses draw their address from ("127.0.10.0/24" or "A-B"). */
  addressPool: string;
  /** Addresses handed out by the previous translation, keyed "namespace/name", kept while still free. */
  previousAddresses?: ReadonlyMap<string, string>;
  /** Status computed last time, keyed like Translation.status; keeps lastTransitionTime stable. */
  previousStatus?: ReadonlyMap<string, unknown>;
  /** Data-plane state per Gateway "namespace/name"; a Gateway missing here counts as programmed. */
  dataPlane?: ReadonlyMap<string, DataPlaneState>;
  /** RFC 3339 time used for lastTransitionTime of conditions that changed. */
  now?: string;
}

export interface Translation {
  /**
   * Desired `status` of every object Portico owns, keyed by objectKey(kind, namespace, name)
   * from src/api/object.ts (e.g. "Gateway/default/web", "GatewayClass//portico").
   */
  status: Map<string, unknown>;
  /** Address per Gateway "namespace/name". */
  addresses: Map<string, string>;
  /** Data-plane-neutral configuration, one entry per programmable Gateway. */
  ir: unknown;
}

// Placeholder until the graph lands: owns nothing, programs nothing.
export function translate(_resources: ResourceSet, _options: TranslateOptions): Translation {
  return { status: new Map(), addresses: new Map(), ir: { gateways: [] } };
}

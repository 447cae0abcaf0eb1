/**
 * Portico's policy kinds (gateway.portico.dev/v1alpha1): kgateway's TrafficPolicy and
 * DirectResponse under Portico's group, with kgateway's field names (crds/portico/). Only the
 * fields Portico reads are typed; the rest of a TrafficPolicy's spec is checked by name
 * (graph/traffic-policies.ts) and refused, so nothing is ignored silently. Objects reaching the
 * graph have passed validation against the CRD, so required fields are present.
 */
import { PORTICO_GROUP } from './kinds.js';
import type { HeaderModifier, HTTPRouteFilter } from './spec.js';
import type { KubeObject } from './object.js';

/** A target in the policy's namespace, by name or by labels; sectionName names a listener or a rule. */
export interface PolicyTargetReference {
  group: string;
  kind: string;
  name: string;
  sectionName?: string;
}

export interface PolicyTargetSelector {
  group: string;
  kind: string;
  matchLabels: Record<string, string>;
  sectionName?: string;
}

export interface TokenBucket {
  maxTokens: number;
  tokensPerFill?: number;
  /** A duration such as "1s" or "500ms" (at least 50ms). */
  fillInterval: string;
}

export interface TrafficPolicySpec {
  targetRefs?: PolicyTargetReference[];
  targetSelectors?: PolicyTargetSelector[];
  headerModifiers?: { request?: HeaderModifier; response?: HeaderModifier };
  rateLimit?: { local?: { tokenBucket?: TokenBucket; percentEnabled?: number; percentEnforced?: number }; global?: unknown };
  /** Every other field of kgateway's TrafficPolicy: read by name only, to refuse it. */
  [field: string]: unknown;
}

export interface TrafficPolicyObject extends KubeObject {
  kind: 'TrafficPolicy';
  spec: TrafficPolicySpec;
  status?: { ancestors?: unknown[] };
}

export interface DirectResponseObject extends KubeObject {
  kind: 'DirectResponse';
  spec: { status: number; body?: string };
}

/** The DirectResponse an HTTPRoute filter names (an ExtensionRef to it), or undefined. */
export function directResponseRef(f: HTTPRouteFilter): { name: string } | undefined {
  const ref = f.type === 'ExtensionRef' ? f.extensionRef : undefined;
  return ref && ref.group === PORTICO_GROUP && ref.kind === 'DirectResponse' ? ref : undefined;
}

/**
 * TrafficPolicies (gateway.portico.dev, kgateway's API): what each asks for, where it attaches,
 * and the policy in effect at each rule and listener.
 *
 * A policy attaches to a rule of an HTTPRoute or GRPCRoute (sectionName = rule name), a whole
 * route, a listener (a Gateway's, by sectionName, or a ListenerSet's) or a whole Gateway, by name
 * (targetRefs) or by labels (targetSelectors), in its own namespace. Fields merge one by one: a
 * field is taken from the most specific policy that sets it (rule, then route, then listener,
 * then Gateway), and among policies at the same place from the oldest. A policy with a field
 * Portico cannot carry out is refused as a whole, and the rules it reaches answer 500: a
 * security setting that cannot be honoured must not leave its traffic unprotected.
 */
import { GATEWAY_GROUP, PORTICO_GROUP, type KindName } from '../api/kinds.js';
import type { KubeObject } from '../api/object.js';
import type { PolicyTargetReference, TrafficPolicyObject } from '../api/policy-spec.js';
import type { ResourceSet } from '../store/resources.js';
import { cond } from './conditions.js';
import { byAge } from './gateways.js';
import { selectorMatches } from './labels.js';
import type { Cond, GraphGateway, GraphListener, GraphRoute } from './model.js';
import type { AuthContext } from './policy-auth.js';
import { POLICY_FIELDS, policySettings, type PolicyField, type PolicySettings } from './policy-settings.js';

export { POLICY_FIELDS, policySettings, type PolicyField, type PolicySettings, type RateLimitSettings } from './policy-settings.js';

/** The policy in effect at one rule or listener: each field from the policy that wins it. */
export interface EffectivePolicy {
  settings: PolicySettings;
  /** "namespace/name" of the policy each field comes from. */
  from: Partial<Record<PolicyField, string>>;
  /** Why requests here answer 500: a policy that applies here cannot be carried out. */
  failClosed?: string;
}

export type PolicyLevel = 'rule' | 'route' | 'listener' | 'gateway';
const LEVEL_RANK: Record<PolicyLevel, number> = { rule: 0, route: 1, listener: 2, gateway: 3 };

export interface PolicyAncestor {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface GraphTrafficPolicy {
  object: TrafficPolicyObject;
  key: string;
  settings: PolicySettings;
  /** Why the policy cannot be carried out (each path Portico refuses), or undefined. */
  problem?: string;
  /** Targets named but not found. */
  missing: string[];
  /** Fields an older policy at the same place already sets, with that policy. */
  conflicts: { field: PolicyField; winner: string; target: string }[];
  /** Where the status is reported: the Gateways its targets belong to, or the targets it could not place. */
  ancestors: PolicyAncestor[];
  conditions: Cond[];
  /** Whether it reached any target. */
  attached: boolean;
  /** How many (place, field) pairs it supplies. */
  applied: number;
}

const RULE_KINDS = new Set(['HTTPRoute', 'GRPCRoute']);
const SELECTABLE_KINDS = ['Gateway', 'ListenerSet', 'HTTPRoute', 'GRPCRoute'] as const satisfies readonly KindName[];

/** One place a policy attaches to. */
interface Placement {
  policy: GraphTrafficPolicy;
  level: PolicyLevel;
  /** "HTTPRoute/ns/name#rule" and the like, for messages. */
  target: string;
  route?: GraphRoute;
  ruleIndex?: number;
  listener?: GraphListener;
  gateway?: GraphGateway;
}

/** The ancestorRef naming a Gateway in a policy's status. */
export const gatewayAncestor = (gw: GraphGateway): PolicyAncestor => ({ group: GATEWAY_GROUP, kind: 'Gateway', namespace: gw.object.metadata.namespace ?? 'default', name: gw.object.metadata.name });

/** The places one target reference (or selected object) stands for; empty when not found. */
function place(policy: GraphTrafficPolicy, ref: PolicyTargetReference, gateways: readonly GraphGateway[], routes: readonly GraphRoute[]): Placement[] {
  const ns = policy.object.metadata.namespace ?? 'default';
  const key = `${ns}/${ref.name}`;
  if (ref.group !== GATEWAY_GROUP) return [];
  if (ref.kind === 'Gateway') {
    const gw = gateways.find((g) => g.key === key);
    if (!gw) return [];
    if (ref.sectionName === undefined) return [{ policy, level: 'gateway', target: `Gateway ${key}`, gateway: gw }];
    const l = gw.listeners.find((x) => x.name === ref.sectionName);
    return l ? [{ policy, level: 'listener', target: `Gateway ${key} listener ${l.name}`, listener: l, gateway: gw }] : [];
  }
  if (ref.kind.endsWith('ListenerSet')) {
    const set = gateways.flatMap((g) => g.listenerSets).find((s) => `${s.object.metadata.namespace ?? 'default'}/${s.object.metadata.name}` === key);
    if (!set?.gateway) return [];
    const listeners = set.listeners.filter((l) => ref.sectionName === undefined || l.name === ref.sectionName);
    return listeners.map((l) => ({ policy, level: 'listener' as const, target: `ListenerSet ${key} listener ${l.name}`, listener: l, gateway: set.gateway as GraphGateway }));
  }
  if (RULE_KINDS.has(ref.kind)) {
    const route = routes.find((r) => r.kind === ref.kind && r.key === key);
    if (!route) return [];
    if (ref.sectionName === undefined) return [{ policy, level: 'route', target: `${ref.kind} ${key}`, route }];
    const index = (route.object.spec.rules ?? []).findIndex((r) => r.name === ref.sectionName);
    return index < 0 ? [] : [{ policy, level: 'rule', target: `${ref.kind} ${key} rule ${ref.sectionName}`, route, ruleIndex: index }];
  }
  return [];
}

/** The objects a selector picks, as references. */
function selected(policy: TrafficPolicyObject, resources: ResourceSet): PolicyTargetReference[] {
  const ns = policy.metadata.namespace ?? 'default';
  const out: PolicyTargetReference[] = [];
  for (const s of policy.spec.targetSelectors ?? []) {
    const kind = SELECTABLE_KINDS.find((k) => k === s.kind);
    if (s.group !== GATEWAY_GROUP || !kind) continue;
    for (const o of resources.list<KubeObject>(kind)) {
      if ((o.metadata.namespace ?? 'default') !== ns || !selectorMatches({ matchLabels: s.matchLabels }, o.metadata.labels)) continue;
      out.push({ group: s.group, kind: s.kind, name: o.metadata.name, ...(s.sectionName !== undefined ? { sectionName: s.sectionName } : {}) });
    }
  }
  return out;
}

/**
 * Merges the placements that apply at one place, most specific first, then oldest: each field
 * comes from the first that sets it. Same-place losers are recorded as conflicts.
 */
function merge(placements: Placement[], target: string): EffectivePolicy {
  const sorted = [...placements].sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || byAge(a.policy.object, b.policy.object));
  const effective: EffectivePolicy = { settings: {}, from: {} };
  const winnerLevel: Partial<Record<PolicyField, PolicyLevel>> = {};
  for (const p of sorted) {
    if (p.policy.problem && effective.failClosed === undefined) effective.failClosed = `TrafficPolicy ${p.policy.key} cannot be carried out: ${p.policy.problem}`;
    for (const field of POLICY_FIELDS) {
      const value = p.policy.settings[field];
      if (value === undefined) continue;
      const winner = effective.from[field];
      if (winner === undefined) {
        (effective.settings as Record<PolicyField, unknown>)[field] = value;
        effective.from[field] = p.policy.key;
        winnerLevel[field] = p.level;
        p.policy.applied++;
      } else if (winnerLevel[field] === p.level && winner !== p.policy.key) {
        p.policy.conflicts.push({ field, winner, target });
      }
    }
  }
  return effective;
}

export interface PolicyResolution {
  policies: GraphTrafficPolicy[];
  /** Per route, per rule index: the policy in effect (rule and route levels). */
  rules: Map<GraphRoute, Map<number, EffectivePolicy>>;
  /** Per listener: the policy in effect there (listener and Gateway levels). */
  listeners: Map<GraphListener, EffectivePolicy>;
  /** The authorization services policies use, with their endpoints: what the IR of a Gateway depends on besides its routes. */
  serviceFingerprint: string;
}

/** Resolves every TrafficPolicy against the built Gateways and routes. Pure. */
export function resolveTrafficPolicies(resources: ResourceSet, gateways: readonly GraphGateway[], routes: readonly GraphRoute[], ctx: AuthContext): PolicyResolution {
  const objects = [...resources.list<TrafficPolicyObject>('TrafficPolicy')].sort(byAge);
  const policies: GraphTrafficPolicy[] = [];
  const placements: Placement[] = [];
  for (const object of objects) {
    const { settings, problem } = policySettings(object, ctx);
    const policy: GraphTrafficPolicy = {
      object,
      key: `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`,
      settings,
      ...(problem ? { problem } : {}),
      missing: [],
      conflicts: [],
      ancestors: [],
      conditions: [],
      attached: false,
      applied: 0,
    };
    policies.push(policy);
    for (const ref of [...(object.spec.targetRefs ?? []), ...selected(object, resources)]) {
      const found = place(policy, ref, gateways, routes);
      if (found.length === 0) {
        policy.missing.push(`${ref.kind} ${object.metadata.namespace ?? 'default'}/${ref.name}${ref.sectionName ? ` section ${ref.sectionName}` : ''}`);
        continue;
      }
      placements.push(...found);
    }
  }

  const rules = new Map<GraphRoute, Map<number, EffectivePolicy>>();
  const listeners = new Map<GraphListener, EffectivePolicy>();
  const routePlacements = new Map<GraphRoute, Placement[]>();
  const listenerPlacements = new Map<GraphListener, Placement[]>();
  const gatewayPlacements = new Map<GraphGateway, Placement[]>();
  const add = <K>(map: Map<K, Placement[]>, key: K, p: Placement) => {
    const list = map.get(key);
    if (list) list.push(p);
    else map.set(key, [p]);
  };
  for (const p of placements) {
    if (p.route) add(routePlacements, p.route, p);
    else if (p.listener) add(listenerPlacements, p.listener, p);
    else if (p.gateway) add(gatewayPlacements, p.gateway, p);
  }
  for (const [route, list] of routePlacements) {
    const perRule = new Map<number, EffectivePolicy>();
    (route.object.spec.rules ?? []).forEach((_, i) => {
      const here = list.filter((p) => p.level === 'route' || p.ruleIndex === i);
      if (here.length > 0) perRule.set(i, merge(here, `${route.kind} ${route.key} rule ${i}`));
    });
    rules.set(route, perRule);
  }
  for (const gw of gateways) {
    const gwList = gatewayPlacements.get(gw) ?? [];
    for (const l of [...gw.listeners, ...gw.listenerSets.flatMap((s) => s.listeners)]) {
      const here = [...gwList, ...(listenerPlacements.get(l) ?? [])];
      if (here.length > 0) listeners.set(l, merge(here, `listener ${l.name} of Gateway ${gw.key}`));
    }
  }

  for (const p of placements) {
    p.policy.attached = true;
    const gws = p.route ? p.route.attachments.map((a) => a.listener.gateway) : p.gateway ? [p.gateway] : [];
    for (const gw of gws) {
      const a = gatewayAncestor(gw);
      if (!p.policy.ancestors.some((x) => x.namespace === a.namespace && x.name === a.name)) p.policy.ancestors.push(a);
    }
  }
  for (const policy of policies) decidePolicyConditions(policy, 'TrafficPolicy', trafficConflict);
  const services = policies.flatMap((p) => (p.settings.extAuth ? [[p.settings.extAuth.service.id, p.settings.extAuth.service.endpoints]] : []));
  return { policies, rules, listeners, serviceFingerprint: services.length > 0 ? JSON.stringify(services) : '' };
}

/** What decidePolicyConditions reads of a policy, TrafficPolicy or ListenerPolicy alike. */
export interface PolicyOutcome<C> {
  object: { metadata: { name: string; namespace?: string }; spec: { targetRefs?: { group: string; kind: string; name: string }[] } };
  problem?: string;
  missing: string[];
  conflicts: C[];
  ancestors: PolicyAncestor[];
  attached: boolean;
  applied: number;
  conditions: Cond[];
}

const trafficConflict = (c: GraphTrafficPolicy['conflicts'][number]): string => `spec.${c.field} is overridden on ${c.target} by the older TrafficPolicy ${c.winner}`;

/**
 * A policy's Accepted condition and the ancestors it is reported under: Invalid (the refused
 * paths), TargetNotFound, Conflicted (an older policy supplies every field it sets), or Accepted
 * with notes of missing targets and fields others win.
 */
export function decidePolicyConditions<C>(policy: PolicyOutcome<C>, kind: string, conflictNote: (c: C) => string): void {
  const ns = policy.object.metadata.namespace ?? 'default';
  if (policy.ancestors.length === 0) {
    // Nothing to report under: the first target named stands in as the ancestor (as kgateway
    // does); with selectors only, which name nothing, the policy itself.
    const first = policy.object.spec.targetRefs?.[0];
    policy.ancestors.push(first ? { group: first.group, kind: first.kind, namespace: ns, name: first.name } : { group: PORTICO_GROUP, kind, namespace: ns, name: policy.object.metadata.name });
  }
  policy.ancestors.sort((a, b) => (`${a.kind}/${a.namespace}/${a.name}` < `${b.kind}/${b.namespace}/${b.name}` ? -1 : 1));
  const notes: string[] = [];
  if (policy.missing.length > 0) notes.push(`targets not found: ${policy.missing.join(', ')}`);
  if (policy.conflicts.length > 0) notes.push(policy.conflicts.map(conflictNote).join('; '));
  const effect = kind === 'TrafficPolicy' ? '; the rules it applies to answer 500' : '; it is not applied';
  let accepted: Cond;
  if (policy.problem) accepted = cond('Accepted', false, 'Invalid', `${policy.problem}${effect}`);
  else if (!policy.attached) accepted = cond('Accepted', false, 'TargetNotFound', notes.join('; ') || 'no target found');
  else if (policy.applied === 0 && policy.conflicts.length > 0) accepted = cond('Accepted', false, 'Conflicted', notes.join('; '));
  else accepted = cond('Accepted', true, 'Accepted', notes.length > 0 ? `Policy accepted; ${notes.join('; ')}` : 'Policy accepted');
  policy.conditions = [accepted];
}

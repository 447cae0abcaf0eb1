import type { AddressSource } from '../api/data-plane-names.js';
import type { AddressPool } from './address-pool.js';
import { addressRefusal, portRefusal, type BindPolicy } from './bind-policy.js';
import type { ResourceSet } from '../store/resources.js';
import type { GraphMemo } from './memo.js';
import { BackendTLSIndex, backendTarget, coveredByBackendTLS } from './backend-tls-policies.js';
import { EndpointIndex } from './backends.js';
import { cond, getCond, setCond } from './conditions.js';
import { buildGatewayClasses } from './gateway-classes.js';
import { buildGateways } from './gateways.js';
import { markInsecureFrontendValidation, markOverlappingTls } from './listeners.js';
import type { Cond, Graph, GraphBackendTLSPolicy, GraphGateway, GraphListener, GraphListenerSet, GraphRoute } from './model.js';
import { ReferenceGrantIndex } from './reference-grants.js';
import { buildRoutes } from './routes.js';
import { resolveTrafficPolicies } from './traffic-policies.js';
import { resolveListenerPolicies } from './listener-policies.js';
import type { DataPlaneState, RuleChecker } from '../api/data-plane.js';
import type { EndpointSliceObject, ReferenceGrantObject } from '../api/spec.js';

/** What the data plane reported for one Gateway after the last apply. */
/** "Gateway/ns/name/listener" or "ListenerSet/ns/name/listener", as the IR names listeners. */
export function listenerKey(l: GraphListener): string {
  const owner = l.listenerSet ? `ListenerSet/${l.listenerSet.object.metadata.namespace}/${l.listenerSet.object.metadata.name}` : `Gateway/${l.gateway.key}`;
  return `${owner}/${l.name}`;
}

export interface GraphOptions {
  pool: AddressPool;
  previousAddresses?: ReadonlyMap<string, string>;
  /** Per Gateway "namespace/name"; a Gateway missing here counts as programmed. */
  dataPlane?: ReadonlyMap<string, DataPlaneState>;
  /** Addresses of this host beyond loopback and the pool that a Gateway may bind. */
  localAddresses?: ReadonlySet<string>;
  /** Memory from earlier translations (graph/memo.ts); results are the same without it. */
  memo?: GraphMemo;
  /** What the data plane cannot program, per route rule (reported as UnsupportedValue). */
  checkRule?: RuleChecker;
  /** Bundle version of the installed Gateway API CRDs (see supportedVersionCondition). */
  installedBundleVersion?: string | null;
  /** What the cluster admin lets Gateways bind; default anything of this host. */
  bindPolicy?: BindPolicy;
  /** pool (default): Gateway addresses from spec.addresses or the pool; service: from each Gateway's data plane Service (per-gateway deployment). */
  addressSource?: AddressSource;
  /** Where listener policies' access logs may write files (`--access-log-dir`); none: stdout and stderr only. */
  accessLogDir?: string;
}

/** A BackendTLSPolicy's ancestors: the Gateways of the routes that send to a Service port it covers. */
function markPolicyAncestors(routes: readonly GraphRoute[], index: BackendTLSIndex): void {
  if (index.policies.length === 0) return;
  for (const route of routes) {
    if (route.attachments.length === 0) continue;
    const policies = new Set<GraphBackendTLSPolicy>();
    for (const b of [...route.ruleBackends.flat(), ...route.mirrorBackends.values()]) {
      if (!coveredByBackendTLS(b.appProtocol)) continue;
      if (b.servicePort) for (const p of index.policiesNaming(b.namespace, b.name, b.servicePort.name)) policies.add(p);
      if (b.source === 'Backend') for (const p of index.policiesNaming(b.namespace, backendTarget(b.name), undefined)) policies.add(p);
    }
    for (const a of route.attachments) {
      for (const policy of policies) if (!policy.ancestors.includes(a.listener.gateway)) policy.ancestors.push(a.listener.gateway);
    }
  }
  for (const p of index.policies) p.ancestors.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Builds the resource tree from one snapshot. Pure: same input, same graph. */
export function buildGraph(resources: ResourceSet, options: GraphOptions): Graph {
  const grants = new ReferenceGrantIndex(resources.list<ReferenceGrantObject>('ReferenceGrant'));
  const endpoints = new EndpointIndex(resources.list<EndpointSliceObject>('EndpointSlice'));
  const classes = buildGatewayClasses(resources, { installedBundleVersion: options.installedBundleVersion });
  const local = options.localAddresses ?? new Set<string>();
  const { gateways, listenerSets, addressProblems } = buildGateways(
    resources,
    classes,
    { resources, grants, portRefusal: (port) => portRefusal(options.bindPolicy, port) },
    { pool: options.pool, previousAddresses: options.previousAddresses, ...(options.addressSource ? { addressSource: options.addressSource } : {}) },
    (ip) => addressRefusal(options.bindPolicy, ip, local, options.pool),
  );
  const backendTLS = new BackendTLSIndex(resources, grants);
  const backends = { resources, grants, endpoints, memo: new Map(), backendTLS };
  const routes = buildRoutes(resources, gateways, listenerSets, backends, options.memo, options.checkRule);
  markPolicyAncestors(routes, backendTLS);
  const trafficPolicies = resolveTrafficPolicies(resources, gateways, routes, { resources, grants, backends });
  const listenerPolicies = resolveListenerPolicies(resources, gateways, options.accessLogDir);
  if (options.dataPlane) markRefusedRoutes(routes, options.dataPlane);
  for (const gw of gateways) {
    decideProgrammed(gw, addressProblems.get(gw.key), options.dataPlane?.get(gw.key));
    markOverlappingTls([...gw.listeners, ...gw.listenerSets.flatMap((s) => s.listeners)]);
    markInsecureFrontendValidation(gw);
  }
  // ListenerSets their Gateway does not allow were never attached to it; they still get status.
  for (const set of listenerSets) {
    if (!set.gateway?.listenerSets.includes(set)) decideListenerSetProgrammed(set, false, () => cond('Programmed', false, 'Invalid', 'not attached'));
  }
  return {
    gatewayClasses: [...classes.values()],
    trafficPolicies,
    listenerPolicies,
    gateways,
    listenerSets,
    routes,
    backendTLSPolicies: backendTLS.policies,
    addresses: new Map(gateways.map((g) => [g.key, g.addresses])),
    addressProblems,
    objects: [...resources.all()],
  };
}

/**
 * A route the data plane refused (DataPlaneState.refusedRoutes) is not Accepted by the parents
 * on that Gateway. Its parent entries are replaced, not changed: they may be shared with the
 * translation cache.
 */
function markRefusedRoutes(routes: GraphRoute[], states: ReadonlyMap<string, DataPlaneState>): void {
  const refusals = [...states.values()].some((s) => s.programmed && s.refusedRoutes);
  if (!refusals) return;
  for (const route of routes) {
    const key = `${route.kind}/${route.key}`;
    route.parents = route.parents.map((p) => {
      const gateways = new Set(route.attachments.filter((a) => a.parentIndex === p.index).map((a) => a.listener.gateway.key));
      const why = [...gateways].map((g) => states.get(g)).map((s) => (s?.programmed ? s.refusedRoutes?.[key] : undefined)).find((m) => m !== undefined);
      if (why === undefined) return p;
      return { ...p, conditions: p.conditions.map((c) => (c.type === 'Accepted' ? cond('Accepted', false, 'UnsupportedValue', why) : c)) };
    });
  }
}

function decideProgrammed(gw: GraphGateway, addressProblem: ReturnType<typeof cond> | undefined, state: DataPlaneState | undefined): void {
  const dataPlaneOk = state === undefined || state.programmed;
  let gatewayCond;
  if (!gw.accepted) gatewayCond = cond('Programmed', false, 'Invalid', 'Gateway is not accepted');
  else if (addressProblem) gatewayCond = addressProblem;
  else if (state && !state.programmed) gatewayCond = cond('Programmed', false, state.reason, state.message);
  else gatewayCond = cond('Programmed', true, 'Programmed', 'Gateway is programmed');
  setCond(gw.conditions, gatewayCond);
  const programmed = gatewayCond.status === 'True';
  const unserved = state?.programmed ? state.unservedListeners : undefined;
  const listenerCond = (valid: boolean, l?: GraphListener) => {
    if (!valid) return cond('Programmed', false, 'Invalid', 'Listener is not valid');
    const notServed = l && unserved?.[listenerKey(l)];
    if (programmed && notServed) return cond('Programmed', false, 'Invalid', notServed);
    if (programmed) return cond('Programmed', true, 'Programmed', 'Listener is programmed');
    if (!dataPlaneOk && state && !state.programmed) return cond('Programmed', false, state.reason, state.message);
    return cond('Programmed', false, 'Pending', `Gateway is not programmed: ${gatewayCond.message}`);
  };
  for (const l of gw.listeners) setCond(l.conditions, listenerCond(l.valid, l));
  for (const set of gw.listenerSets) decideListenerSetProgrammed(set, programmed, listenerCond);
}

/**
 * A ListenerSet that is not accepted is not programmed for the same reason (the upstream
 * conformance tests expect NotAllowed / ListenersNotValid there), and a conflicted entry is not
 * programmed because of its conflict.
 */
function decideListenerSetProgrammed(set: GraphListenerSet, parentProgrammed: boolean, listenerCond: (valid: boolean, l?: GraphListener) => Cond): void {
  for (const l of set.listeners) {
    const conflict = getCond(l.conditions, 'Conflicted');
    setCond(
      l.conditions,
      conflict?.status === 'True' ? cond('Programmed', false, conflict.reason, conflict.message) : listenerCond(l.valid, l),
    );
  }
  const accepted = getCond(set.conditions, 'Accepted');
  let programmed: Cond;
  if (!set.accepted) {
    const reason = accepted?.reason === 'ParentNotAccepted' ? 'ParentNotProgrammed' : (accepted?.reason ?? 'Invalid');
    programmed = cond('Programmed', false, reason, accepted?.message ?? 'ListenerSet is not accepted');
  } else if (parentProgrammed) {
    programmed = cond('Programmed', true, 'Programmed', 'ListenerSet is programmed');
  } else {
    programmed = cond('Programmed', false, 'ParentNotProgrammed', `parent Gateway ${set.gateway?.key ?? ''} is not programmed`);
  }
  setCond(set.conditions, programmed);
}

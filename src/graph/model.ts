/** The resource tree: GatewayClass → Gateway → Listener → Route → backend, every reference resolved. */
import type { RouteKind } from '../api/kinds.js';
import type { DataPlaneParameters } from './parameters.js';
import type { DelegatedRule } from './delegation.js';
import type { ListenerPolicyResolution } from './listener-policies.js';
import type { PolicyResolution } from './traffic-policies.js';
import type { KubeObject } from '../api/object.js';
import type {
  GatewayClassObject,
  GatewayObject,
  ListenerSetObject,
  ListenerSpec,
  ParentReference,
  RouteGroupKind,
  RouteObject,
  ServiceObject,
  ServicePort,
  BackendTLSPolicyObject,
} from '../api/spec.js';

/** A condition as the graph decides it; the status stage adds generation and timestamps. */
export interface Cond {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export type { RouteKind } from '../api/kinds.js';

export interface GraphGatewayClass {
  object: GatewayClassObject;
  accepted: boolean;
  conditions: Cond[];
  /** Data plane parameters from its parametersRef (a GatewayParameters). */
  parameters?: DataPlaneParameters;
}

export interface Certificate {
  /** "namespace/name" of the Secret. */
  secret: string;
  certPem: string;
  keyPem: string;
  /** DNS names from the certificate (SANs, or CN when it has none). */
  dnsNames: string[];
}

/** The CAs that vouch for clients, and what to do with a client none of them vouches for. */
export interface ClientValidation {
  /** PEM certificates from every caCertificateRef that resolved. */
  caPems: string[];
  mode: 'AllowValidOnly' | 'AllowInsecureFallback';
}

/** How the Gateway reaches a backend over TLS (a BackendTLSPolicy that can be carried out). */
export interface BackendTLS {
  /** PEM CAs from the policy's caCertificateRefs; absent with systemCAs. */
  caPem?: string;
  /** wellKnownCACertificates: System. */
  systemCAs: boolean;
  /** The server name sent (validation.hostname). */
  sni: string;
  /** The name the backend's certificate must carry (the one subjectAltName, else the hostname). */
  verifyName: string;
}

export interface GraphBackendTLSPolicy {
  object: BackendTLSPolicyObject;
  conditions: Cond[];
  /** Absent when the policy cannot be carried out: its targets' traffic then fails. */
  tls?: BackendTLS;
  /** Gateways whose routes send to a Service port the policy applies to: its status ancestors. */
  ancestors: GraphGateway[];
}

export interface GraphListener {
  gateway: GraphGateway;
  /** The ListenerSet the listener comes from, or undefined for the Gateway's own listeners. */
  listenerSet?: GraphListenerSet;
  spec: ListenerSpec;
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  supportedKinds: Required<RouteGroupKind>[];
  /** Accepted and not conflicted: the data plane gets config for it. */
  valid: boolean;
  certificates: Certificate[];
  tlsMode?: 'Terminate' | 'Passthrough';
  /** Client certificate validation of an HTTPS listener (the Gateway's spec.tls.frontend for its port). */
  clientValidation?: ClientValidation;
  conditions: Cond[];
  attachedRoutes: number;
  routes: RouteAttachment[];
}

export interface GraphListenerSet {
  object: ListenerSetObject;
  gateway?: GraphGateway;
  accepted: boolean;
  listeners: GraphListener[];
  conditions: Cond[];
}

export interface GraphGateway {
  object: GatewayObject;
  key: string; // "namespace/name"
  gatewayClass: GraphGatewayClass;
  /** Addresses the Gateway binds, canonical text (per-gateway data planes: its Service's IPs). */
  addresses: string[];
  /** Per-gateway data planes: host names of the Service's load balancer, reported as Hostname addresses. */
  hostnameAddresses?: string[];
  /** What the data plane binds when it is not `addresses` (per-gateway data planes: every address of the pod). */
  bindAddresses?: string[];
  listeners: GraphListener[];
  listenerSets: GraphListenerSet[];
  accepted: boolean;
  conditions: Cond[];
  /** What the Gateway shows backends it reaches over TLS (spec.tls.backend.clientCertificateRef). */
  backendClientCertificate?: Certificate;
  /** Data plane parameters: its class's, overridden by its own infrastructure.parametersRef. */
  parameters?: DataPlaneParameters;
}

/** A route attached to one listener, with the hostnames it answers to there. */
export interface RouteAttachment {
  route: GraphRoute;
  listener: GraphListener;
  parentIndex: number;
  anyHost: boolean;
  hostnames: string[];
}

export interface ParentStatus {
  parentRef: ParentReference;
  index: number;
  conditions: Cond[];
}

export type BackendProblem = { reason: 'RefNotPermitted' | 'InvalidKind' | 'BackendNotFound' | 'UnsupportedProtocol'; message: string };

export interface Endpoint {
  address: string;
  port: number;
}

/** One backendRef, resolved to endpoints, or with the reason it cannot be used. */
export interface ResolvedBackend {
  /** "namespace/name:port" of the Service port; unique per target. */
  id: string;
  namespace: string;
  name: string;
  port?: number;
  weight: number;
  service?: ServiceObject;
  servicePort?: ServicePort;
  /** http, h2c (kubernetes.io/h2c), ws (kubernetes.io/ws) or tcp. */
  appProtocol?: string;
  endpoints: Endpoint[];
  /** A Backend (gateway.portico.dev) or a ServiceImport (multicluster.x-k8s.io) rather than a Service. */
  source?: 'Backend' | 'ServiceImport';
  /** Not a backend: the ref hands the rule to child HTTPRoutes (GraphRoute.delegated). */
  delegation?: true;
  /** Some endpoints are DNS names, resolved by the data plane while it runs. */
  resolve?: true;
  problem?: BackendProblem;
  /**
   * The BackendTLSPolicy ("namespace/name") that applies to this Service port, with what it asks
   * for; `tls` absent: the policy cannot be carried out, so nothing may be sent there.
   */
  tlsPolicy?: { key: string; tls?: BackendTLS };
}

export interface GraphRoute {
  object: RouteObject;
  kind: RouteKind;
  key: string; // "namespace/name"
  /** Parent statuses Portico writes, one per parentRef that names one of our Gateways. */
  parents: ParentStatus[];
  attachments: RouteAttachment[];
  /** Per rule: its resolved backends (same order as spec.rules[i].backendRefs). */
  ruleBackends: ResolvedBackend[][];
  /** Per rule: resolved mirror backends by filter index. */
  mirrorBackends: Map<string, ResolvedBackend>;
  /** First problem found among backendRefs, for the ResolvedRefs condition. */
  backendProblem?: BackendProblem;
  /** Rules Portico cannot program, left out of routing, with the reason (index → message). */
  invalidRules: Map<number, string>;
  /**
   * Rules that stay in routing but answer 500, with the reason: they carry a filter Portico cannot
   * carry out, and the spec forbids skipping a filter (its requests must not reach the backend).
   */
  closedRules: Map<number, string>;
  /** DirectResponses named by ExtensionRef filters, by "rule/filter" index. */
  directResponses: Map<string, { status: number; body?: string }>;
  /** Rules that delegate to child HTTPRoutes, by rule index: the child rules that serve them. */
  delegated?: Map<number, DelegatedRule[]>;
}

export interface Graph {
  gatewayClasses: GraphGatewayClass[];
  /** TrafficPolicies, and the policy in effect at each rule and listener they reach. */
  trafficPolicies: PolicyResolution;
  /** ListenerPolicies and HTTPListenerPolicies, and the settings in effect on each Gateway's ports. */
  listenerPolicies: ListenerPolicyResolution;
  gateways: GraphGateway[];
  listenerSets: GraphListenerSet[];
  routes: GraphRoute[];
  backendTLSPolicies: GraphBackendTLSPolicy[];
  /** Addresses per Gateway "namespace/name". */
  addresses: Map<string, string[]>;
  /** Why a Gateway has no usable address, when it has none. */
  addressProblems: Map<string, Cond>;
  /** Every object the graph read, so status can be keyed against the inputs. */
  objects: KubeObject[];
}

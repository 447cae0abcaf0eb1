/**
 * Harness for the status conformance tests: YAML fixtures → (simulated) API server admission →
 * ResourceSet → translate() → status lookups that fail with the whole status printed.
 *
 * Everything that depends on the shape of other modules (validation, translate) lives here, so a
 * contract change means one edit in this file.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';

import { objectKey, type KubeObject } from '../../src/api/object.js';
import { translate, type TranslateOptions, type Translation } from '../../src/pipeline/translate.js';
import { ResourceSet } from '../../src/store/resources.js';
import { haproxyRuleProblem } from '../../src/haproxy/capabilities.js';

export const CONTROLLER = 'portico.dev/gateway-controller';
export const OTHER_CONTROLLER = 'example.com/other';
export const CLASS = 'portico';
export const POOL = '127.0.10.0/24';
export const GROUP = 'gateway.networking.k8s.io';
export const NOW = '2026-01-01T00:00:00Z';
export const LATER = '2026-01-01T01:00:00Z';
export const INFRA = 'gateway-conformance-infra';
export const APP = 'gateway-conformance-app-backend';
export const WEB = 'gateway-conformance-web-backend';

export type Json = Record<string, unknown>;
export type ConditionStatusValue = 'True' | 'False' | 'Unknown';

/** One expected condition. `reason` undefined = any reason; an array = any of these. */
export interface Expect {
  type: string;
  status: ConditionStatusValue;
  reason?: string | readonly string[];
}

export const cond = (type: string, status: ConditionStatusValue, reason?: string | readonly string[]): Expect =>
  reason === undefined ? { type, status } : { type, status, reason };

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const here = dirname(fileURLToPath(import.meta.url));

/** Fixtures live next to the sources; compiled tests (dist/test/conformance) read them from there. */
const FIXTURES = [join(here, 'fixtures'), join(here, '..', '..', '..', 'test', 'conformance', 'fixtures')].find((d) =>
  existsSync(d),
);

/** Parse fixture files (multi-document YAML) into fresh objects, in file and document order. */
export function load(...files: string[]): KubeObject[] {
  assert.ok(FIXTURES, `fixtures directory not found near ${here}`);
  const out: KubeObject[] = [];
  for (const file of files) {
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if ('errors' in doc && doc.errors.length > 0) {
        throw new Error(`${file}: YAML error: ${doc.errors.map((e) => e.message).join('; ')}`);
      }
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) continue;
      out.push(value as KubeObject);
    }
  }
  return out;
}

/** Find an object (before admission) to edit it in place. */
export function find(objects: KubeObject[], kind: string, namespace: string | undefined, name: string): KubeObject {
  const obj = objects.find(
    (o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace,
  );
  assert.ok(obj, `fixture object ${objectKey(kind, namespace, name)} not found`);
  return obj;
}

/** Drop objects (e.g. "delete the ReferenceGrant"). */
export function without(objects: KubeObject[], kind: string, namespace: string | undefined, name: string): KubeObject[] {
  find(objects, kind, namespace, name);
  return objects.filter(
    (o) => !(o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace),
  );
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

// ---------------------------------------------------------------------------------------------
// Admission: what the API server would do before a controller ever sees the object
// ---------------------------------------------------------------------------------------------

interface ValidationResultLike {
  ok: boolean;
  object?: unknown;
  problems?: unknown;
  warnings?: unknown;
}
interface ValidatorLike {
  validate(obj: unknown): ValidationResultLike;
}
type ValidatorCtor = new (options: { channel: 'standard' | 'experimental' }) => ValidatorLike;

let validatorPromise: Promise<ValidatorLike | undefined> | undefined;

/**
 * src/validation is written in parallel with these tests: use it when it exists (so CRD defaults
 * are applied exactly as the API server would), otherwise pass objects through unchanged.
 * Running from source (tsx) it is src/validation/index.ts; compiled, dist/src/validation/index.js.
 */
function validator(): Promise<ValidatorLike | undefined> {
  validatorPromise ??= (async () => {
    const candidates = [
      join(here, '..', '..', 'src', 'validation', 'index.ts'),
      join(here, '..', '..', 'src', 'validation', 'index.js'),
    ];
    const file = candidates.find((f) => existsSync(f));
    if (!file) return undefined;
    const mod = (await import(pathToFileURL(file).href)) as { Validator?: unknown };
    assert.equal(typeof mod.Validator, 'function', `${file} does not export a Validator class`);
    const Ctor = mod.Validator as ValidatorCtor;
    return new Ctor({ channel: 'experimental' });
  })();
  return validatorPromise;
}

/** Deterministic creation times: one second apart, in fixture order (like `kubectl apply`). */
const CREATED_BASE = Date.parse('2025-06-01T00:00:00Z');

/**
 * Simulate the API server: metadata.generation (1 unless the test sets it), creationTimestamp
 * (fixture order unless set), the automatic `kubernetes.io/metadata.name` label on Namespaces,
 * and validation + defaulting. A status already present on the input (written by another
 * controller through the status subresource) is kept as given.
 */
export async function admit(objects: readonly KubeObject[]): Promise<KubeObject[]> {
  const v = await validator();
  const out: KubeObject[] = [];
  objects.forEach((input, i) => {
    const obj = clone(input);
    obj.metadata.generation ??= 1;
    obj.metadata.creationTimestamp ??= new Date(CREATED_BASE + i * 1000).toISOString().replace('.000Z', 'Z');
    if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') {
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    }
    if (!v) {
      out.push(obj);
      return;
    }
    const result = v.validate(obj);
    assert.ok(
      result.ok,
      `fixture object ${objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name)} was rejected by validation:\n` +
        JSON.stringify(result.problems, null, 2),
    );
    // A warning means the API server would silently change the fixture (e.g. prune a misspelt field).
    const warnings = Array.isArray(result.warnings) ? result.warnings : [];
    assert.equal(
      warnings.length,
      0,
      `fixture object ${objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name)} has validation warnings:\n` +
        JSON.stringify(warnings, null, 2),
    );
    const admitted = clone((result.object ?? obj) as KubeObject);
    if (input.status !== undefined) admitted.status = clone(input.status);
    out.push(admitted);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Translation
// ---------------------------------------------------------------------------------------------

export interface RunOptions {
  /** Extra or overriding translate options (addressPool and now have defaults). */
  options?: Partial<TranslateOptions>;
}

/** Admit objects, translate them, and wrap the result for assertions. */
export async function run(objects: readonly KubeObject[], opts: RunOptions = {}): Promise<Outcome> {
  const admitted = await admit(objects);
  const options: TranslateOptions = { addressPool: POOL, now: NOW, checkRule: haproxyRuleProblem, ...opts.options };
  const translation = translate(new ResourceSet(admitted), options);
  return new Outcome(admitted, translation, options);
}

/** Shorthand: load fixture files and run them. */
export async function runFiles(files: string[], opts: RunOptions = {}): Promise<Outcome> {
  return run(load(...files), opts);
}

/** Same world, next translation: previous status and addresses are fed back, like the controller loop. */
export async function rerun(previous: Outcome, objects: readonly KubeObject[], now = LATER): Promise<Outcome> {
  return run(objects, {
    options: {
      ...previous.options,
      previousStatus: previous.translation.status,
      previousAddresses: previous.translation.addresses,
      now,
    },
  });
}

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export class Outcome {
  constructor(
    readonly objects: KubeObject[],
    readonly translation: Translation,
    readonly options: TranslateOptions,
  ) {}

  object(kind: string, namespace: string | undefined, name: string): KubeObject {
    const obj = this.objects.find(
      (o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace,
    );
    assert.ok(obj, `no input object ${objectKey(kind, namespace, name)}`);
    return obj;
  }

  hasStatus(kind: string, namespace: string | undefined, name: string): boolean {
    return this.translation.status.has(objectKey(kind, namespace, name));
  }

  rawStatus(kind: string, namespace: string | undefined, name: string): unknown {
    return this.translation.status.get(objectKey(kind, namespace, name));
  }

  /** The translated status of an object; fails listing the keys that do exist. */
  status(kind: string, namespace: string | undefined, name: string): Json {
    const key = objectKey(kind, namespace, name);
    const status = this.translation.status.get(key);
    assert.ok(
      isRecord(status),
      `translate() produced no status for ${key}; status keys: ${pretty([...this.translation.status.keys()].sort())}`,
    );
    return status;
  }

  /** Whether a translation run was given a `now` and no previous status (every condition is new). */
  get fresh(): boolean {
    return this.options.previousStatus === undefined && this.options.now !== undefined;
  }

  gatewayClass(name: string): ObjectView {
    return new ObjectView(this, 'GatewayClass', undefined, name);
  }

  gateway(namespace: string, name: string): GatewayView {
    return new GatewayView(this, 'Gateway', namespace, name);
  }

  listenerSet(namespace: string, name: string): GatewayView {
    return new GatewayView(this, 'ListenerSet', namespace, name);
  }

  route(kind: string, namespace: string, name: string): RouteView {
    return new RouteView(this, kind, namespace, name);
  }

  httpRoute(namespace: string, name: string): RouteView {
    return this.route('HTTPRoute', namespace, name);
  }

  address(namespace: string, name: string): string | undefined {
    return this.translation.addresses.get(`${namespace}/${name}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Condition checks
// ---------------------------------------------------------------------------------------------

const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const TYPE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;

/**
 * Every condition list we own must be a valid metav1.Condition list-map: unique types, at most 8,
 * each with type/status/reason/message/lastTransitionTime, observedGeneration = the object's
 * generation, and (first translation with options.now) lastTransitionTime = now.
 */
function checkConditions(
  conditions: unknown,
  where: string,
  generation: number,
  outcome: Outcome,
  whole: () => string,
): void {
  assert.ok(Array.isArray(conditions), `${where}: conditions must be an array\n${whole()}`);
  assert.ok(conditions.length <= 8, `${where}: more than 8 conditions\n${whole()}`);
  const seen = new Set<string>();
  for (const c of conditions) {
    assert.ok(isRecord(c), `${where}: condition is not an object\n${whole()}`);
    const label = `${where}.conditions[type=${String(c.type)}]`;
    assert.ok(typeof c.type === 'string' && TYPE.test(c.type), `${label}: bad type\n${whole()}`);
    assert.ok(!seen.has(c.type), `${label}: duplicate condition type\n${whole()}`);
    seen.add(c.type);
    assert.ok(c.status === 'True' || c.status === 'False' || c.status === 'Unknown', `${label}: bad status\n${whole()}`);
    assert.ok(typeof c.reason === 'string' && REASON.test(c.reason), `${label}: bad reason\n${whole()}`);
    assert.equal(typeof c.message, 'string', `${label}: message must be a string\n${whole()}`);
    assert.ok(
      typeof c.lastTransitionTime === 'string' && !Number.isNaN(Date.parse(c.lastTransitionTime)),
      `${label}: lastTransitionTime must be an RFC 3339 time\n${whole()}`,
    );
    if (outcome.fresh) {
      assert.equal(c.lastTransitionTime, outcome.options.now, `${label}: lastTransitionTime must be options.now\n${whole()}`);
    }
    assert.equal(
      c.observedGeneration,
      generation,
      `${label}: observedGeneration must equal metadata.generation (${generation})\n${whole()}`,
    );
  }
}

function describeConditions(conditions: unknown): string {
  return asArray(conditions)
    .map((c) => (isRecord(c) ? `${String(c.type)}=${String(c.status)} (${String(c.reason)})` : String(c)))
    .join(', ');
}

function expectIn(conditions: unknown, expected: Expect, where: string, whole: () => string): Json {
  const found = asArray(conditions).find((c): c is Json => isRecord(c) && c.type === expected.type);
  const want =
    `${expected.type}=${expected.status}` +
    (expected.reason === undefined
      ? ''
      : ` (reason ${Array.isArray(expected.reason) ? `one of ${expected.reason.join('|')}` : String(expected.reason)})`);
  assert.ok(found, `${where}: expected condition ${want}, but there is no ${expected.type} condition; have [${describeConditions(conditions)}]\n${whole()}`);
  const reasons = expected.reason === undefined ? undefined : typeof expected.reason === 'string' ? [expected.reason] : expected.reason;
  const ok = found.status === expected.status && (reasons === undefined || reasons.includes(String(found.reason)));
  assert.ok(
    ok,
    `${where}: expected condition ${want}, found ${expected.type}=${String(found.status)} (reason ${String(found.reason)}: ${JSON.stringify(found.message)})\n${whole()}`,
  );
  return found;
}

function expectAbsent(conditions: unknown, type: string, where: string, whole: () => string): void {
  const found = asArray(conditions).find((c) => isRecord(c) && c.type === type);
  assert.equal(found, undefined, `${where}: condition ${type} must not be set\n${whole()}`);
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export class ObjectView {
  readonly key: string;
  readonly status: Json;
  readonly object: KubeObject;
  readonly generation: number;

  constructor(
    readonly outcome: Outcome,
    readonly kind: string,
    readonly namespace: string | undefined,
    readonly name: string,
  ) {
    this.key = objectKey(kind, namespace, name);
    this.object = outcome.object(kind, namespace, name);
    this.generation = this.object.metadata.generation ?? 1;
    this.status = outcome.status(kind, namespace, name);
    this.checkShape();
  }

  /** The whole status, for failure messages. */
  whole = (): string => `--- status of ${this.key} (generation ${this.generation}) ---\n${pretty(this.status)}`;

  protected checkShape(): void {
    checkConditions(this.status.conditions, this.key, this.generation, this.outcome, this.whole);
  }

  get conditions(): Json[] {
    return asArray(this.status.conditions).filter(isRecord);
  }

  condition(type: string, status: ConditionStatusValue, reason?: string | readonly string[]): Json {
    return expectIn(this.status.conditions, cond(type, status, reason), this.key, this.whole);
  }

  conditionsAre(...expected: Expect[]): void {
    for (const e of expected) expectIn(this.status.conditions, e, this.key, this.whole);
  }

  noCondition(type: string): void {
    expectAbsent(this.status.conditions, type, this.key, this.whole);
  }
}

export interface ListenerExpectation {
  conditions?: Expect[];
  attachedRoutes?: number;
  /**
   * Kinds that must be in supportedKinds. `exactKinds: true` = nothing else; an empty list with
   * exactKinds = supportedKinds must be empty.
   */
  kinds?: string[];
  exactKinds?: boolean;
  /** Kinds that must not appear (e.g. TLSRoute on an HTTP listener). */
  notKinds?: string[];
}

/** Gateway or ListenerSet: conditions plus a status.listeners list-map keyed by name. */
export class GatewayView extends ObjectView {
  protected override checkShape(): void {
    super.checkShape();
    const listeners = this.status.listeners;
    if (listeners === undefined) return;
    assert.ok(Array.isArray(listeners), `${this.key}: status.listeners must be an array\n${this.whole()}`);
    assert.ok(listeners.length <= 64, `${this.key}: more than 64 listener statuses\n${this.whole()}`);
    const names = new Set<string>();
    for (const l of listeners) {
      assert.ok(isRecord(l) && typeof l.name === 'string', `${this.key}: listener status without name\n${this.whole()}`);
      assert.ok(!names.has(l.name), `${this.key}: duplicate listener status ${l.name}\n${this.whole()}`);
      names.add(l.name);
      const where = `${this.key} listener ${l.name}`;
      assert.ok(
        Number.isInteger(l.attachedRoutes) && (l.attachedRoutes as number) >= 0,
        `${where}: attachedRoutes must be an integer >= 0\n${this.whole()}`,
      );
      // Optional since v1.6 (omitted = empty).
      assert.ok(
        l.supportedKinds === undefined || Array.isArray(l.supportedKinds),
        `${where}: supportedKinds must be an array\n${this.whole()}`,
      );
      for (const k of asArray(l.supportedKinds)) {
        assert.ok(isRecord(k) && typeof k.kind === 'string', `${where}: bad supportedKinds entry\n${this.whole()}`);
      }
      checkConditions(l.conditions, where, this.generation, this.outcome, this.whole);
    }
  }

  get listeners(): Json[] {
    return asArray(this.status.listeners).filter(isRecord);
  }

  listenerNames(): string[] {
    return this.listeners.map((l) => String(l.name));
  }

  /** status.listeners must list exactly these names (order free). */
  listenersAre(...names: string[]): void {
    assert.deepEqual(
      [...this.listenerNames()].sort(),
      [...names].sort(),
      `${this.key}: status.listeners names\n${this.whole()}`,
    );
  }

  listener(name: string): Json {
    const l = this.listeners.find((x) => x.name === name);
    assert.ok(l, `${this.key}: no status for listener ${name}; have [${this.listenerNames().join(', ')}]\n${this.whole()}`);
    return l;
  }

  supportedKinds(name: string): string[] {
    return asArray(this.listener(name).supportedKinds).map((k) => {
      const rgk = k as Json;
      const group = rgk.group === undefined ? GROUP : String(rgk.group);
      return group === GROUP ? String(rgk.kind) : `${group}/${String(rgk.kind)}`;
    });
  }

  expectListener(name: string, e: ListenerExpectation): Json {
    const l = this.listener(name);
    const where = `${this.key} listener ${name}`;
    for (const c of e.conditions ?? []) expectIn(l.conditions, c, where, this.whole);
    if (e.attachedRoutes !== undefined) {
      assert.equal(l.attachedRoutes, e.attachedRoutes, `${where}: attachedRoutes\n${this.whole()}`);
    }
    const kinds = this.supportedKinds(name);
    if (e.kinds !== undefined) {
      if (e.exactKinds) {
        assert.deepEqual([...kinds].sort(), [...e.kinds].sort(), `${where}: supportedKinds\n${this.whole()}`);
      } else {
        for (const k of e.kinds) assert.ok(kinds.includes(k), `${where}: supportedKinds must include ${k}\n${this.whole()}`);
      }
    }
    for (const k of e.notKinds ?? []) {
      assert.ok(!kinds.includes(k), `${where}: supportedKinds must not include ${k}\n${this.whole()}`);
    }
    return l;
  }

  listenerCondition(name: string, type: string, status: ConditionStatusValue, reason?: string | readonly string[]): Json {
    return expectIn(this.listener(name).conditions, cond(type, status, reason), `${this.key} listener ${name}`, this.whole);
  }

  noListenerCondition(name: string, type: string): void {
    expectAbsent(this.listener(name).conditions, type, `${this.key} listener ${name}`, this.whole);
  }

  /** Every listener reports attachedRoutes 0 (or there are no listener statuses at all). */
  zeroRoutes(): void {
    for (const l of this.listeners) {
      assert.equal(l.attachedRoutes, 0, `${this.key} listener ${String(l.name)}: attachedRoutes\n${this.whole()}`);
    }
  }

  attachedListenerSets(expected: number): void {
    assert.equal(this.status.attachedListenerSets ?? 0, expected, `${this.key}: status.attachedListenerSets\n${this.whole()}`);
  }

  addresses(): Json[] {
    return asArray(this.status.addresses).filter(isRecord);
  }
}

/** A Route: status.parents, one entry per parentRef this controller handles. */
export class RouteView {
  readonly key: string;
  readonly status: Json;
  readonly object: KubeObject;
  readonly generation: number;

  constructor(
    readonly outcome: Outcome,
    readonly kind: string,
    readonly namespace: string,
    readonly name: string,
  ) {
    this.key = objectKey(kind, namespace, name);
    this.object = outcome.object(kind, namespace, name);
    this.generation = this.object.metadata.generation ?? 1;
    this.status = outcome.status(kind, namespace, name);
    const parents = this.status.parents;
    assert.ok(Array.isArray(parents), `${this.key}: status.parents must be an array\n${this.whole()}`);
    assert.ok(parents.length <= 32, `${this.key}: more than 32 parent statuses\n${this.whole()}`);
    for (const p of parents) {
      assert.ok(isRecord(p) && isRecord(p.parentRef), `${this.key}: parent status without parentRef\n${this.whole()}`);
      assert.ok(typeof p.controllerName === 'string', `${this.key}: parent status without controllerName\n${this.whole()}`);
      if (p.controllerName === CONTROLLER) {
        checkConditions(p.conditions, `${this.key} parent ${refText(p.parentRef)}`, this.generation, outcome, this.whole);
      }
    }
    // A parentRef we handle gets exactly one entry of ours.
    for (const p of this.ours()) {
      const same = this.ours().filter((q) => isDeepStrictEqual(q.parentRef, p.parentRef));
      assert.equal(same.length, 1, `${this.key}: duplicate parent status for ${refText(p.parentRef)}\n${this.whole()}`);
    }
  }

  whole = (): string => `--- status of ${this.key} (generation ${this.generation}) ---\n${pretty(this.status)}`;

  get parents(): Json[] {
    return asArray(this.status.parents).filter(isRecord);
  }

  ours(): Json[] {
    return this.parents.filter((p) => p.controllerName === CONTROLLER);
  }

  specParentRefs(): Json[] {
    const spec = this.object.spec as Json | undefined;
    return asArray(spec?.parentRefs).filter(isRecord);
  }

  /**
   * Our status entry for spec.parentRefs[index]: its parentRef must be the spec parentRef exactly as
   * given (after API-server defaulting: group, kind; namespace/sectionName/port echoed as written).
   */
  parent(index = 0): ParentView {
    const ref = this.specParentRefs()[index];
    assert.ok(ref, `${this.key}: spec has no parentRefs[${index}]`);
    const entry = this.ours().find((p) => isDeepStrictEqual(p.parentRef, ref));
    assert.ok(
      entry,
      `${this.key}: no status.parents entry with controllerName ${CONTROLLER} and parentRef exactly ${JSON.stringify(ref)}\n${this.whole()}`,
    );
    return new ParentView(this, entry, `${this.key} parent ${refText(ref)}`);
  }

  /** Our entries are exactly one per listed spec parentRef index (nothing for other parents). */
  ourParentsAre(...indexes: number[]): void {
    const refs = this.specParentRefs();
    const want = indexes.map((i) => refs[i]);
    assert.equal(this.ours().length, want.length, `${this.key}: number of status.parents entries of ${CONTROLLER}\n${this.whole()}`);
    for (const r of want) {
      assert.ok(
        this.ours().some((p) => isDeepStrictEqual(p.parentRef, r)),
        `${this.key}: missing parent entry for ${JSON.stringify(r)}\n${this.whole()}`,
      );
    }
  }

  /** Upstream "no accepted parents": every entry of ours has Accepted=False. */
  noAcceptedParents(): void {
    for (const p of this.ours()) {
      expectIn(p.conditions, cond('Accepted', 'False'), `${this.key} parent ${refText(p.parentRef)}`, this.whole);
    }
  }
}

export class ParentView {
  constructor(
    readonly route: RouteView,
    readonly entry: Json,
    readonly where: string,
  ) {}

  condition(type: string, status: ConditionStatusValue, reason?: string | readonly string[]): Json {
    return expectIn(this.entry.conditions, cond(type, status, reason), this.where, this.route.whole);
  }

  conditionsAre(...expected: Expect[]): void {
    for (const e of expected) expectIn(this.entry.conditions, e, this.where, this.route.whole);
  }

  noCondition(type: string): void {
    expectAbsent(this.entry.conditions, type, this.where, this.route.whole);
  }

  /** Accepted=True/Accepted and ResolvedRefs=True/ResolvedRefs. */
  acceptedAndResolved(): void {
    this.conditionsAre(cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'True', 'ResolvedRefs'));
  }
}

function refText(ref: unknown): string {
  if (!isRecord(ref)) return String(ref);
  const ns = ref.namespace === undefined ? '' : `${String(ref.namespace)}/`;
  const section = ref.sectionName === undefined ? '' : `#${String(ref.sectionName)}`;
  const port = ref.port === undefined ? '' : `:${String(ref.port)}`;
  return `${String(ref.kind ?? 'Gateway')} ${ns}${String(ref.name)}${section}${port}`;
}

// ---------------------------------------------------------------------------------------------
// Common expectations
// ---------------------------------------------------------------------------------------------

/** A listener that is fully fine: Accepted, ResolvedRefs, Programmed, not Conflicted. */
export const LISTENER_OK: Expect[] = [
  cond('Accepted', 'True', 'Accepted'),
  cond('ResolvedRefs', 'True', 'ResolvedRefs'),
  cond('Programmed', 'True', 'Programmed'),
];

/** A Gateway that is accepted and programmed. */
export const GATEWAY_OK: Expect[] = [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')];

/** Kinds that may appear on a listener of each protocol (Portico's route kinds). */
export const KINDS_FOR_PROTOCOL: Record<string, string[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

/** Names in the GatewayClass status.supportedFeatures. */
export function supportedFeatures(outcome: Outcome, className = CLASS): string[] {
  const gc = outcome.gatewayClass(className);
  return asArray(gc.status.supportedFeatures).map((f) => (isRecord(f) ? String(f.name) : String(f)));
}

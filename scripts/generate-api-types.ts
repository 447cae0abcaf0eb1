/**
 * Generates src/api/gateway-api.generated.ts from the experimental-channel CRDs, so the Gateway API
 * types the code compiles against are the ones the validation layer enforces.
 *
 *   npm run generate:api-types                  writes the file
 *   npm run generate:api-types -- --check       exits 1 if the committed file is stale
 *
 * json-schema-to-typescript prints each interface. This script only decides the names: every object
 * schema becomes a named interface (the Go type name from NAMES, or one built from its parent's name
 * and the field), and a shape met again under another field reuses that name, so a ParentReference
 * is one type for every route kind. Run it with tsx (no build needed, so a stale output that breaks
 * tsc can still be regenerated); the unit test imports it compiled.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { parseAllDocuments } from 'yaml';
import { KINDS } from '../src/api/kinds.js';

export const CRD_DIR = 'crds/experimental';
export const OUTPUT = 'src/api/gateway-api.generated.ts';

/** The subset of an OpenAPI v3 schema that CRDs use and that matters for a type. */
interface CrdSchema {
  type?: string;
  description?: string;
  properties?: Record<string, CrdSchema>;
  required?: string[];
  items?: CrdSchema;
  additionalProperties?: CrdSchema | boolean;
  enum?: unknown[];
  default?: unknown;
}

interface Crd {
  kind: string;
  spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: CrdSchema } }[] };
}

/**
 * Names for object schemas, keyed by kind and path, mostly the Go type names of Gateway API v1.6.
 * A path not listed takes the name of an identical shape met before, or its parent's name plus the
 * field's. Listing a path is needed only where that would be unclear, or where two shapes would get
 * one name (the generator refuses that).
 */
const NAMES: Record<string, string> = {
  'Gateway .spec.addresses[]': 'GatewaySpecAddress',
  'Gateway .spec.allowedListeners': 'AllowedListeners',
  'Gateway .spec.allowedListeners.namespaces': 'ListenerNamespaces',
  'Gateway .spec.allowedListeners.namespaces.selector': 'LabelSelector',
  'Gateway .spec.allowedListeners.namespaces.selector.matchExpressions[]': 'LabelSelectorRequirement',
  'Gateway .spec.infrastructure': 'GatewayInfrastructure',
  'Gateway .spec.infrastructure.parametersRef': 'LocalParametersReference',
  'Gateway .spec.listeners[]': 'Listener',
  'Gateway .spec.listeners[].allowedRoutes': 'AllowedRoutes',
  'Gateway .spec.listeners[].allowedRoutes.kinds[]': 'RouteGroupKind',
  'Gateway .spec.listeners[].allowedRoutes.namespaces': 'RouteNamespaces',
  'Gateway .spec.listeners[].tls': 'ListenerTLSConfig',
  'Gateway .spec.listeners[].tls.certificateRefs[]': 'SecretObjectReference',
  'Gateway .spec.tls': 'GatewayTLSConfig',
  'Gateway .spec.tls.backend': 'GatewayBackendTLS',
  'Gateway .spec.tls.frontend': 'FrontendTLSConfig',
  'Gateway .spec.tls.frontend.default': 'TLSConfig',
  'Gateway .spec.tls.frontend.default.validation': 'FrontendTLSValidation',
  'Gateway .spec.tls.frontend.default.validation.caCertificateRefs[]': 'ObjectReference',
  'Gateway .spec.tls.frontend.perPort[]': 'TLSPortConfig',
  'Gateway .status.addresses[]': 'GatewayStatusAddress',
  'Gateway .status.conditions[]': 'Condition',
  'Gateway .status.listeners[]': 'ListenerStatus',
  'GatewayClass .spec.parametersRef': 'ParametersReference',
  'GatewayClass .status.conditions[]': 'Condition',
  'GatewayClass .status.supportedFeatures[]': 'SupportedFeature',
  'HTTPRoute .spec.parentRefs[]': 'ParentReference',
  'HTTPRoute .spec.rules[]': 'HTTPRouteRule',
  'HTTPRoute .spec.rules[].backendRefs[]': 'HTTPBackendRef',
  'HTTPRoute .spec.rules[].filters[]': 'HTTPRouteFilter',
  'HTTPRoute .spec.rules[].filters[].cors': 'HTTPCORSFilter',
  'HTTPRoute .spec.rules[].filters[].extensionRef': 'LocalObjectReference',
  'HTTPRoute .spec.rules[].filters[].externalAuth': 'HTTPExternalAuthFilter',
  'HTTPRoute .spec.rules[].filters[].externalAuth.backendRef': 'BackendObjectReference',
  'HTTPRoute .spec.rules[].filters[].externalAuth.forwardBody': 'ForwardBodyConfig',
  'HTTPRoute .spec.rules[].filters[].externalAuth.grpc': 'GRPCAuthConfig',
  'HTTPRoute .spec.rules[].filters[].externalAuth.http': 'HTTPAuthConfig',
  'HTTPRoute .spec.rules[].filters[].requestHeaderModifier': 'HTTPHeaderFilter',
  'HTTPRoute .spec.rules[].filters[].requestHeaderModifier.add[]': 'HTTPHeader',
  'HTTPRoute .spec.rules[].filters[].requestMirror': 'HTTPRequestMirrorFilter',
  'HTTPRoute .spec.rules[].filters[].requestMirror.fraction': 'Fraction',
  'HTTPRoute .spec.rules[].filters[].requestRedirect': 'HTTPRequestRedirectFilter',
  'HTTPRoute .spec.rules[].filters[].requestRedirect.path': 'HTTPPathModifier',
  'HTTPRoute .spec.rules[].filters[].urlRewrite': 'HTTPURLRewriteFilter',
  'HTTPRoute .spec.rules[].matches[]': 'HTTPRouteMatch',
  'HTTPRoute .spec.rules[].matches[].headers[]': 'HTTPHeaderMatch',
  'HTTPRoute .spec.rules[].matches[].path': 'HTTPPathMatch',
  'HTTPRoute .spec.rules[].matches[].queryParams[]': 'HTTPQueryParamMatch',
  'HTTPRoute .spec.rules[].retry': 'HTTPRouteRetry',
  'HTTPRoute .spec.rules[].sessionPersistence': 'SessionPersistence',
  'HTTPRoute .spec.rules[].sessionPersistence.cookieConfig': 'CookieConfig',
  'HTTPRoute .spec.rules[].timeouts': 'HTTPRouteTimeouts',
  'HTTPRoute .status.parents[]': 'RouteParentStatus',
  'GRPCRoute .spec.rules[]': 'GRPCRouteRule',
  'GRPCRoute .spec.rules[].backendRefs[]': 'GRPCBackendRef',
  'GRPCRoute .spec.rules[].filters[]': 'GRPCRouteFilter',
  'GRPCRoute .spec.rules[].filters[].extensionRef': 'LocalObjectReference',
  'GRPCRoute .spec.rules[].matches[]': 'GRPCRouteMatch',
  'GRPCRoute .spec.rules[].matches[].headers[]': 'GRPCHeaderMatch',
  'GRPCRoute .spec.rules[].matches[].method': 'GRPCMethodMatch',
  'TLSRoute .spec.rules[]': 'TLSRouteRule',
  'TLSRoute .spec.rules[].backendRefs[]': 'BackendRef',
  'TCPRoute .spec.rules[]': 'TCPRouteRule',
  'UDPRoute .spec.rules[]': 'UDPRouteRule',
  'ListenerSet .spec.parentRef': 'ParentGatewayReference',
  'ReferenceGrant .spec.from[]': 'ReferenceGrantFrom',
  'ReferenceGrant .spec.to[]': 'ReferenceGrantTo',
  'BackendTLSPolicy .spec.targetRefs[]': 'LocalPolicyTargetReferenceWithSectionName',
  'BackendTLSPolicy .spec.validation': 'BackendTLSPolicyValidation',
  'BackendTLSPolicy .spec.validation.caCertificateRefs[]': 'LocalObjectReference',
  'BackendTLSPolicy .spec.validation.subjectAltNames[]': 'SubjectAltName',
  'BackendTLSPolicy .status.ancestors[]': 'PolicyAncestorStatus',
};

const STYLE = { singleQuote: true, printWidth: 120 };

interface Declaration {
  name: string;
  /** The shape, to tell a reuse of the name from a clash. */
  key: string;
  source: string;
  schema?: JSONSchema;
}

/** Which CRD files and versions the output comes from, in KINDS order. */
export interface Input {
  kind: string;
  file: string;
  version: string;
  schema: CrdSchema;
}

export function readInputs(root: string): Input[] {
  const dir = join(root, CRD_DIR);
  const crds = new Map<string, { file: string; crd: Crd }>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const crd = doc.toJS() as Crd | null;
      if (crd?.kind === 'CustomResourceDefinition') crds.set(crd.spec.names.kind, { file: `${CRD_DIR}/${file}`, crd });
    }
  }
  const inputs: Input[] = [];
  for (const info of KINDS.filter((k) => k.source === 'gateway-api')) {
    const found = crds.get(info.kind);
    if (!found) throw new Error(`no CRD for ${info.kind} in ${CRD_DIR}`);
    crds.delete(info.kind);
    // The first version in KINDS is the one objects are stored and served as, so it is the one the code reads.
    const version = info.versions[0];
    const v = found.crd.spec.versions.find((x) => x.name === version);
    if (!v) throw new Error(`${found.file} has no version ${version} of ${info.kind}`);
    inputs.push({ kind: info.kind, file: found.file, version: v.name, schema: v.schema.openAPIV3Schema });
  }
  if (crds.size > 0) throw new Error(`CRDs for kinds not in src/api/kinds.ts: ${[...crds.keys()].join(', ')}`);
  return inputs;
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
// Arrays are named in the plural (rules, backendRefs, matches); their items in the singular.
const singular = (s: string) => (s.endsWith('ches') ? s.slice(0, -2) : s.endsWith('s') ? s.slice(0, -1) : s);

const isObject = (s: CrdSchema) => s.type === 'object' && s.properties !== undefined;

const TYPE_KEYWORDS = ['type', 'properties', 'required', 'items', 'additionalProperties', 'enum', 'default'];

/** What the printed type (and its @default tags) depends on: fields share an interface only when it fits both. */
function shapeKey(s: CrdSchema): string {
  const strip = (x: CrdSchema): unknown => ({
    ...Object.fromEntries(TYPE_KEYWORDS.filter((k) => k in x).map((k) => [k, x[k as keyof CrdSchema]])),
    properties: x.properties && Object.fromEntries(Object.entries(x.properties).map(([k, v]) => [k, strip(v)])),
    items: x.items && strip(x.items),
    additionalProperties: typeof x.additionalProperties === 'object' ? strip(x.additionalProperties) : x.additionalProperties,
  });
  return JSON.stringify(strip(s));
}

/** Calls `visit` for every object schema under `s`, with its path. */
function eachObject(s: CrdSchema, path: string, visit: (s: CrdSchema, path: string) => void): void {
  if (isObject(s)) visit(s, path);
  for (const [field, child] of Object.entries(s.properties ?? {})) eachObject(child, `${path}.${field}`, visit);
  if (s.items) eachObject(s.items, `${path}[]`, visit);
  if (typeof s.additionalProperties === 'object') eachObject(s.additionalProperties, `${path}{}`, visit);
}

function withDefault(s: CrdSchema): string | undefined {
  if (s.default === undefined) return s.description;
  const tag = `@default ${JSON.stringify(s.default)}`;
  return s.description ? `${s.description}\n\n${tag}` : tag;
}

class Namer {
  readonly declarations = new Map<string, Declaration>();
  /**
   * A shape listed in NAMES is declared from its listed place wherever it is met first, so its name,
   * its description and the names of its fields' types do not depend on the order of the walk.
   */
  private readonly listed = new Map<string, { kind: string; path: string; schema: CrdSchema; name: string }>();
  /** Shapes already declared under a name that is not listed. */
  private readonly nameOfShape = new Map<string, string>();

  /** Finds the place of every NAMES entry, before any declaration; refuses entries the CRDs lack. */
  preferNames(inputs: Input[]): void {
    const unused = new Set(Object.keys(NAMES));
    for (const input of inputs) {
      eachObject(input.schema, '', (s, path) => {
        const source = `${input.kind} ${path}`;
        const name = NAMES[source];
        if (name === undefined) return;
        unused.delete(source);
        const key = shapeKey(s);
        if (!this.listed.has(key)) this.listed.set(key, { kind: input.kind, path, schema: s, name });
      });
    }
    if (unused.size > 0) throw new Error(`NAMES lists paths the CRDs do not have: ${[...unused].join(', ')}`);
  }

  /** Declares `s` (an object schema) under a name and returns the name. */
  declare(kind: string, s: CrdSchema, path: string, fallback: string, fixed?: string): string {
    const key = shapeKey(s);
    const listed = this.listed.get(key);
    if (fixed === undefined && NAMES[`${kind} ${path}`] === undefined && listed) {
      // Same shape, so the same type: declare it as at its listed place.
      ({ kind, path, schema: s } = listed);
    }
    const source = `${kind} ${path}`;
    const name = fixed ?? NAMES[source] ?? listed?.name ?? this.nameOfShape.get(key) ?? fallback;
    const seen = this.declarations.get(name);
    if (seen) {
      if (seen.key !== key) throw new Error(`${source} and ${seen.source} differ but would both be ${name}: name one in NAMES`);
      return name;
    }
    if (!this.nameOfShape.has(key)) this.nameOfShape.set(key, name);
    const decl: Declaration = { name, key, source };
    this.declarations.set(name, decl);
    const properties: Record<string, JSONSchema> = {};
    for (const [field, child] of Object.entries(s.properties ?? {})) {
      properties[field] = this.field(kind, child, `${path}.${field}`, name + pascal(field));
    }
    decl.schema = {
      title: name,
      type: 'object',
      // An array item's description is the type's; an object field's is the field's, printed on the field.
      description: [path.endsWith('[]') ? s.description : undefined, `From ${source}.`].filter(Boolean).join('\n\n'),
      properties,
      required: s.required ?? [],
      additionalProperties: false,
    };
    return name;
  }

  private field(kind: string, s: CrdSchema, path: string, fallback: string): JSONSchema {
    const description = withDefault(s);
    if (isObject(s)) {
      return { tsType: this.declare(kind, s, path, fallback), description };
    }
    if (s.type === 'array' && s.items) {
      const items = isObject(s.items)
        ? { tsType: this.declare(kind, s.items, `${path}[]`, singular(fallback)) }
        : this.field(kind, s.items, `${path}[]`, singular(fallback));
      return { type: 'array', items, description };
    }
    if (s.type === 'object') {
      const values =
        typeof s.additionalProperties === 'object' ? this.field(kind, s.additionalProperties, `${path}{}`, fallback) : {};
      return { type: 'object', additionalProperties: values, description };
    }
    const scalar: JSONSchema = { description };
    if (s.type) scalar.type = s.type as JSONSchema['type'];
    if (s.enum) scalar.enum = s.enum as JSONSchema['enum'];
    return scalar;
  }
}

export async function generateApiTypes(root: string): Promise<string> {
  const inputs = readInputs(root);
  const namer = new Namer();
  namer.preferNames(inputs);
  for (const input of inputs) {
    for (const part of ['spec', 'status'] as const) {
      const s = input.schema.properties?.[part];
      if (s && isObject(s)) namer.declare(input.kind, s, `.${part}`, '', `${input.kind}${pascal(part)}`);
    }
  }
  const chunks: string[] = [];
  for (const decl of namer.declarations.values()) {
    if (!decl.schema) throw new Error(`${decl.name} was never filled in`);
    const ts = await compile(decl.schema, decl.name, {
      bannerComment: '',
      additionalProperties: false,
      declareExternallyReferenced: false,
      ignoreMinAndMaxItems: true,
      strictIndexSignatures: false,
      unknownAny: true,
      format: true,
      style: STYLE,
    });
    chunks.push(ts.trim());
  }
  const sources = inputs.map((i) => ` *   ${i.file} (${i.kind} ${i.version})`).join('\n');
  const header = [
    '/**',
    ' * GENERATED FILE, do not edit: run `npm run generate:api-types` after changing the CRDs, the',
    ' * versions in src/api/kinds.ts or scripts/generate-api-types.ts. test/unit/api/generated.test.ts',
    ' * fails while this file is stale.',
    ' *',
    ' * Spec and status of every Gateway API kind, from the first (stored) version of each CRD in',
    ' * src/api/kinds.ts:',
    sources,
    ' *',
    ' * Validation-only parts of the schemas (patterns, lengths, CEL rules, oneOf/anyOf constraints) are',
    ' * not expressible as types and are left out; CRD defaults appear as @default.',
    ' */',
  ].join('\n');
  return `${header}\n\n${chunks.join('\n\n')}\n`;
}

/** The repository root: the nearest folder upwards holding package.json (works from scripts/ and dist/scripts/). */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

async function main(): Promise<void> {
  const root = repoRoot();
  const text = await generateApiTypes(root);
  const target = join(root, OUTPUT);
  if (process.argv.includes('--check')) {
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
      console.error(`${OUTPUT} is stale: run npm run generate:api-types`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${OUTPUT}`);
}

// Run as a program, not when the test imports it.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await main();
}

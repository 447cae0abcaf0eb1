import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCelError } from '@bufbuild/cel';
import { compileRule, type CompiledRule } from '../../../src/validation/cel/compile.js';
import { SchemaRules } from '../../../src/validation/cel/rules.js';
import { CelConverter } from '../../../src/validation/cel/to-cel.js';
import { crdCatalog, type CrdDefinition } from '../../../src/validation/crd-catalog.js';
import type { Schema } from '../../../src/validation/schema/structural.js';
import type { Channel } from '../../../src/validation/types.js';

const channels: Channel[] = ['standard', 'experimental'];
const crds: Array<[Channel, CrdDefinition]> = channels.flatMap((ch) => crdCatalog(ch).all().map((crd): [Channel, CrdDefinition] => [ch, crd]));

/** Every x-kubernetes-validations entry anywhere in a document, found without the validator's walker. */
function allRules(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) allRules(n, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-kubernetes-validations' && Array.isArray(value)) for (const r of value) out.push((r as { rule: string }).rule);
      else allRules(value, out);
    }
  }
  return out;
}

describe('every CEL rule of both channels compiles', () => {
  for (const [channel, crd] of crds) {
    test(`${channel} ${crd.kind}`, () => {
      for (const version of crd.versions) {
        const rules = new SchemaRules(version.schema);
        assert.deepEqual(rules.failures, [], `${crd.kind} ${version.name}`);
        assert.equal(rules.count, allRules(version.schema).length, `${crd.kind} ${version.name}: every rule is reached`);
      }
    });
  }

  test('the rules use only what the environment provides (checked at compile time)', () => {
    assert.throws(() => compileRule({ rule: 'isHostname(self)' }), /undeclared reference to 'isHostname'/);
    assert.throws(() => compileRule({ rule: 'self.startsWith()' }), /no matching overload for 'startsWith'/);
    assert.throws(() => compileRule({ rule: 'other.size() > 0' }), /undeclared reference to 'other'/);
    assert.throws(() => compileRule({ rule: 'self.(' }), /syntax error/);
    assert.equal(compileRule({ rule: 'self == oldSelf' }).transition, true);
  });

  // Portico's policy kinds are few per Gateway: their rules may take the slow path.
  test('all Gateway API rules but the duration() one (and transition rules) have an accept-only fast path', () => {
    const slow = new Set<string>();
    for (const [, crd] of crds.filter(([, c]) => c.group === 'gateway.networking.k8s.io')) for (const v of crd.versions) for (const rule of allRules(v.schema)) {
      const compiled = compileRule({ rule });
      if (!compiled.fast && !compiled.transition) slow.add(rule);
    }
    assert.deepEqual([...slow].map((r) => r.slice(0, 40)), ['!(has(self.request) && has(self.backendR']);
  });
});

/** Seeded PRNG so failures reproduce. */
function prng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

const STRINGS = [
  '', '/', '/a', 'a', '//', '/a//b', '/./', '/a/..', '/a/.', '%2f', '%2F', '#x', '*', '*.example.com', 'example.com', 'Foo',
  '10.0.0.1', '::1', '::ffff:1.2.3.4', 'Exact', 'PathPrefix', 'RegularExpression', 'Terminate', 'Passthrough', 'Service', 'Gateway',
  'HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP', 'GRPC', 'Hostname', 'IPAddress', 'URI', 'Cookie', 'Header', 'Permanent', 'Session',
  'ReplaceFullPath', 'ReplacePrefixMatch', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'URLRewrite', 'RequestRedirect',
  'CORS', 'ExtensionRef', 'RequestMirror', 'ExternalAuth', '1s', '10s', '0s', '1h', 'gateway.networking.k8s.io', 'http', 'System',
  'a/b', 'x'.repeat(260) + '/y', 'é', '😀', 'foo.Bar', '_x', '9x',
];
const INTS = [0, 1, 2, 5, 10, 100, 128, -1, 65535];
const KEYS = ['a', 'example.com/x', 'bad key', 'A-b_c.d', `${'p'.repeat(254)}/n`];

/** Random data shaped by a structural schema: enum values, rule-relevant strings, small lists with repeats. */
function generate(schema: Schema, rnd: (n: number) => number, depth = 0): unknown {
  if (schema.enum && rnd(5) > 0) return schema.enum[rnd(schema.enum.length)];
  if (schema['x-kubernetes-int-or-string']) return rnd(2) ? INTS[rnd(INTS.length)] : STRINGS[rnd(STRINGS.length)];
  switch (schema.type) {
    case 'string':
      return STRINGS[rnd(STRINGS.length)];
    case 'integer':
      return INTS[rnd(INTS.length)];
    case 'number':
      return rnd(10) / 2;
    case 'boolean':
      return rnd(2) === 1;
    case 'array': {
      const items: unknown[] = [];
      if (!schema.items || depth > 6) return items;
      const n = rnd(4);
      for (let i = 0; i < n; i++) items.push(i > 0 && rnd(3) === 0 ? structuredClone(items[rnd(i)]) : generate(schema.items, rnd, depth + 1));
      return items;
    }
    default: {
      const obj: Record<string, unknown> = {};
      if (depth > 6) return obj;
      for (const [key, prop] of Object.entries(schema.properties ?? {})) {
        if (rnd(10) < (schema.required?.includes(key) ? 9 : 5)) obj[key] = generate(prop, rnd, depth + 1);
      }
      if (typeof schema.additionalProperties === 'object') {
        for (let i = rnd(3); i > 0; i--) obj[KEYS[rnd(KEYS.length)] as string] = generate(schema.additionalProperties, rnd, depth + 1);
      }
      return obj;
    }
  }
}

function* ruleNodes(schema: Schema): Generator<Schema> {
  if (schema['x-kubernetes-validations']?.length) yield schema;
  for (const prop of Object.values(schema.properties ?? {})) yield* ruleNodes(prop);
  if (typeof schema.additionalProperties === 'object') yield* ruleNodes(schema.additionalProperties);
  if (schema.items) yield* ruleNodes(schema.items);
}

describe('the fast path agrees with @bufbuild/cel', () => {
  test('on random data for every rule node of both channels', () => {
    const seen = new Set<string>();
    let decided = 0;
    let evaluations = 0;
    for (const [, crd] of crds) {
      for (const version of crd.versions) {
        for (const node of ruleNodes(version.schema)) {
          const key = JSON.stringify(node);
          if (seen.has(key)) continue;
          seen.add(key);
          const rules = (node['x-kubernetes-validations'] ?? []).map((r) => compileRule(r)).filter((r: CompiledRule) => !r.transition);
          const rnd = prng(seen.size);
          for (let sample = 0; sample < 150; sample++) {
            const value = generate(node, rnd);
            const self = new CelConverter().convert(value, node);
            for (const rule of rules) {
              const reference = rule.program({ self });
              evaluations++;
              if (isCelError(reference)) assert.doesNotMatch(reference.message, /unbound function|no matching overload/, rule.rule.rule);
              const fast = rule.fast?.(self);
              if (fast === undefined) continue;
              decided++;
              assert.equal(fast, reference, `${crd.kind}: ${rule.rule.rule}\nself = ${JSON.stringify(value)}`);
            }
          }
        }
      }
    }
    assert.ok(decided > evaluations / 2, `the fast path decided ${decided} of ${evaluations}`);
    console.log(`fast path decided ${decided} of ${evaluations} evaluations`);
  });
});

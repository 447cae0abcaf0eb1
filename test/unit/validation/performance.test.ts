import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/api/object.js';
import { Validator } from '../../../src/validation/index.js';

/** Deterministic, varied routes: unique names, paths and hostnames, shared gateways, some filters. */
function routes(count: number): KubeObject[] {
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: `route-${i}`, namespace: `team-${i % 20}` },
    spec: {
      parentRefs: [{ name: `gw-${rnd(3)}`, namespace: 'infra', sectionName: rnd(2) ? 'http' : 'https' }],
      hostnames: [`app${i}.example${rnd(50)}.com`],
      rules: Array.from({ length: 1 + rnd(3) }, (_, r) => ({
        matches: Array.from({ length: 1 + rnd(2) }, (_, m) => ({
          path: { type: rnd(4) ? 'PathPrefix' : 'Exact', value: `/app${i}/r${r}/m${m}` },
          ...(rnd(3) === 0 ? { headers: [{ name: 'x-env', value: `e${rnd(5)}` }] } : {}),
        })),
        ...(rnd(4) === 0 ? { filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: `r${i}` }] } }] } : {}),
        backendRefs: Array.from({ length: 1 + rnd(2) }, (_, b) => ({ name: `svc-${rnd(500)}`, port: 8080 + b, ...(b ? { weight: 1 + rnd(9) } : {}) })),
      })),
    },
  }));
}

test('performance: validating 10,000 HTTPRoutes (timing printed, not asserted)', () => {
  const validator = new Validator();
  const input = routes(10_000);
  let t = performance.now();
  assert.equal(validator.validate(input[0] as KubeObject).ok, true);
  const cold = performance.now() - t;
  const runs: number[] = [];
  for (let round = 0; round < 2; round++) {
    t = performance.now();
    let refused = 0;
    for (const route of input) if (!validator.validate(route).ok) refused++;
    runs.push(performance.now() - t);
    assert.equal(refused, 0);
  }
  console.log(`first object (loads and compiles the HTTPRoute CRD): ${cold.toFixed(0)} ms`);
  console.log(`10,000 HTTPRoutes: ${runs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} (best ${(Math.min(...runs) / 10).toFixed(1)} µs/route)`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../../src/api/object.js';
import { ResourceSet } from '../../../src/store/resources.js';
import { translate, TranslationCache } from '../../../src/pipeline/translate.js';
import { endpointSlice, gateway, gatewayClass, httpRoute, NOW, service } from './builders.js';
import { haproxyRuleProblem } from '../../../src/haproxy/capabilities.js';

/** A small world whose objects an edit can replace one at a time. */
function world(): KubeObject[] {
  return [
    gatewayClass(),
    gateway('gw', [
      { name: 'http', port: 80, protocol: 'HTTP' },
      { name: 'wild', port: 80, protocol: 'HTTP', hostname: '*.example.com' },
    ]),
    gateway('gw2', [{ name: 'http', port: 8080, protocol: 'HTTP' }]),
    service('a'),
    service('b'),
    endpointSlice('a', ['127.0.0.1']),
    ...[0, 1, 2, 3].map((i) =>
      httpRoute(`r${i}`, {
        parentRefs: [{ name: i % 2 ? 'gw' : 'gw2' }],
        hostnames: [`h${i}.example.com`],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/p${i}` } }], backendRefs: [{ name: i % 2 ? 'a' : 'b', port: 80 }] }],
      }),
    ),
  ];
}

type Edit = { index: number; kind: 'hostname' | 'backend' | 'remove' | 'listenerHost' | 'endpoint' | 'servicePort' | 'sliceAddress' };

function applyEdit(objects: KubeObject[], edit: Edit, step: number): KubeObject[] {
  const out = [...objects];
  const i = edit.index % out.length;
  const o = out[i] as KubeObject;
  const spec = o.spec as Record<string, unknown>;
  switch (edit.kind) {
    case 'remove':
      if (o.kind !== 'GatewayClass') out.splice(i, 1);
      break;
    case 'hostname':
      if (o.kind === 'HTTPRoute') out[i] = { ...o, spec: { ...spec, hostnames: [`x${step}.example.com`] } };
      break;
    case 'backend':
      if (o.kind === 'HTTPRoute') out[i] = { ...o, spec: { ...spec, rules: [{ backendRefs: [{ name: step % 2 ? 'a' : 'missing', port: 80 }] }] } };
      break;
    case 'listenerHost':
      if (o.kind === 'Gateway') out[i] = { ...o, spec: { ...spec, listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: `*.s${step}.example.com`, allowedRoutes: { namespaces: { from: 'Same' } } }] } };
      break;
    case 'servicePort':
      if (o.kind === 'Service') out[i] = { ...o, spec: { ...spec, ports: [{ port: 80, targetPort: 8000 + step }] } };
      break;
    case 'sliceAddress':
      if (o.kind === 'EndpointSlice') out[i] = { ...o, endpoints: [{ addresses: [`127.0.1.${step + 1}`] }] } as KubeObject;
      break;
    case 'endpoint':
      out.push({ ...endpointSlice('b', [`127.0.0.${(step % 200) + 2}`]), metadata: { name: `b-${step}`, namespace: 'default', labels: { 'kubernetes.io/service-name': 'b' } } });
      break;
  }
  return out;
}

test('the translation cache never changes the result, whatever sequence of edits', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ index: fc.nat(20), kind: fc.constantFrom('hostname', 'backend', 'remove', 'listenerHost', 'endpoint', 'servicePort', 'sliceAddress') as fc.Arbitrary<Edit['kind']> }), { maxLength: 12 }),
      (edits) => {
        const cache = new TranslationCache();
        let objects = world();
        let cachedPrev: Map<string, unknown> | undefined;
        let plainPrev: Map<string, unknown> | undefined;
        edits.forEach((edit, step) => {
          objects = applyEdit(objects, edit, step);
          const cached = translate(new ResourceSet(objects), { addressPool: '127.0.10.0/24', checkRule: haproxyRuleProblem, now: NOW, cache, previousStatus: cachedPrev });
          const plain = translate(new ResourceSet(objects), { addressPool: '127.0.10.0/24', checkRule: haproxyRuleProblem, now: NOW, previousStatus: plainPrev });
          assert.deepEqual(cached.status, plain.status);
          assert.deepEqual(cached.ir, plain.ir);
          cachedPrev = cached.status;
          plainPrev = plain.status;
        });
      },
    ),
    { numRuns: 300 },
  );
});

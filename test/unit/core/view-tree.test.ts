import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionHealth, filterTree, type ViewNode, type ViewTree } from '../../../src/api/view-tree.js';
import { apiPathOf, buildViewTree } from '../../../src/pipeline/view-tree.js';
import { endpointSlice, gateway, gatewayClass, httpRoute, run, service } from './builders.js';

const cond = (type: string, status: string, reason = 'R', message = 'm') => ({ type, status, reason, message });

test('conditionHealth: True positives are ok; a False or a Conflicted=True is a problem; Unknown, Pending or none are neutral', () => {
  assert.deepEqual(conditionHealth([cond('Accepted', 'True'), cond('Programmed', 'True')]), { health: 'ok', reason: 'Accepted=True, Programmed=True' });
  assert.deepEqual(conditionHealth([cond('Accepted', 'True'), cond('ResolvedRefs', 'False', 'BackendNotFound', 'no such Service')]), {
    health: 'problem',
    reason: 'ResolvedRefs=False (BackendNotFound): no such Service',
  });
  assert.equal(conditionHealth([cond('Accepted', 'True'), cond('Conflicted', 'True')]).health, 'problem');
  assert.equal(conditionHealth([cond('Accepted', 'True'), cond('Conflicted', 'False')]).health, 'ok');
  assert.equal(conditionHealth([cond('Accepted', 'True'), cond('PartiallyInvalid', 'True')]).health, 'problem');
  assert.equal(conditionHealth([cond('Accepted', 'True'), cond('Programmed', 'False', 'Pending')]).health, 'neutral');
  assert.equal(conditionHealth([cond('Accepted', 'Unknown')]).health, 'neutral');
  assert.deepEqual(conditionHealth([]), { health: 'neutral', reason: 'no conditions' });
  // A problem outweighs something pending.
  assert.equal(conditionHealth([cond('Accepted', 'False'), cond('Programmed', 'False', 'Pending')]).health, 'problem');
});

function flatten(nodes: readonly ViewNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.kind} ${n.namespace ?? ''}/${n.name} ${n.health}`, ...flatten(n.children, depth + 1)]);
}

test('buildViewTree: class → Gateway → listener → route → backend; a route to a missing Service is a problem, down to the backend', () => {
  const t = run([
    gatewayClass(),
    gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    service('echo'),
    endpointSlice('echo', ['127.0.0.1']),
    httpRoute('good', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }),
    httpRoute('broken', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'missing', port: 80 }] }] }),
    httpRoute('elsewhere', { parentRefs: [{ name: 'gw', sectionName: 'nope' }], rules: [] }),
  ]);
  const tree = buildViewTree(t.graph, 7);
  assert.equal(tree.version, 7);
  assert.deepEqual(tree.namespaces, ['default']);
  assert.deepEqual(flatten(tree.roots), [
    'GatewayClass /portico ok',
    '  Gateway default/gw ok',
    '    Listener default/http ok',
    '      HTTPRoute default/broken problem',
    '        Service default/missing problem',
    '      HTTPRoute default/good ok',
    '        Service default/echo ok',
    '    HTTPRoute default/elsewhere problem',
  ]);
  const listener = tree.roots[0]?.children[0]?.children[0];
  assert.equal(listener?.port, 80);
  assert.equal(listener?.gateway, 'default/gw');
  const broken = listener?.children[0];
  assert.equal(broken?.route, 'HTTPRoute/default/broken');
  assert.match(broken?.reason ?? '', /^ResolvedRefs=False \(BackendNotFound\)/);
  assert.equal(broken?.apiPath, '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/broken');
  assert.equal(tree.roots[0]?.children[0]?.children[1]?.detail, 'not attached to any listener');
  // Ids are unique: the page finds the picked node again after an update by id.
  const ids = new Set<string>();
  const walk = (n: ViewNode): void => {
    assert.ok(!ids.has(n.id), `duplicate id ${n.id}`);
    ids.add(n.id);
    n.children.forEach(walk);
  };
  tree.roots.forEach(walk);
});

test('apiPathOf: the admin API path of each kind, namespaced or not; undefined for a kind it does not serve', () => {
  assert.equal(apiPathOf('GatewayClass', undefined, 'portico'), '/apis/gateway.networking.k8s.io/v1/gatewayclasses/portico');
  assert.equal(apiPathOf('Service', 'team a', 'x'), '/api/v1/namespaces/team%20a/services/x');
  assert.equal(apiPathOf('Backend', 'ns', 'b'), '/apis/gateway.portico.dev/v1alpha1/namespaces/ns/backends/b');
  assert.equal(apiPathOf('Bucket', 'ns', 'b'), undefined);
});

test('filterTree: nodes of the namespace and what leads to them stay; the rest goes', () => {
  const leaf = (kind: string, namespace: string, name: string): ViewNode => ({ id: `${kind}/${namespace}/${name}`, kind, namespace, name, health: 'ok', reason: '', children: [] });
  const tree: ViewTree = {
    version: 1,
    namespaces: ['a', 'b', 'infra'],
    roots: [
      {
        ...leaf('GatewayClass', '', 'portico'),
        namespace: undefined,
        children: [
          { ...leaf('Gateway', 'infra', 'shared'), children: [{ ...leaf('Listener', 'infra', 'http'), children: [leaf('HTTPRoute', 'a', 'ra'), leaf('HTTPRoute', 'b', 'rb')] }] },
          { ...leaf('Gateway', 'b', 'own'), children: [leaf('Listener', 'b', 'http')] },
        ],
      },
    ],
  };
  assert.deepEqual(flatten(filterTree(tree, 'a').roots), ['GatewayClass /portico ok', '  Gateway infra/shared ok', '    Listener infra/http ok', '      HTTPRoute a/ra ok']);
  assert.deepEqual(flatten(filterTree(tree, 'b').roots), [
    'GatewayClass /portico ok',
    '  Gateway infra/shared ok',
    '    Listener infra/http ok',
    '      HTTPRoute b/rb ok',
    '  Gateway b/own ok',
    '    Listener b/http ok',
  ]);
  assert.deepEqual(filterTree(tree, 'nowhere').roots, []);
  assert.deepEqual(filterTree(tree, 'a').namespaces, ['a', 'b', 'infra'], 'the namespaces to choose from stay');
});

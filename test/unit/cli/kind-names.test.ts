import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { KINDS } from '../../../src/api/kinds.js';
import { apiPath } from '../../../src/cli/commands/get.js';
import { kindNamesHelp, namesOf, resolveKind, SHORT_NAMES } from '../../../src/cli/kind-names.js';
import { projectRoot } from '../../e2e/support.js';

test('resolveKind: plural, singular, short and group-qualified names, in any case', () => {
  const cases: [string, string][] = [
    ['gc', 'GatewayClass'],
    ['gatewayclasses', 'GatewayClass'],
    ['gtw', 'Gateway'],
    ['gateway', 'Gateway'],
    ['Gateways', 'Gateway'],
    ['gateways.gateway.networking.k8s.io', 'Gateway'],
    ['httproute', 'HTTPRoute'],
    ['httproutes', 'HTTPRoute'],
    ['HTTPRoute', 'HTTPRoute'],
    ['grpcroutes', 'GRPCRoute'],
    ['tlsroute', 'TLSRoute'],
    ['tcproutes', 'TCPRoute'],
    ['udproute', 'UDPRoute'],
    ['referencegrants', 'ReferenceGrant'],
    ['refgrant', 'ReferenceGrant'],
    ['backendtlspolicies', 'BackendTLSPolicy'],
    ['btlspolicy', 'BackendTLSPolicy'],
    ['listenersets', 'ListenerSet'],
    ['lset', 'ListenerSet'],
    ['trafficpolicies', 'TrafficPolicy'],
    ['trafficpolicy.gateway.portico.dev', 'TrafficPolicy'],
    ['listenerpolicies', 'ListenerPolicy'],
    ['gatewayparameters', 'GatewayParameters'],
    ['svc', 'Service'],
    ['endpointslices', 'EndpointSlice'],
    ['endpointslices.discovery.k8s.io', 'EndpointSlice'],
    ['ns', 'Namespace'],
  ];
  for (const [name, kind] of cases) assert.equal(resolveKind(name)?.kind, kind, name);
  for (const name of ['pods', 'gateway.networking.k8s.io', 'gateways.gateway.portico.dev', 'route', '']) assert.equal(resolveKind(name), undefined, name);
});

test('kind names: no name means two kinds', () => {
  const owners = new Map<string, string[]>();
  for (const info of KINDS) for (const name of namesOf(info)) owners.set(name, [...(owners.get(name) ?? []), info.kind]);
  assert.deepEqual([...owners].filter(([, kinds]) => kinds.length > 1), []);
});

test('SHORT_NAMES: the same short names the shipped CRDs declare', () => {
  const declared: Record<string, string[]> = {};
  for (const dir of ['crds/standard', 'crds/experimental', 'crds/portico']) {
    for (const file of readdirSync(path.join(projectRoot, dir))) {
      for (const doc of parseAllDocuments(readFileSync(path.join(projectRoot, dir, file), 'utf8'))) {
        const crd = doc.toJS() as { spec?: { names?: { kind?: string; shortNames?: string[] } } } | null;
        const names = crd?.spec?.names;
        if (names?.kind && names.shortNames) declared[names.kind] = names.shortNames;
      }
    }
  }
  const ours = Object.fromEntries(
    KINDS.filter((k) => k.source !== 'core' && SHORT_NAMES[k.kind]).map((k) => [k.kind, [...(SHORT_NAMES[k.kind] ?? [])]]),
  );
  assert.deepEqual(ours, declared);
});

test('kindNamesHelp: one line per kind, plural first', () => {
  const lines = kindNamesHelp().split('\n');
  assert.equal(lines.length, KINDS.length);
  assert.match(lines.find((l) => l.includes('gateways ')) ?? '', /^ {2}gateways +gateway, gtw$/);
  assert.match(lines.find((l) => l.includes('gatewayparameters')) ?? '', /^ {2}gatewayparameters$/, 'no name repeated');
});

test('apiPath: the admin API paths of objects and lists', () => {
  const kind = (name: string) => {
    const info = resolveKind(name);
    assert.ok(info, name);
    return info;
  };
  assert.equal(apiPath(kind('gtw'), 'default', 'web'), 'apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/web');
  assert.equal(apiPath(kind('gtw'), 'team-a', undefined), 'apis/gateway.networking.k8s.io/v1/namespaces/team-a/gateways');
  assert.equal(apiPath(kind('gtw'), undefined, undefined), 'apis/gateway.networking.k8s.io/v1/gateways');
  assert.equal(apiPath(kind('gc'), undefined, 'portico'), 'apis/gateway.networking.k8s.io/v1/gatewayclasses/portico');
  assert.equal(apiPath(kind('trafficpolicies'), 'default', 'tp'), 'apis/gateway.portico.dev/v1alpha1/namespaces/default/trafficpolicies/tp');
  assert.equal(apiPath(kind('svc'), 'default', 'echo'), 'api/v1/namespaces/default/services/echo');
  assert.equal(apiPath(kind('ns'), undefined, 'default'), 'api/v1/namespaces/default');
  assert.equal(apiPath(kind('endpointslices'), 'default', undefined), 'apis/discovery.k8s.io/v1/namespaces/default/endpointslices');
});

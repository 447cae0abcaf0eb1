import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindInfo, type KindInfo } from '../../../src/api/kinds.js';
import type { KubeObject } from '../../../src/api/object.js';
import { age, formatDuration, renderTable } from '../../../src/cli/get-table.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW.getTime() - seconds * 1000).toISOString();
const info = (kind: string): KindInfo => {
  const found = kindInfo(kind);
  assert.ok(found, kind);
  return found;
};
const table = (kind: string, objects: KubeObject[], options: { wide?: boolean; allNamespaces?: boolean } = {}) =>
  renderTable(info(kind), objects, { wide: options.wide ?? false, allNamespaces: options.allNamespaces ?? false, now: NOW });
const cond = (type: string, status: string) => ({ type, status, reason: type, message: '', lastTransitionTime: NOW.toISOString() });

const gateway = (name: string, namespace: string, extra: { addresses?: string[]; programmed?: string; created?: string } = {}): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name, namespace, ...(extra.created ? { creationTimestamp: extra.created } : {}) },
  spec: {
    gatewayClassName: 'portico',
    listeners: [
      { name: 'http', protocol: 'HTTP', port: 8080 },
      { name: 'https', protocol: 'HTTPS', port: 8443 },
    ],
  },
  status: {
    addresses: (extra.addresses ?? []).map((value) => ({ type: 'IPAddress', value })),
    conditions: [cond('Accepted', 'True'), ...(extra.programmed ? [cond('Programmed', extra.programmed)] : [])],
    listeners: [
      { name: 'http', attachedRoutes: 2 },
      { name: 'https', attachedRoutes: 1 },
    ],
  },
});

test('renderTable: Gateways with CLASS, ADDRESS, PROGRAMMED and AGE, aligned three spaces apart, no trailing spaces', () => {
  const text = table('Gateway', [gateway('web', 'default', { addresses: ['127.0.10.166'], programmed: 'True', created: ago(90) }), gateway('internal-api', 'default', { programmed: 'False' })]);
  assert.equal(
    text,
    [
      'NAME           CLASS     ADDRESS        PROGRAMMED   AGE',
      'web            portico   127.0.10.166   True         90s',
      'internal-api   portico   <none>         False        <unknown>',
      '',
    ].join('\n'),
  );
});

test('renderTable: -A puts NAMESPACE first; -o wide adds ACCEPTED, LISTENERS and attached ROUTES after AGE', () => {
  const text = table('Gateway', [gateway('web', 'team-a', { addresses: ['10.0.0.1', '10.0.0.2'], created: ago(3 * 3600) })], { wide: true, allNamespaces: true });
  assert.equal(
    text,
    [
      'NAMESPACE   NAME   CLASS     ADDRESS             PROGRAMMED   AGE   ACCEPTED   LISTENERS                         ROUTES',
      'team-a      web    portico   10.0.0.1,10.0.0.2   <none>       3h    True       http:HTTP/8080,https:HTTPS/8443   3',
      '',
    ].join('\n'),
  );
});

test('renderTable: a cluster-scoped kind has no NAMESPACE column even with -A', () => {
  const gc: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'portico', creationTimestamp: ago(86400 * 3 + 3600 * 5) },
    spec: { controllerName: 'portico.dev/gateway-controller', description: 'the default' },
    status: { conditions: [cond('Accepted', 'True')] },
  };
  assert.equal(table('GatewayClass', [gc], { allNamespaces: true }), 'NAME      CONTROLLER                       ACCEPTED   AGE\nportico   portico.dev/gateway-controller   True       3d5h\n');
  assert.equal(
    table('GatewayClass', [gc], { wide: true }),
    'NAME      CONTROLLER                       ACCEPTED   AGE    DESCRIPTION\nportico   portico.dev/gateway-controller   True       3d5h   the default\n',
  );
});

test('renderTable: routes show HOSTNAMES (* for any) and PARENTS accepted out of parentRefs; wide adds RULES and PARENT REFS', () => {
  const route = (name: string, hostnames: string[] | undefined, accepted: string[]): KubeObject => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'default' },
    spec: {
      ...(hostnames ? { hostnames } : {}),
      parentRefs: [{ name: 'web' }, { name: 'shared', namespace: 'infra', sectionName: 'https' }],
      rules: [{}, {}, {}],
    },
    status: { parents: accepted.map((status) => ({ controllerName: 'portico.dev/gateway-controller', conditions: [cond('Accepted', status)] })) },
  });
  const routes = [route('echo', ['a.example.com', 'b.example.com'], ['True', 'True']), route('other', undefined, ['True', 'False'])];
  assert.equal(
    table('HTTPRoute', routes),
    ['NAME    HOSTNAMES                     PARENTS   AGE', 'echo    a.example.com,b.example.com   2/2       <unknown>', 'other   *                             1/2       <unknown>', ''].join('\n'),
  );
  assert.equal(
    table('HTTPRoute', routes.slice(0, 1), { wide: true }),
    [
      'NAME   HOSTNAMES                     PARENTS   AGE         RULES   PARENT REFS',
      'echo   a.example.com,b.example.com   2/2       <unknown>   3       web,infra/shared/https',
      '',
    ].join('\n'),
  );
});

test('renderTable: TCPRoutes have no HOSTNAMES column; a route no one has accepted yet is 0/N', () => {
  const tcp: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 'db', namespace: 'default' }, spec: { parentRefs: [{ name: 'web', port: 5432 }] } };
  assert.equal(table('TCPRoute', [tcp]), 'NAME   PARENTS   AGE\ndb     0/1       <unknown>\n');
});

test('renderTable: policies show ACCEPTED over their ancestors; wide adds TARGETS', () => {
  const policy = (name: string, ancestors: string[]): KubeObject => ({
    apiVersion: 'gateway.portico.dev/v1alpha1',
    kind: 'TrafficPolicy',
    metadata: { name, namespace: 'default' },
    spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'echo' }] },
    status: { ancestors: ancestors.map((status) => ({ controllerName: 'portico.dev/gateway-controller', conditions: [cond('Accepted', status)] })) },
  });
  assert.equal(
    table('TrafficPolicy', [policy('all', ['True', 'True']), policy('partly', ['True', 'False']), policy('none-yet', [])]),
    ['NAME       ACCEPTED   AGE', 'all        True       <unknown>', 'partly     False      <unknown>', 'none-yet   <none>     <unknown>', ''].join('\n'),
  );
  assert.equal(table('TrafficPolicy', [policy('all', ['True'])], { wide: true }), 'NAME   ACCEPTED   AGE         TARGETS\nall    True       <unknown>   HTTPRoute/echo\n');
});

test('renderTable: other kinds show NAME and AGE; no objects, no text', () => {
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo', namespace: 'default', creationTimestamp: ago(600) }, spec: {} };
  assert.equal(table('Service', [svc]), 'NAME   AGE\necho   10m\n');
  assert.equal(table('Service', [svc], { wide: true, allNamespaces: true }), 'NAMESPACE   NAME   AGE\ndefault     echo   10m\n');
  assert.equal(table('Gateway', []), '');
});

test('formatDuration: two units while the first is small, one after', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [-1, '0s'],
    [-5, '<invalid>'],
    [119, '119s'],
    [120, '2m'],
    [150, '2m30s'],
    [599, '9m59s'],
    [600, '10m'],
    [3 * 3600 - 1, '179m'],
    [3 * 3600, '3h'],
    [7 * 3600 + 59 * 60, '7h59m'],
    [8 * 3600 + 59 * 60, '8h'],
    [47 * 3600, '47h'],
    [48 * 3600, '2d'],
    [7 * 86400 + 23 * 3600, '7d23h'],
    [8 * 86400 + 23 * 3600, '8d'],
    [729 * 86400, '729d'],
    [730 * 86400, '2y'],
    [3 * 365 * 86400 + 10 * 86400, '3y10d'],
    [9 * 365 * 86400 + 10 * 86400, '9y'],
  ];
  for (const [seconds, text] of cases) assert.equal(formatDuration(seconds * 1000), text, String(seconds));
});

test('age: <unknown> without a creationTimestamp, <invalid> for one that is not a time', () => {
  assert.equal(age(undefined, NOW), '<unknown>');
  assert.equal(age('yesterday', NOW), '<invalid>');
  assert.equal(age(ago(45), NOW), '45s');
});

test('renderTable: ListenerSets show their PARENT Gateway and PROGRAMMED; wide adds ACCEPTED and LISTENERS', () => {
  const set: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'ListenerSet',
    metadata: { name: 'extra', namespace: 'default' },
    spec: { parentRef: { name: 'web' }, listeners: [{ name: 'more', protocol: 'HTTP', port: 9090 }] },
    status: { conditions: [cond('Accepted', 'True'), cond('Programmed', 'False')] },
  };
  assert.equal(table('ListenerSet', [set]), 'NAME    PARENT   PROGRAMMED   AGE\nextra   web      False        <unknown>\n');
  assert.equal(
    table('ListenerSet', [set], { wide: true }),
    'NAME    PARENT   PROGRAMMED   AGE         ACCEPTED   LISTENERS\nextra   web      False        <unknown>   True       more:HTTP/9090\n',
  );
});

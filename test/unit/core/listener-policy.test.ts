import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/object.js';
import type { ListenerPolicyObject } from '../../../src/api/policy-spec.js';
import { listenerPolicySettings } from '../../../src/graph/listener-policies.js';
import { condOf, gateway, gatewayClass, run, statusOf } from './builders.js';

function policy(name: string, spec: Record<string, unknown>, created = '2026-01-01T00:00:00Z', kind: 'ListenerPolicy' | 'HTTPListenerPolicy' = 'ListenerPolicy'): ListenerPolicyObject {
  return { apiVersion: 'gateway.portico.dev/v1alpha1', kind, metadata: { name, namespace: 'default', generation: 1, creationTimestamp: created }, spec };
}
const gw = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' };
const world = (...extra: KubeObject[]): KubeObject[] => [
  gatewayClass(),
  gateway('gw', [
    { name: 'http', port: 80, protocol: 'HTTP' },
    { name: 'admin', port: 9000, protocol: 'HTTP' },
  ]),
  ...extra,
];
const settingsOf = (t: ReturnType<typeof run>) => new Map(t.ir.gateways[0]?.ports.map((p) => [p.port, p.settings]));
const accepted = (t: ReturnType<typeof run>, kind: string, name: string) => {
  const c = condOf((statusOf(t, `${kind}/default/${name}`).ancestors as { conditions: unknown }[])[0]?.conditions, 'Accepted');
  return [c.status, c.reason, c.message];
};

test('listenerPolicySettings: Envoy names become port settings; what Portico lacks is refused by path', () => {
  const { defaults, perPort, problem } = listenerPolicySettings(
    policy('p', { default: { httpSettings: { xffNumTrustedHops: 2, skipXFFAppend: false, healthCheck: { path: '/healthz' }, generateRequestId: true, upgradeConfig: { enabledUpgrades: ['websocket'] } } }, perPort: [{ port: 80, listener: { proxyProtocol: {} } }] }),
  );
  assert.equal(problem, undefined);
  assert.deepEqual(defaults, { healthCheckPath: '/healthz', clientAddressFromXff: 2, appendXff: true, requestId: { preserveExternal: false } });
  assert.deepEqual(perPort.get(80), { proxyProtocol: true });
  assert.equal(listenerPolicySettings(policy('p', { default: { httpSettings: { useRemoteAddress: false } } })).defaults.clientAddressFromXff, 1, 'without the remote address, the last X-Forwarded-For entry');
  const refused = listenerPolicySettings(policy('p', { default: { httpSettings: { accessLog: [{}], upgradeConfig: { enabledUpgrades: ['CONNECT'] } }, perConnectionBufferLimitBytes: 1 } }));
  assert.match(refused.problem ?? '', /spec\.default\.perConnectionBufferLimitBytes is not supported/);
  assert.match(refused.problem ?? '', /spec\.default\.httpSettings\.accessLog\[0\] needs a fileSink/);
  assert.match(refused.problem ?? '', /"CONNECT" is not supported/);
  assert.deepEqual(listenerPolicySettings(policy('h', { healthCheck: { path: '/up' } }, undefined, 'HTTPListenerPolicy')).defaults, { healthCheckPath: '/up' }, 'HTTPListenerPolicy is the HTTP settings themselves');
});

test('ListenerPolicies merge per port and field: perPort over default, the oldest policy over newer ones', () => {
  const t = run(
    world(
      policy('base', { targetRefs: [gw], default: { httpSettings: { idleTimeout: '30s', healthCheck: { path: '/healthz' } } }, perPort: [{ port: 9000, listener: { httpSettings: { idleTimeout: '5s' } } }] }),
      policy('later', { targetRefs: [gw], default: { httpSettings: { idleTimeout: '1s', serverHeaderTransformation: 'Overwrite' } } }, '2026-01-02T00:00:00Z'),
      policy('admin-only', { targetRefs: [{ ...gw, sectionName: 'admin' }], default: { proxyProtocol: {} } }, '2026-01-03T00:00:00Z'),
      policy('shadowed', { targetRefs: [gw], default: { httpSettings: { healthCheck: { path: '/other' } } } }, '2026-01-04T00:00:00Z'),
    ),
  );
  const ports = settingsOf(t);
  assert.deepEqual(ports.get(80), { idleTimeout: '30s', healthCheckPath: '/healthz', serverHeader: 'Overwrite' });
  assert.deepEqual(ports.get(9000), { idleTimeout: '5s', healthCheckPath: '/healthz', serverHeader: 'Overwrite', proxyProtocol: true });
  assert.deepEqual(accepted(t, 'ListenerPolicy', 'later').slice(0, 2), ['True', 'Accepted']);
  assert.match(String(accepted(t, 'ListenerPolicy', 'later')[2]), /idleTimeout on port 80 of Gateway default\/gw is set by the older policy default\/base/);
  assert.deepEqual(accepted(t, 'ListenerPolicy', 'shadowed').slice(0, 2), ['False', 'Conflicted']);
});

test('a ListenerPolicy Portico cannot carry out applies nowhere; one without a target is TargetNotFound', () => {
  const t = run(world(policy('logs', { targetRefs: [gw], default: { httpSettings: { accessLog: [{ fileSink: { path: '/dev/stdout', stringFormat: '%RESPONSE_FLAGS%' } }], idleTimeout: '9s' } } }), policy('nowhere', { targetRefs: [{ ...gw, name: 'other' }], default: {} })));
  assert.equal(settingsOf(t).get(80), undefined);
  assert.deepEqual(accepted(t, 'ListenerPolicy', 'logs').slice(0, 2), ['False', 'Invalid']);
  assert.match(String(accepted(t, 'ListenerPolicy', 'logs')[2]), /it is not applied$/);
  assert.deepEqual(accepted(t, 'ListenerPolicy', 'nowhere').slice(0, 2), ['False', 'TargetNotFound']);
});

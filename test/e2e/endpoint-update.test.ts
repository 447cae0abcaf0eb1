// An endpoint change reaches HAProxy through the runtime API: traffic moves, and no reload happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import { silentLogger } from '../../src/log.js';
import { startPortico } from '../../src/runtime/app.js';
import { Validator } from '../../src/validation/index.js';
import { requestJson, startEcho } from '../support/echo-server.js';
import { tempDir, waitFor } from '../support/fs-wait.js';

const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;

const manifests = (port: number) => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: portico}
spec: {controllerName: portico.dev/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: portico
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: svc, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: default}
spec: {ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: svc-1, namespace: default, labels: {kubernetes.io/service-name: svc}}
addressType: IPv4
ports: [{name: http, port: ${port}}]
endpoints: [{addresses: [127.0.0.1]}]
`;

test('an EndpointSlice change is applied with the runtime API, without a reload', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const dir = tempDir(t);
  const a = await startEcho({ name: 'backend-a', namespace: 'default' });
  const b = await startEcho({ name: 'backend-b', namespace: 'default' });
  t.after(() => a.close());
  t.after(() => b.close());
  const file = path.join(dir, 'objects.yaml');
  writeFileSync(file, manifests(a.port));
  const dataPlane = new HaproxyDataPlane({ stateDir: path.join(dir, 'state'), logger: silentLogger() });
  const app = await startPortico({ paths: [dir], admin: { host: '127.0.0.1', port: 0 }, addressPool: '127.0.78.0/24', validator: new Validator(), logger: silentLogger(), dataPlane, debounceMs: 20 });
  t.after(() => app.close());
  await app.ready;
  const address = (app.runtime.statusOf('Gateway/default/gw') as { addresses: { value: string }[] }).addresses[0]?.value;
  assert.ok(address);
  const pod = async () => (await requestJson(`http://${address}:80/`, { timeoutMs: 2000 })).json?.pod;
  await waitFor('traffic to backend-a', async () => (await pod()) === 'backend-a', 5000);
  const reloads = dataPlane.counters.reloads;

  writeFileSync(file, manifests(b.port));
  await waitFor('traffic to backend-b', async () => (await pod()) === 'backend-b', 5000);
  assert.equal(dataPlane.counters.reloads, reloads, 'no reload for an endpoint change');
  assert.equal(dataPlane.counters.runtimeUpdates, 1);
});

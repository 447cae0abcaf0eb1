// The last line of defence: when HAProxy refuses a configuration for a value no per-rule check
// foresaw, the data plane finds the routes responsible (haproxy -c on candidate configurations),
// serves the Gateway without them, and reports them; a fresh start still serves the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import type { IR, IRGateway } from '../../src/ir/model.js';
import { silentLogger } from '../../src/log.js';
import { translate } from '../../src/pipeline/translate.js';
import { ResourceSet } from '../../src/store/resources.js';
import { endpointSlice, gateway, gatewayClass, httpRoute, service } from '../unit/core/builders.js';
import { requestJson, startEcho } from '../support/echo-server.js';
import { freePort } from '../support/free-port.js';
import { tempDir, waitFor } from '../support/fs-wait.js';
import { haproxyRuleProblem } from '../../src/haproxy/capabilities.js';

const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;

const redirect = (name: string, statusCode: number) =>
  httpRoute(name, { parentRefs: [{ name: 'gw' }], hostnames: [`${name}.example.com`], rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode } }] }] });

/** The IR as translated, then one redirect given a status code HAProxy refuses (the CRDs would not let it through). */
function irWith(port: number, echoPort: number, broken: string[]): IRGateway {
  const objects = [
    gatewayClass(),
    gateway('gw', [{ name: 'http', port, protocol: 'HTTP' }]),
    service('echo', [{ port: 80, targetPort: echoPort }]),
    endpointSlice('echo', ['127.0.0.1'], echoPort),
    httpRoute('good', { parentRefs: [{ name: 'gw' }], hostnames: ['good.example.com'], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] }),
    redirect('odd', 302),
    redirect('worse', 302),
  ];
  const ir: IR = translate(new ResourceSet(objects), { addressPool: '127.0.81.0/24', checkRule: haproxyRuleProblem }).ir;
  const gw = ir.gateways[0];
  assert.ok(gw);
  for (const p of gw.ports)
    for (const l of p.listeners)
      for (const v of l.virtualHosts)
        for (const r of v.rules) {
          if (!broken.includes(r.route.name)) continue;
          r.filters = r.filters.map((f) => (f.type === 'RequestRedirect' ? { ...f, statusCode: 999 } : f));
        }
  return gw;
}

test('routes HAProxy refuses are found, left out and reported; the Gateway serves the others', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const dir = tempDir(t);
  const echo = await startEcho({ name: 'backend', namespace: 'default' });
  t.after(() => echo.close());
  const port = await freePort();
  const dataPlane = new HaproxyDataPlane({ stateDir: path.join(dir, 'state'), logger: silentLogger() });
  t.after(() => dataPlane.close());

  const first = irWith(port, echo.port, ['odd', 'worse']);
  const state = (await dataPlane.apply({ gateways: [first] })).get('default/gw');
  assert.ok(state?.programmed, JSON.stringify(state));
  assert.deepEqual(Object.keys(state.refusedRoutes ?? {}).sort(), ['HTTPRoute/default/odd', 'HTTPRoute/default/worse']);
  assert.doesNotMatch(JSON.stringify(state), /999/, 'the status names no value');
  const address = first.addresses[0];
  const status = async (host: string) => (await requestJson(`http://${address}:${port}/`, { timeoutMs: 2000, headers: { host } })).status;
  await waitFor('the good route answering', async () => (await status('good.example.com')) === 200, 5000);
  assert.equal(await status('odd.example.com'), 404, 'a refused route is not served');

  // Unchanged, they stay left out without another search; fixed, a route is served again.
  const reloads = dataPlane.counters.reloads;
  const again = (await dataPlane.apply({ gateways: [irWith(port, echo.port, ['odd', 'worse'])] })).get('default/gw');
  assert.deepEqual(again, state);
  assert.equal(dataPlane.counters.reloads, reloads);
  const fixed = (await dataPlane.apply({ gateways: [irWith(port, echo.port, ['worse'])] })).get('default/gw');
  assert.ok(fixed?.programmed);
  assert.deepEqual(Object.keys(fixed.refusedRoutes ?? {}), ['HTTPRoute/default/worse']);
  await waitFor('the fixed route redirecting', async () => (await status('odd.example.com')) === 302, 5000);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainRoute, parseSampleRequest, requestMatches, routeRequest, type SampleRequest } from '../../../src/pipeline/explain.js';
import { endpointSlice, gateway, gatewayClass, httpRoute, run, service } from './builders.js';

const world = () =>
  run([
    gatewayClass(),
    gateway('gw', [
      { name: 'http', port: 80, protocol: 'HTTP' },
      { name: 'admin', port: 80, protocol: 'HTTP', hostname: 'admin.example.com' },
    ]),
    service('shop'),
    endpointSlice('shop', ['10.0.0.1']),
    service('api'),
    endpointSlice('api', ['10.0.0.2']),
    httpRoute('shop', { parentRefs: [{ name: 'gw', sectionName: 'http' }], hostnames: ['shop.example.com'], rules: [{ name: 'all', backendRefs: [{ name: 'shop', port: 80 }] }] }),
    httpRoute('api', { parentRefs: [{ name: 'gw', sectionName: 'http' }, { name: 'nowhere' }], hostnames: ['shop.example.com'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'x-v', value: '2' }] }], backendRefs: [{ name: 'api', port: 80 }, { name: 'gone', port: 80 }] }] }),
  ]);

const request = (text: string, headers: string[] = []): SampleRequest => {
  const r = parseSampleRequest(text, headers);
  assert.ok(typeof r !== 'string', String(r));
  return r;
};

test('parseSampleRequest: method, scheme, host, port, path and headers; bad input explained', () => {
  assert.deepEqual(request('POST https://Shop.example.com/cart?id=1', ['X-V: 2']), { method: 'POST', scheme: 'https', host: 'shop.example.com', port: 443, path: '/cart?id=1', headers: { 'x-v': '2' } });
  assert.equal(request('http://a:8080/').port, 8080);
  assert.equal(request('http://a/').method, 'GET');
  assert.match(String(parseSampleRequest('GET shop/cart')), /not a URL/);
  assert.match(String(parseSampleRequest('GET ftp://x/')), /only http and https/);
  assert.match(String(parseSampleRequest('GET http://x/', ['novalue'])), /not name:value/);
});

test('requestMatches: prefixes by segment, exact paths, methods, headers, query parameters', () => {
  const m = (path: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string }, extra = {}) => ({ path, headers: [], queryParams: [], ...extra });
  assert.equal(requestMatches(m({ type: 'PathPrefix', value: '/api' }), request('http://a/api/x')), true);
  assert.equal(requestMatches(m({ type: 'PathPrefix', value: '/api' }), request('http://a/apix')), false);
  assert.equal(requestMatches(m({ type: 'Exact', value: '/a' }), request('http://a/a?q=1')), true);
  assert.equal(requestMatches(m({ type: 'RegularExpression', value: '/items/[0-9]+' }), request('http://a/items/12')), true);
  assert.equal(requestMatches(m({ type: 'PathPrefix', value: '/' }, { method: 'POST' }), request('GET http://a/')), false);
  assert.equal(requestMatches(m({ type: 'PathPrefix', value: '/' }, { queryParams: [{ type: 'Exact', name: 'v', value: '2' }] }), request('http://a/?v=2')), true);
});

test('routeRequest: the listener and rule that answer, or why none does', () => {
  const gw = world().ir.gateways[0];
  assert.ok(gw);
  assert.equal(routeRequest(gw, request('http://shop.example.com/api/x', ['x-v:2'])).rule?.route, 'HTTPRoute default/api');
  assert.equal(routeRequest(gw, request('http://shop.example.com/api/x')).rule?.route, 'HTTPRoute default/shop', 'without the header the catch-all takes it');
  assert.match(routeRequest(gw, request('http://admin.example.com/')).none ?? '', /no route of listener admin takes host admin.example.com/);
  assert.match(routeRequest(gw, request('http://shop.example.com:81/')).none ?? '', /no listener on port 81/);
});

test('explainRoute: parents with verdicts and listeners, backends as resolved, rules that come first, the sample request', () => {
  const t = world();
  const api = explainRoute(t, 'HTTPRoute', 'default', 'api', request('http://shop.example.com/api/x'));
  assert.ok(api);
  assert.match(api, /\[0\] Gateway default\/gw sectionName http\n\s+Accepted=True Accepted/);
  assert.match(api, /attached to listener http \(port 80, HTTP\) for shop\.example\.com/);
  assert.match(api, /\[1\] Gateway default\/nowhere\n\s+not one of Portico's Gateways/);
  assert.match(api, /backendRef Service default\/api:80 weight 1: 1 endpoint \(10\.0\.0\.2:8080\)/);
  assert.match(api, /backendRef Service default\/gone:80 weight 1: BackendNotFound: Service default\/gone does not exist/);
  assert.match(api, /Gateway default\/gw listener http: HTTPRoute default\/shop rule all \(another route\)/);
  const shop = explainRoute(t, 'HTTPRoute', 'default', 'shop');
  assert.match(shop ?? '', /come first on the same hostnames[^\n]*\n\s+Gateway default\/gw listener http host shop\.example\.com: HTTPRoute default\/api rule 0 \(PathPrefix \/api, header x-v=2\)/);
  assert.equal(explainRoute(t, 'HTTPRoute', 'default', 'missing'), undefined);
});

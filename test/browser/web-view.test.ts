// The admin API's web view in a real browser (Debian's chromium through playwright-core), on a
// real `portico run`: the tree, its colours, the details of a node with the HAProxy section it
// became, the namespace filter, and a file edit showing up without a reload.
// UPDATE_SCREENSHOTS=1 writes the screenshots the docs show to docs/images/; otherwise they go
// to a temporary directory, so that ordinary runs leave the repository as it is.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { claimLoopbackPool } from '../support/loopback-pool.js';
import { projectRoot, startRun, tempDir, waitFor, type RunningProcess } from '../e2e/support.js';

const CHROMIUM = '/usr/bin/chromium';
const noBrowser = !existsSync(CHROMIUM) && `${CHROMIUM} is not installed (scripts/setup.sh installs Debian's chromium when run as root)`;
const noHaproxy = spawnSync('haproxy', ['-v']).status !== 0 && 'haproxy is not installed';
const TIMEOUT = 15_000;

const updateScreenshots = process.env.UPDATE_SCREENSHOTS === '1';

let browser: Browser | undefined;
after(() => browser?.close());

async function openPage(t: { after(fn: () => Promise<unknown>): void }, url: string): Promise<{ page: Page; errors: string[] }> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  t.after(() => context.close());
  const page = await context.newPage();
  // A Content-Security-Policy violation or a script error shows up here.
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    // Answers 404 are part of the page's work (an object that does not exist, no configuration).
    if (msg.type() === 'error' && !/status of 404/.test(msg.text())) errors.push(msg.text());
  });
  await page.goto(url);
  return { page, errors };
}

/** The tree node of an object: kind and "namespace/name" (a listener's name alone). */
function treeNode(page: Page, kind: string, name: string): Locator {
  return page.locator(`#tree button.node[data-kind="${kind}"]`).filter({ has: page.locator('span.name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

async function healthOf(node: Locator): Promise<string | null> {
  await node.waitFor({ timeout: TIMEOUT });
  return node.getAttribute('data-health');
}

/** Clicks a node and waits for its details: status, data plane part (or the note saying why none), object (or the note saying why none). */
async function pick(page: Page, node: Locator): Promise<{ status: string; dataPlane: string; object: string }> {
  await node.click();
  const id = (await node.getAttribute('data-id')) ?? '';
  const details = page.locator(`#details > div[data-id="${id.replace(/["\\]/g, '\\$&')}"]`);
  await details.waitFor({ timeout: TIMEOUT });
  const text = async (selector: string, fallback: string): Promise<string> => {
    const found = details.locator(selector);
    if ((await found.count()) > 0) return found.innerText();
    return (await details.locator(fallback).count()) > 0 ? details.locator(fallback).innerText() : '';
  };
  return { status: await text('pre.status', 'p.note.status'), dataPlane: await text('pre.haproxy', 'p.note.dataplane'), object: await text('pre.object', 'p.note.object') };
}

function screenshotDir(t: { after(fn: () => void): void }): string {
  return updateScreenshots ? path.join(projectRoot, 'docs', 'images') : tempDir(t, 'portico-screenshots-');
}

const route = (name: string, namespace: string, gateway: string, service: string): string => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  parentRefs: [{name: ${gateway}}]
  rules: [{matches: [{path: {type: PathPrefix, value: /${name}}}], backendRefs: [{name: ${service}, port: 80}]}]
`;

const service = (name: string, namespace: string): string => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec: {ports: [{name: http, port: 80, targetPort: 9000}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}-1, namespace: ${namespace}, labels: {kubernetes.io/service-name: ${name}}}
addressType: IPv4
ports: [{name: http, port: 9000}]
endpoints: [{addresses: [127.0.0.1]}]
`;

const gatewayYaml = (name: string, namespace: string, port: number): string => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  gatewayClassName: portico
  listeners: [{name: http, protocol: HTTP, port: ${port}}]
`;

/**
 * Two namespaces: default with Gateway web, a route to Service echo and one to a Service that
 * does not exist; shop with Gateway store and a route of its own.
 */
function writeFixture(dir: string): { defaultFile: string; shopFile: string } {
  writeFileSync(path.join(dir, 'class.yaml'), 'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: portico}\nspec: {controllerName: portico.dev/gateway-controller}\n');
  const defaultFile = path.join(dir, 'default.yaml');
  writeFileSync(defaultFile, [gatewayYaml('web', 'default', 8080), route('app', 'default', 'web', 'echo'), route('broken', 'default', 'web', 'missing'), service('echo', 'default')].join('---\n'));
  const shopFile = path.join(dir, 'shop.yaml');
  writeFileSync(shopFile, [gatewayYaml('store', 'shop', 8081), route('cart', 'shop', 'store', 'cart'), service('cart', 'shop')].join('---\n'));
  return { defaultFile, shopFile };
}

async function started(t: { after(fn: () => Promise<unknown>): void }, args: string[]): Promise<RunningProcess> {
  const portico = await startRun(args);
  t.after(() => portico.stop());
  await waitFor('readiness', async () => (await fetch(`${portico.url}/readyz`)).status === 200, TIMEOUT);
  return portico;
}

test('web view with HAProxy: tree and colours, details with the HAProxy sections, namespace filter, live edits', { skip: noBrowser || noHaproxy }, async (t) => {
  const dir = tempDir(t);
  const { defaultFile, shopFile } = writeFixture(dir);
  const loopback = claimLoopbackPool('browser-web-view');
  t.after(() => loopback.release());
  const portico = await started(t, ['-f', dir, '--data-plane', 'haproxy', '--address-pool', loopback.pool, '--state-dir', path.join(dir, 'state')]);
  await waitFor('both Gateways programmed', async () => {
    const res = await fetch(`${portico.url}/view/api/tree`);
    const text = await res.text();
    return (text.match(/"kind":"Gateway"[^{}]*"health":"ok"/g) ?? []).length === 2;
  }, TIMEOUT);
  const { page, errors } = await openPage(t, `${portico.url}/`);
  const shots = screenshotDir(t);

  // The tree, by name, with the colour of each node's conditions.
  assert.equal(await healthOf(treeNode(page, 'GatewayClass', 'portico')), 'ok');
  assert.equal(await healthOf(treeNode(page, 'Gateway', 'default/web')), 'ok');
  assert.equal(await healthOf(treeNode(page, 'Gateway', 'shop/store')), 'ok');
  assert.equal(await healthOf(treeNode(page, 'HTTPRoute', 'default/app')), 'ok');
  assert.equal(await healthOf(treeNode(page, 'Service', 'default/echo')), 'ok');
  const broken = treeNode(page, 'HTTPRoute', 'default/broken');
  assert.equal(await healthOf(broken), 'problem');
  assert.equal(await healthOf(treeNode(page, 'Service', 'default/missing')), 'problem');
  assert.match((await broken.getAttribute('title')) ?? '', /^problem: .*\nResolvedRefs=False \(BackendNotFound\): Service default\/missing does not exist/);
  assert.equal(await page.locator('#tree button.node[data-kind="Listener"]').count(), 2);
  // The colour is what the user sees, not only an attribute.
  type Styled = { getComputedStyle(e: unknown): { backgroundColor: string } };
  const dotColour = (node: Locator) => node.locator('span.dot').evaluate((e) => (globalThis as unknown as Styled).getComputedStyle(e).backgroundColor);
  assert.notEqual(await dotColour(broken), await dotColour(treeNode(page, 'HTTPRoute', 'default/app')));

  // Folding a Gateway hides what is under it, until it is unfolded.
  await page.getByRole('button', { name: 'hide what is under Gateway default/web' }).click();
  await treeNode(page, 'HTTPRoute', 'default/app').waitFor({ state: 'detached', timeout: TIMEOUT });
  assert.equal(await treeNode(page, 'HTTPRoute', 'shop/cart').count(), 1);
  await page.getByRole('button', { name: 'show what is under Gateway default/web' }).click();
  await treeNode(page, 'HTTPRoute', 'default/app').waitFor({ timeout: TIMEOUT });

  // The broken route: its status says why.
  const brokenDetails = await pick(page, broken);
  assert.match(brokenDetails.object, /"kind": "HTTPRoute"/);
  assert.match(brokenDetails.status, /"reason": "BackendNotFound"/);
  assert.match(brokenDetails.status, /"message": "Service default\/missing does not exist"/);
  await page.screenshot({ path: path.join(shots, 'web-view-problem.png') });

  // A Gateway: its whole haproxy.cfg, as running.
  const gateway = await pick(page, treeNode(page, 'Gateway', 'default/web'));
  assert.match(gateway.status, /"type": "Programmed",\n\s+"status": "True"/);
  assert.match(gateway.dataPlane, /^# Gateway default\/web, rendered by Portico/);
  assert.match(gateway.dataPlane, /\nfrontend p8080\n {2}bind 127\.\d+\.\d+\.\d+:8080/);
  await page.locator('#details pre.haproxy').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'web-view-gateway.png') });

  // A listener: the frontend of its port; a route: the backend named after it, and the map line to it.
  const listener = await pick(page, treeNode(page, 'Listener', 'http').first());
  assert.match(listener.object, /^\{\n\s+"name": "http",\n\s+"protocol": "HTTP"/);
  assert.match(listener.status, /"attachedRoutes": 2/);
  assert.match(listener.dataPlane, /^frontend p808[01]\n {2}bind /);
  const app = await pick(page, treeNode(page, 'HTTPRoute', 'default/app'));
  assert.match(app.dataPlane, /^backend (p8080_r[0-9a-z]+)\n {2}# HTTPRoute default\/app rule 0\n/);
  const backendName = /^backend (\S+)/.exec(app.dataPlane)?.[1] ?? '';
  assert.match(app.dataPlane, new RegExp(`# p8080\\.prefix\\.map\\n.*\\b${backendName}\\b`));
  await page.locator('#details pre.haproxy').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'web-view-route.png') });

  // An edit of a manifest shows without a reload: the broken route gets a Service that exists.
  await page.locator('#live[data-state="live"]').waitFor({ timeout: TIMEOUT });
  await page.evaluate('window.porticoNotReloaded = true');
  writeFileSync(defaultFile, readFileSync(defaultFile, 'utf8').replace('name: missing, port: 80', 'name: echo, port: 80'));
  await page.locator('#tree button.node[data-health="ok"][data-kind="HTTPRoute"]').filter({ hasText: 'default/broken' }).waitFor({ timeout: TIMEOUT });
  assert.equal(await treeNode(page, 'Service', 'default/missing').count(), 0);
  // The picked route stays picked, its details read again.
  assert.equal(await treeNode(page, 'HTTPRoute', 'default/app').getAttribute('aria-selected'), 'true');

  // The namespace filter: shop alone.
  await page.locator('#namespace').selectOption('shop');
  await treeNode(page, 'Gateway', 'default/web').waitFor({ state: 'detached', timeout: TIMEOUT });
  assert.equal(await treeNode(page, 'HTTPRoute', 'default/app').count(), 0);
  assert.equal(await healthOf(treeNode(page, 'Gateway', 'shop/store')), 'ok');
  assert.equal(await healthOf(treeNode(page, 'HTTPRoute', 'shop/cart')), 'ok');
  assert.match(page.url(), /\?namespace=shop$/);
  // A route added in the filtered namespace appears too, still without a reload.
  writeFileSync(shopFile, `${readFileSync(shopFile, 'utf8')}---\n${route('checkout', 'shop', 'store', 'cart')}`);
  assert.equal(await healthOf(treeNode(page, 'HTTPRoute', 'shop/checkout')), 'ok');
  assert.equal(await treeNode(page, 'Gateway', 'default/web').count(), 0);
  const checkout = await pick(page, treeNode(page, 'HTTPRoute', 'shop/checkout'));
  assert.match(checkout.dataPlane, /^backend p8081_r[0-9a-z]+\n {2}# HTTPRoute shop\/checkout rule 0\n/);
  await page.screenshot({ path: path.join(shots, 'web-view-namespace.png') });
  assert.equal(await page.evaluate('window.porticoNotReloaded'), true, 'the page was not reloaded');
  assert.deepEqual(errors, [], 'no script errors or Content-Security-Policy violations');
});

test('web view without a data plane: the tree and objects, and a plain word on why no HAProxy section is shown', { skip: noBrowser }, async (t) => {
  const dir = tempDir(t);
  writeFixture(dir);
  const portico = await started(t, ['-f', dir]);
  const { page, errors } = await openPage(t, `${portico.url}/?namespace=default`);
  assert.equal(await healthOf(treeNode(page, 'HTTPRoute', 'default/broken')), 'problem');
  assert.equal(await treeNode(page, 'Gateway', 'shop/store').count(), 0, 'the filter from the address is applied');
  assert.equal(await page.locator('#namespace').inputValue(), 'default');
  const gateway = await pick(page, treeNode(page, 'Gateway', 'default/web'));
  assert.match(gateway.object, /"name": "web"/);
  assert.match(gateway.dataPlane, /--data-plane none/);
  // A Service is shown by the admin API as it shows it; one that does not exist says so.
  const missing = await pick(page, treeNode(page, 'Service', 'default/missing'));
  assert.match(missing.object, /services "missing" not found/);
  assert.equal(missing.status, '');
  assert.match(missing.dataPlane, /^A backend has no section of its own/);
  assert.deepEqual(errors, []);
});

test('eight tabs of one browser all load and follow edits: one event stream between them, not one per tab', { skip: noBrowser }, async (t) => {
  const dir = tempDir(t);
  const { shopFile } = writeFixture(dir);
  const portico = await started(t, ['-f', dir]);
  browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true });
  // One context: its tabs share the browser's six connections to the address, and its locks.
  const context = await browser.newContext({ viewport: { width: 1024, height: 600 } });
  t.after(() => context.close());
  const pages: Page[] = [];
  for (let i = 0; i < 8; i++) {
    const page = await context.newPage();
    await page.goto(`${portico.url}/`, { timeout: TIMEOUT });
    await treeNode(page, 'Gateway', 'default/web').waitFor({ timeout: TIMEOUT });
    await page.evaluate('window.porticoNotReloaded = true');
    pages.push(page);
  }
  for (const page of pages) await page.locator('#live[data-state="live"]').waitFor({ timeout: TIMEOUT });
  writeFileSync(shopFile, `${readFileSync(shopFile, 'utf8')}---\n${route('checkout', 'shop', 'store', 'cart')}`);
  for (const [i, page] of pages.entries()) {
    await treeNode(page, 'HTTPRoute', 'shop/checkout').waitFor({ timeout: TIMEOUT });
    assert.equal(await page.evaluate('window.porticoNotReloaded'), true, `tab ${i + 1} was not reloaded`);
  }
  // The tab holding the stream closes: another takes it over, and edits still reach every tab.
  await pages.shift()?.close();
  writeFileSync(shopFile, `${readFileSync(shopFile, 'utf8')}---\n${route('returns', 'shop', 'store', 'cart')}`);
  for (const page of pages) await treeNode(page, 'HTTPRoute', 'shop/returns').waitFor({ timeout: TIMEOUT });
});

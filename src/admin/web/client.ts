/**
 * The web view's script, as the string /view/app.js serves (see page.ts for why a string). Plain
 * browser JavaScript with no dependency. Everything that comes from objects is put into the page
 * with textContent, never parsed as HTML: names and messages are other people's text. Written
 * without template literals, so that it can sit inside this one.
 */
export const CLIENT_JS = String.raw`'use strict';

const HEALTH_WORDS = {
  ok: 'ok: every condition is as it should be',
  problem: 'problem: a condition reports something wrong',
  neutral: 'pending or unknown: not decided yet, or nothing to judge by',
};

const state = {
  namespace: new URLSearchParams(location.search).get('namespace') || '',
  tree: null,
  etag: null,
  selected: null,
  /** Ids of the nodes whose children are folded away; kept across updates. */
  collapsed: new Set(),
  /** Count tree and detail loads, so that an answer to an older request is dropped. */
  treeTurn: 0,
  detailsTurn: 0,
};

const treeBox = document.getElementById('tree');
const detailsBox = document.getElementById('details');
const select = document.getElementById('namespace');
const live = document.getElementById('live');

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function qualified(node) {
  return node.namespace !== undefined && node.kind !== 'Listener' ? node.namespace + '/' + node.name : node.name;
}

function treeUrl() {
  return '/view/api/tree' + (state.namespace ? '?namespace=' + encodeURIComponent(state.namespace) : '');
}

async function loadTree() {
  const turn = ++state.treeTurn;
  const headers = state.etag ? { 'If-None-Match': state.etag } : {};
  const res = await fetch(treeUrl(), { headers: headers, cache: 'no-store' });
  if (turn !== state.treeTurn || res.status === 304) return;
  if (!res.ok) throw new Error('the tree could not be read: HTTP ' + res.status);
  const tree = await res.json();
  if (turn !== state.treeTurn) return;
  state.etag = res.headers.get('ETag');
  state.tree = tree;
  render();
}

/**
 * Reads the tree again, one request at a time: changes arriving during a read are folded into
 * one more read after it, so a burst of configurations costs the server a tree or two, not one each.
 */
let reading = null;
let readAgain = false;
function refresh() {
  if (reading) {
    readAgain = true;
    return;
  }
  reading = loadTree()
    .catch(showError)
    .finally(() => {
      reading = null;
      if (readAgain) {
        readAgain = false;
        refresh();
      }
    });
}

function findNode(nodes, id) {
  for (const n of nodes) {
    if (n.id === id) return n;
    const found = findNode(n.children, id);
    if (found) return found;
  }
  return null;
}

function renderNamespaces(namespaces) {
  const wanted = [''].concat(namespaces);
  if (state.namespace && wanted.indexOf(state.namespace) < 0) wanted.push(state.namespace);
  const have = Array.from(select.options).map((o) => o.value);
  if (have.join('\n') !== wanted.join('\n')) {
    select.replaceChildren();
    for (const ns of wanted) {
      const option = el('option', '', ns === '' ? 'all namespaces' : ns);
      option.value = ns;
      select.appendChild(option);
    }
  }
  select.value = state.namespace;
}

function renderNode(node) {
  const li = el('li');
  li.setAttribute('role', 'treeitem');
  const button = el('button', 'node ' + node.health);
  button.type = 'button';
  button.dataset.id = node.id;
  button.dataset.kind = node.kind;
  button.dataset.health = node.health;
  button.title = HEALTH_WORDS[node.health] + '\n' + node.reason;
  button.setAttribute('aria-selected', String(node.id === state.selected));
  button.append(el('span', 'dot ' + node.health), el('span', 'kind', node.kind), el('span', 'name', qualified(node)));
  if (node.detail) button.append(el('span', 'detail', node.detail));
  button.addEventListener('click', () => pick(node.id));
  const folded = state.collapsed.has(node.id);
  if (node.children.length > 0) {
    const toggle = el('button', 'toggle', folded ? '▸' : '▾');
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', String(!folded));
    toggle.setAttribute('aria-label', (folded ? 'show what is under ' : 'hide what is under ') + node.kind + ' ' + qualified(node));
    toggle.addEventListener('click', () => {
      if (folded) state.collapsed.delete(node.id);
      else state.collapsed.add(node.id);
      renderTree();
    });
    li.appendChild(toggle);
  } else {
    li.appendChild(el('span', 'toggle'));
  }
  li.appendChild(button);
  if (node.children.length > 0 && !folded) {
    const ul = el('ul');
    ul.setAttribute('role', 'group');
    for (const child of node.children) ul.appendChild(renderNode(child));
    li.appendChild(ul);
  }
  return li;
}

function renderTree() {
  const tree = state.tree;
  treeBox.dataset.version = String(tree.version);
  if (tree.roots.length === 0) {
    treeBox.replaceChildren(el('p', 'empty', state.namespace ? 'Nothing Portico serves is in namespace ' + state.namespace + '.' : 'No GatewayClass of Portico yet.'));
  } else {
    const ul = el('ul');
    ul.setAttribute('role', 'tree');
    for (const root of tree.roots) ul.appendChild(renderNode(root));
    treeBox.replaceChildren(ul);
  }
}

function render() {
  renderNamespaces(state.tree.namespaces);
  renderTree();
  if (state.selected) {
    const node = findNode(state.tree.roots, state.selected);
    if (node) void showDetails(node);
    else {
      state.selected = null;
      detailsBox.replaceChildren(el('p', 'empty', 'The object picked is gone, or hidden by the namespace filter.'));
    }
  }
}

function pick(id) {
  state.selected = id;
  for (const b of treeBox.querySelectorAll('.node')) b.setAttribute('aria-selected', String(b.dataset.id === id));
  const node = findNode(state.tree.roots, id);
  if (node) void showDetails(node);
}

async function getJson(url) {
  const res = await fetch(url, { cache: 'no-store' });
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  return { status: res.status, body: body };
}

/**
 * The object and its status apart, status first: what a node's colour comes from. A listener is
 * its entry in the spec and in the status of its Gateway or ListenerSet.
 */
function shown(node, obj) {
  if (node.kind === 'Listener') {
    const spec = ((obj.spec && obj.spec.listeners) || []).find((l) => l.name === node.name);
    const status = ((obj.status && obj.status.listeners) || []).find((l) => l.name === node.name);
    return { status: status, object: spec, of: obj.kind + ' ' + obj.metadata.namespace + '/' + obj.metadata.name };
  }
  const rest = Object.assign({}, obj);
  delete rest.status;
  return { status: obj.status, object: rest };
}

function dataPlanePart(node, config) {
  if (node.kind === 'Gateway') return { text: config.text, what: 'The whole ' + config.format + ' of this Gateway.' };
  if (node.kind === 'Listener') {
    const text = config.ports[String(node.port)];
    return text ? { text: text, what: 'The frontend of port ' + node.port + ', shared by every listener on that port.' } : { what: 'No frontend serves port ' + node.port + ' (the listener is not served, or its protocol is served by another process, e.g. UDP).' };
  }
  if (node.route) {
    const text = config.routes[node.route];
    return text
      ? { text: text, what: 'The backend sections named after this route, and the routing map lines that lead to them. A backend section shared with other routes is named after the first of them only.' }
      : { what: 'No section is named after this route: it sends nowhere of its own (a redirect or a fixed response), it shares its backends with an earlier route, or it is not served.' };
  }
  return { what: BACKEND_PART };
}

const BACKEND_PART = 'A backend has no section of its own: its servers are in the backend sections of the routes that send to it.';

async function showDetails(node) {
  const turn = ++state.detailsTurn;
  const [o, c] = await Promise.all([
    node.apiPath ? getJson(node.apiPath) : Promise.resolve(null),
    node.gateway ? getJson('/view/api/dataplane?gateway=' + encodeURIComponent(node.gateway)) : Promise.resolve(null),
  ]);
  if (turn !== state.detailsTurn) return;

  const parts = [el('h2', '', node.kind + ' ' + qualified(node))];
  parts.push(el('p', 'reason ' + node.health, HEALTH_WORDS[node.health]));
  parts.push(el('p', 'reason', node.reason));

  let object = null;
  if (!o) parts.push(el('h3', '', 'Object'), el('p', 'note object', 'The admin API serves no object for this node.'));
  else if (o.status !== 200) parts.push(el('h3', '', 'Object'), el('p', 'note object', (o.body && o.body.message) || 'not found (HTTP ' + o.status + ')'));
  else {
    object = shown(node, o.body);
    parts.push(el('h3', '', 'Status'));
    if (object.status === undefined) parts.push(el('p', 'note', 'No status: Portico does not own this object.'));
    else parts.push(el('pre', 'status', JSON.stringify(object.status, null, 2)));
  }

  parts.push(el('h3', '', 'Data plane configuration'));
  if (!c) parts.push(el('p', 'note dataplane', node.kind === 'GatewayClass' ? 'A GatewayClass has no configuration of its own; each of its Gateways has one.' : BACKEND_PART));
  else if (c.status !== 200) parts.push(el('p', 'note dataplane', (c.body && c.body.message) || 'unavailable (HTTP ' + c.status + ')'));
  else {
    const part = dataPlanePart(node, c.body);
    parts.push(el('p', 'note dataplane', part.what));
    if (part.text) parts.push(el('pre', 'haproxy', part.text));
  }

  if (object) {
    parts.push(el('h3', '', object.of ? 'Listener of ' + object.of : 'Object'));
    parts.push(el('pre', 'object', JSON.stringify(object.object, null, 2)));
  }
  const box = el('div');
  box.dataset.id = node.id;
  box.append.apply(box, parts);
  detailsBox.replaceChildren(box);
}

select.addEventListener('change', () => {
  state.namespace = select.value;
  state.etag = null;
  const url = new URL(location.href);
  if (state.namespace) url.searchParams.set('namespace', state.namespace);
  else url.searchParams.delete('namespace');
  history.replaceState(null, '', url);
  // A read under way is for the namespace before: its answer is dropped (treeTurn), and read again.
  state.treeTurn++;
  refresh();
});

function showError(err) {
  treeBox.replaceChildren(el('p', 'note', String(err && err.message ? err.message : err)));
}

function setLive(stateName, text) {
  live.dataset.state = stateName;
  live.textContent = text;
}

// A new configuration applied is announced on the event stream; the tree is then read again
// (answered 304 when the filtered tree did not change). The browser reconnects by itself, and
// the tree is read on each (re)connection, in case a change came while it was away.
//
// A browser opens at most six HTTP/1.1 connections to one address, and an event stream holds one
// for good: a stream per tab would leave the seventh tab nothing to load with. So one tab of the
// browser (the holder of a Web Lock) keeps the stream and passes what it hears to the others over
// a BroadcastChannel; when that tab closes, the lock goes to another, which opens the stream.
// Without these APIs (an address that is not a secure context) every tab has its own stream.
const NEWS = { open: 'open', applied: 'applied', lost: 'lost', ask: 'ask' };
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('portico-view-events') : null;
let streamState = null;

function hear(news) {
  if (news === NEWS.lost) {
    setLive('lost', 'reconnecting…');
    return;
  }
  setLive('live', 'live');
  refresh();
}

function openStream() {
  const events = new EventSource('/view/api/events');
  const pass = (news) => {
    streamState = news === NEWS.applied ? NEWS.open : news;
    hear(news);
    if (channel) channel.postMessage(news);
  };
  events.addEventListener('open', () => pass(NEWS.open));
  events.addEventListener('applied', () => pass(NEWS.applied));
  events.addEventListener('error', () => pass(NEWS.lost));
}

refresh();
if (channel && navigator.locks) {
  channel.addEventListener('message', (m) => {
    if (m.data === NEWS.ask) {
      if (streamState) channel.postMessage(streamState);
    } else if (streamState === null) {
      hear(m.data);
    }
  });
  // Held until the tab closes: the callback's promise never settles.
  navigator.locks.request('portico-view-events', () => new Promise(() => openStream()));
  channel.postMessage(NEWS.ask);
} else {
  openStream();
}
`;

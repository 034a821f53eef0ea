// The console's entry point: a hash router (#/zones, #/zones/<id>, #/zones/<id>/traffic, #/zones/<id>/logs,
// #/edge-nodes, #/audit) over small view modules. Hash routes keep the console a set of static files
// the control plane serves as they are, and carry only ids and filters, never the token.

import {onUnauthenticated} from './api.js';
import * as session from './session.js';
import {h, replace, errorBox} from './dom.js';
import {renderSignIn} from './views/sign-in.js';
import {renderZones} from './views/zones.js';
import {renderZone} from './views/zone.js';
import {renderTraffic} from './views/traffic.js';
import {renderLogs} from './views/logs.js';
import {renderEdgeNodes} from './views/edge-nodes.js';
import {renderAudit} from './views/audit.js';
import {renderTokens} from './views/tokens.js';
import {renderAccounts} from './views/accounts.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const sessionBox = document.getElementById('session');
const tokenStatus = document.getElementById('token-status');

let cleanup = null;
let verified = false;

const routes = [
  {pattern: /^\/zones\/([0-9a-zA-Z_-]+)$/, nav: 'zones', render: (m, p) => renderZone(m, p[1])},
  {pattern: /^\/zones\/([0-9a-zA-Z_-]+)\/traffic$/, nav: 'zones', render: (m, p, q) => renderTraffic(m, p[1], q)},
  {pattern: /^\/zones\/([0-9a-zA-Z_-]+)\/logs$/, nav: 'zones', render: (m, p) => renderLogs(m, p[1])},
  {pattern: /^\/zones$/, nav: 'zones', render: (m, p, q) => renderZones(m, q)},
  {pattern: /^\/edge-nodes$/, nav: 'edge-nodes', render: (m, p, q) => renderEdgeNodes(m, q)},
  {pattern: /^\/audit$/, nav: 'audit', render: (m, p, q) => renderAudit(m, q)},
  {pattern: /^\/tokens$/, nav: 'tokens', render: (m, p, q) => renderTokens(m, q)},
  {pattern: /^\/accounts$/, nav: 'accounts', render: (m, p, q) => renderAccounts(m, q)},
];

async function route() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const hash = location.hash.replace(/^#/, '') || '/zones';
  const [path, search = ''] = hash.split('?');
  const params = new URLSearchParams(search);

  if (!session.signedIn()) {
    showChrome(false);
    renderSignIn(main, () => {
      verified = true;
      const target = path === '/sign-in' ? '#/zones' : `#${hash}`;
      // Changing the hash routes (hashchange); an unchanged one must be routed here.
      if (location.hash === target) route();
      else location.hash = target;
    });
    return;
  }
  if (!verified) {
    try {
      await session.refresh();
      verified = true;
    } catch (e) {
      if (e.unauthenticated) {
        session.signOut();
        route();
      } else {
        replace(main, h('h1', {tabindex: '-1'}, 'Zoneplane'), errorBox(e.message));
      }
      return;
    }
  }
  showChrome(true);

  const match = routes.map((r) => ({r, m: path.match(r.pattern)})).find((x) => x.m);
  if (!match) {
    location.replace('#/zones');
    return;
  }
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.nav === match.r.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  cleanup = match.r.render(main, match.m, params) || null;
}

function showChrome(signedIn) {
  nav.hidden = !signedIn;
  sessionBox.hidden = !signedIn;
  const state = session.current();
  let status = '';
  if (signedIn && state) {
    status = session.canEditSettings() ? 'Token: can edit settings' : 'Token: read-only';
    if (state.status === 'unchecked') status = 'Token not checked: this control plane has no token authentication';
  }
  tokenStatus.textContent = status;
  // Pages only the operator can use (accounts, edge nodes) are offered to the operator only.
  for (const item of nav.querySelectorAll('[data-operator]')) item.hidden = !(signedIn && session.isOperator());
}

window.addEventListener('zoneplane:session', () => showChrome(session.signedIn()));

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  verified = false;
  location.hash = '#/sign-in';
});

onUnauthenticated(() => {
  session.signOut();
  verified = false;
  route();
});

window.addEventListener('hashchange', route);
route();

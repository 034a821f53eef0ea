import {h, replace, errorBox, loading, time} from '../dom.js';
import {api} from '../api.js';
import {go} from '../navigation.js';
import {pager} from './paging.js';

const REFRESH_MS = 5000;

/** The live data-plane nodes: version, address, applied revision, lag, last seen; refreshed every 5 s. */
export function renderEdgeNodes(main, params) {
  const page = Number(params.get('page')) || 1;
  const body = h('div', {id: 'edge-nodes'}, loading('edge nodes'));
  const updated = h('p', {class: 'meta updated', 'aria-live': 'off'});
  replace(main, h('h1', {tabindex: '-1'}, 'Edge nodes'),
      h('p', {class: 'section-help'}, 'Data-plane nodes connected to this control plane and the config revision each has applied.'),
      updated, body);

  let live = true;
  let timer = null;
  const load = () => api.edgeNodes({page, per_page: 50}).then(({result, info}) => {
    if (!live) return;
    show(body, nodesOf(result));
    if (info && info.total_pages > 1) body.append(pager(info, 'Edge node pages', (p) => go('/edge-nodes', {page: p})));
    replace(updated, 'Updated ', time(new Date().toISOString()));
  }).catch((e) => {
    if (live) replace(body, errorBox(e.forbidden ? 'This token may not list edge nodes.' : e.message));
  }).finally(() => {
    if (live) timer = setTimeout(load, REFRESH_MS);
  });
  load();
  return () => {
    live = false;
    clearTimeout(timer);
  };
}

function nodesOf(result) {
  if (Array.isArray(result)) return result;
  if (result && Array.isArray(result.nodes)) return result.nodes;
  return [];
}

function show(body, nodes) {
  if (nodes.length === 0) {
    replace(body, h('p', {class: 'empty'}, 'No edge node is connected.'));
    return;
  }
  replace(body, summary(nodes), h('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Edge nodes'},
      h('table', {class: 'table', id: 'edge-nodes-table'},
          h('thead', {}, h('tr', {}, ['Node', 'State', 'Version', 'Address', 'Applied revision', 'Lag', 'Last seen']
              .map((title) => h('th', {scope: 'col'}, title)))),
          h('tbody', {}, nodes.map((n) => h('tr', {dataset: {node: n.node_id ?? n.id ?? ''}},
              h('th', {scope: 'row'}, n.node_id ?? n.id ?? '—'),
              h('td', {}, state(n)),
              h('td', {}, n.version ?? '—'),
              h('td', {}, n.address ?? n.remote_address ?? '—'),
              h('td', {}, String(n.applied_revision ?? n.revision ?? '—')),
              h('td', {}, lag(n)),
              h('td', {}, time(n.last_seen ?? n.last_seen_on ?? n.last_seen_at))))))));
}

/** 'Live', 'Not reporting', or, for a node that could not apply some changes, which ones (its NACKs). */
function state(node) {
  const base = node.live === false ? 'Not reporting' : 'Live';
  const refused = Array.isArray(node.refused) ? node.refused : [];
  if (refused.length === 0) return base;
  const which = refused.map((r) => `revision ${r.revision}${r.zone_id ? ` (zone ${r.zone_id})` : ''}: ${r.reason}`).join('; ');
  return `${base}; refused ${refused.length} change${refused.length === 1 ? '' : 's'}: ${which}`;
}

function lag(node) {
  const value = node.lag ?? node.lag_revisions;
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') return value === 0 ? 'up to date' : `${value} behind`;
  return String(value);
}

/** "3 live nodes, 2 up to date with revision 41; the furthest behind is 5 revisions behind." */
function summary(nodes) {
  const live = nodes.filter((n) => n.live !== false);
  const lags = live.map((n) => n.lag ?? n.lag_revisions).filter((v) => typeof v === 'number');
  const latest = Math.max(...live.map((n) => Number(n.applied_revision ?? n.revision ?? 0)
      + Number(n.lag ?? n.lag_revisions ?? 0)), 0);
  const current = lags.filter((v) => v === 0).length;
  const worst = lags.length ? Math.max(...lags) : 0;
  let text = `${live.length} live node${live.length === 1 ? '' : 's'}; ${current} up to date with revision ${latest}`;
  text += worst > 0 ? `; the furthest behind is ${worst} revision${worst === 1 ? '' : 's'} behind.` : '.';
  return h('p', {id: 'edge-nodes-summary', class: 'edge-summary', dataset: {latest: String(latest), worst: String(worst)}}, text);
}

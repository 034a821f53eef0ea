import {h, replace, errorBox, loading, time} from '../dom.js';
import {api} from '../api.js';
import {go} from '../navigation.js';
import {loadCatalogue} from '../catalogue.js';
import * as session from '../session.js';
import {pager} from './paging.js';

const CHOICES = 50;

/**
 * An account's audit log, newest first, filtered by zone, setting and time window. The account is
 * chosen from those the token may see (an account token sees its own; the operator sees all).
 */
export function renderAudit(main, params) {
  const filters = {
    account_id: params.get('account_id') || '',
    zone_id: params.get('zone_id') || '',
    setting: params.get('setting') || '',
    since: params.get('since') || '',
    before: params.get('before') || '',
  };
  const page = Number(params.get('page')) || 1;

  const accountSelect = h('select', {id: 'audit-account', name: 'account_id'});
  const zoneSelect = h('select', {id: 'audit-zone', name: 'zone_id'}, h('option', {value: ''}, 'All zones'));
  // The setting choices come with the catalogue (below); until then the current filter stays selected.
  const settingSelect = h('select', {id: 'audit-setting', name: 'setting'}, h('option', {value: ''}, 'All settings'),
      filters.setting ? h('option', {value: filters.setting}, filters.setting) : null);
  settingSelect.value = filters.setting;
  const since = h('input', {id: 'audit-since', name: 'since', type: 'datetime-local', step: '1', value: toLocalInput(filters.since)});
  const before = h('input', {id: 'audit-before', name: 'before', type: 'datetime-local', step: '1', value: toLocalInput(filters.before)});
  const form = h('form', {class: 'filters', 'aria-label': 'Audit log filters'},
      field('audit-account', 'Account', accountSelect),
      field('audit-zone', 'Zone', zoneSelect),
      field('audit-setting', 'Setting', settingSelect),
      field('audit-since', 'From (your local time)', since),
      field('audit-before', 'Until (your local time)', before),
      h('div', {class: 'field actions'}, h('button', {type: 'submit', class: 'button primary', id: 'audit-apply'}, 'Apply filters')));
  const apply = (overrides = {}) => go('/audit', {account_id: accountSelect.value, zone_id: zoneSelect.value,
    setting: settingSelect.value, since: fromLocalInput(since.value), before: fromLocalInput(before.value), ...overrides});
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  // Another account has other zones: reload its zone choices at once, dropping the zone filter.
  accountSelect.addEventListener('change', () => apply({zone_id: ''}));

  const results = h('div', {id: 'audit-results'}, loading('audit log'));
  replace(main, h('h1', {tabindex: '-1'}, 'Audit log'), form, results);

  let live = true;
  const zoneNames = new Map();
  (async () => {
    let settingTitle = (id) => id;
    try {
      const catalogue = await loadCatalogue();
      settingTitle = (id) => catalogue.title(id);
      if (!live) return;
      replace(settingSelect, h('option', {value: ''}, 'All settings'),
          catalogue.settings.map((s) => h('option', {value: s.id}, s.title)));
      if (filters.setting && !catalogue.settings.some((s) => s.id === filters.setting)) {
        settingSelect.append(h('option', {value: filters.setting}, filters.setting));
      }
      settingSelect.value = filters.setting;
    } catch (e) {
      // Without the catalogue the filter offers the current choice and rows show setting ids: still usable.
    }
    let accounts = [];
    try {
      accounts = (await api.accounts({per_page: CHOICES})).result || [];
    } catch (e) {
      // Listing accounts may be refused; the token's own account (when known) still works.
    }
    if (!live) return;
    const accountId = filters.account_id || session.accountId() || (accounts[0] && accounts[0].id) || '';
    if (accountId && !accounts.some((a) => a.id === accountId)) accounts.unshift({id: accountId, name: accountId});
    replace(accountSelect, accounts.map((a) => h('option', {value: a.id}, a.name || a.id)));
    accountSelect.value = accountId;
    if (!accountId) {
      replace(results, errorBox('No account is visible to this token, so there is no audit log to show.'));
      return;
    }
    try {
      for (const zone of (await api.zones({'account.id': accountId, per_page: CHOICES})).result || []) {
        zoneNames.set(zone.id, zone.name);
        zoneSelect.append(h('option', {value: zone.id}, zone.name));
      }
    } catch (e) {
      // Without zone:read the filter keeps "All zones" and rows show zone ids: still usable.
    }
    if (!live) return;
    if (filters.zone_id && !zoneNames.has(filters.zone_id)) zoneSelect.append(h('option', {value: filters.zone_id}, filters.zone_id));
    zoneSelect.value = filters.zone_id;
    try {
      const {result, info} = await api.auditLogs(accountId,
          {zone_id: filters.zone_id, setting: filters.setting, since: filters.since, before: filters.before, page});
      if (!live) return;
      const entries = result || [];
      replace(results,
          entries.length === 0 ? h('p', {class: 'empty'}, 'No change matches these filters.')
            : table(entries, zoneNames, settingTitle),
          pager(info, 'Audit log pages', (p) => go('/audit', {...filters, account_id: accountId, page: p})));
    } catch (e) {
      if (live) {
        replace(results, errorBox(e.forbidden
            ? 'This token may not read the audit log (it needs the account:admin permission).' : e.message));
      }
    }
  })();
  return () => {
    live = false;
  };
}

function field(id, label, control) {
  return h('div', {class: 'field'}, h('label', {for: id}, label), control);
}

function table(entries, zoneNames, settingTitle) {
  return h('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Audit log entries'},
      h('table', {class: 'table', id: 'audit-table'},
          h('thead', {}, h('tr', {}, ['When', 'Zone', 'What', 'Change', 'By', 'Revision', 'Request']
              .map((title) => h('th', {scope: 'col'}, title)))),
          h('tbody', {}, entries.map((e) => {
            const zoneId = e.zone_id;
            const setting = e.setting_id;
            return h('tr', {dataset: {setting: setting || '', zone: zoneId || ''}},
                h('td', {}, time(e.when)),
                h('td', {}, zoneId ? (zoneNames.get(zoneId) || nameIn(e) || zoneId) : '—'),
                h('td', {}, setting ? settingTitle(setting) : actionText(e.action)),
                change(e),
                h('td', {}, actor(e.actor)),
                h('td', {}, e.revision === null || e.revision === undefined ? '—' : String(e.revision)),
                h('td', {class: 'mono'}, e.request_id || '—'));
          }))));
}

// A setting change reads "on → off". A zone or token event carries an object: each field that
// differs gets its own line ("plan: free → pro"); a creation lists what was set, a deletion what
// was removed. Nothing is cut off.
function change(e) {
  const before = e.old_value ?? null;
  const after = e.new_value ?? null;
  if (!isObject(before) && !isObject(after)) {
    return h('td', {class: 'change'}, `${valueText(before, 'default')} → ${valueText(after, 'default')}`);
  }
  const lines = diff(isObject(before) ? before : null, isObject(after) ? after : null);
  return h('td', {class: 'change'}, lines.length === 0 ? 'No field changed'
    : h('ul', {class: 'diff'}, lines.map(({field, from, to, kind}) => h('li', {dataset: {field}},
        h('span', {class: 'diff-field'}, `${field}: `),
        kind === 'added' ? h('ins', {}, valueText(to))
          : kind === 'removed' ? h('del', {}, valueText(from))
            : [h('del', {}, valueText(from)), ' → ', h('ins', {}, valueText(to))]))));
}

/** The fields of two objects that differ, in the order they appear; one side null: every field of the other. */
export function diff(before, after) {
  const fields = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])];
  const lines = [];
  for (const field of fields) {
    const from = before ? before[field] : undefined;
    const to = after ? after[field] : undefined;
    if (before && after && JSON.stringify(from) === JSON.stringify(to)) continue;
    lines.push({field, from, to, kind: !before ? 'added' : (!after ? 'removed' : 'changed')});
  }
  return lines;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// A deleted zone is no longer listed; its audit rows still carry its name.
function nameIn(e) {
  const named = [e.new_value, e.old_value].find((v) => isObject(v) && typeof v.name === 'string');
  return named ? named.name : null;
}

function actionText(action) {
  if (!action) return '—';
  const words = String(action).replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function actor(who) {
  if (!who) return '—';
  if (who.type === 'token') {
    // The API names the token (older control planes gave only its id); the id stays in the tooltip.
    return who.name ? h('span', {title: `Token ${who.id}`}, `Token “${who.name}”`) : `Token ${who.id}`;
  }
  if (who.type === 'operator') return 'Operator';
  if (who.type === 'system') return 'System';
  return who.type || '—';
}

function valueText(value, nothing = 'none') {
  if (value === null || value === undefined) return nothing;
  if (Array.isArray(value)) return value.length === 0 ? nothing : value.map((v) => valueText(v)).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

// <input type=datetime-local> speaks local wall time; the API speaks RFC 3339 UTC.
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function fromLocalInput(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

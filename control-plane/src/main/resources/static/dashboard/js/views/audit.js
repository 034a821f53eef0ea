import {h, replace, errorBox, loading, time} from '../dom.js';
import {api} from '../api.js';
import {go} from '../navigation.js';
import {SETTINGS, settingTitle} from '../catalogue.js';
import * as session from '../session.js';
import {pager} from './paging.js';

/** The account's audit log, newest first, filtered by zone, setting and time window. */
export function renderAudit(main, params) {
  const filters = {
    zone_id: params.get('zone_id') || '',
    setting: params.get('setting') || '',
    since: params.get('since') || '',
    before: params.get('before') || '',
  };
  const page = Number(params.get('page')) || 1;

  const zoneSelect = h('select', {id: 'audit-zone', name: 'zone_id'}, h('option', {value: ''}, 'All zones'));
  const settingSelect = h('select', {id: 'audit-setting', name: 'setting'}, h('option', {value: ''}, 'All settings'),
      SETTINGS.map((s) => h('option', {value: s.id}, s.title)));
  settingSelect.value = filters.setting;
  const since = h('input', {id: 'audit-since', name: 'since', type: 'datetime-local', step: '1', value: toLocalInput(filters.since)});
  const before = h('input', {id: 'audit-before', name: 'before', type: 'datetime-local', step: '1', value: toLocalInput(filters.before)});
  const form = h('form', {class: 'filters', 'aria-label': 'Audit log filters'},
      field('audit-zone', 'Zone', zoneSelect),
      field('audit-setting', 'Setting', settingSelect),
      field('audit-since', 'From (your local time)', since),
      field('audit-before', 'Until (your local time)', before),
      h('div', {class: 'field actions'}, h('button', {type: 'submit', class: 'button primary'}, 'Apply filters')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go('/audit', {zone_id: zoneSelect.value, setting: settingSelect.value,
      since: fromLocalInput(since.value), before: fromLocalInput(before.value)});
  });

  const results = h('div', {id: 'audit-results'}, loading('audit log'));
  replace(main, h('h1', {tabindex: '-1'}, 'Audit log'), form, results);

  let live = true;
  const zoneNames = new Map();
  api.zones({per_page: 50}).then(({result}) => {
    for (const zone of result || []) {
      zoneNames.set(zone.id, zone.name);
      if (zone.account) session.rememberAccount(zone.account.id);
      zoneSelect.append(h('option', {value: zone.id}, zone.name));
    }
  }).catch(() => {
    // Without zone:read the filter keeps "All zones" and rows show zone ids: still usable.
  }).finally(() => {
    if (!live) return;
    if (filters.zone_id && !zoneNames.has(filters.zone_id)) zoneSelect.append(h('option', {value: filters.zone_id}, filters.zone_id));
    zoneSelect.value = filters.zone_id;
    const accountId = session.accountId();
    if (!accountId) {
      replace(results, errorBox('The account of this token is not known (no zone is visible to it), so its audit log cannot be shown.'));
      return;
    }
    api.auditLogs(accountId, {...filters, page}).then(({result, info}) => {
      if (!live) return;
      const entries = result || [];
      replace(results,
          entries.length === 0 ? h('p', {class: 'empty'}, 'No change matches these filters.') : table(entries, zoneNames),
          pager(info, 'Audit log pages', (p) => go('/audit', {...filters, page: p})));
    }).catch((e) => {
      if (live) replace(results, errorBox(e.forbidden ? 'This token may not read the audit log.' : e.message));
    });
  });
  return () => {
    live = false;
  };
}

function field(id, label, control) {
  return h('div', {class: 'field'}, h('label', {for: id}, label), control);
}

function table(entries, zoneNames) {
  return h('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Audit log entries'},
      h('table', {class: 'table', id: 'audit-table'},
          h('thead', {}, h('tr', {}, ['When', 'Zone', 'Setting', 'Change', 'Token', 'Revision']
              .map((title) => h('th', {scope: 'col'}, title)))),
          h('tbody', {}, entries.map((e) => {
            const zoneId = e.zone_id ?? (e.zone && e.zone.id);
            const zoneName = (e.zone && e.zone.name) || zoneNames.get(zoneId) || zoneId || '—';
            const setting = e.setting ?? e.setting_id ?? '';
            return h('tr', {},
                h('td', {}, time(e.when ?? e.created_on ?? e.occurred_at)),
                h('td', {}, zoneName),
                h('td', {}, setting ? settingTitle(setting) : (e.action ?? '—')),
                h('td', {}, `${valueText(e.old_value)} → ${valueText(e.new_value)}`),
                h('td', {class: 'mono'}, e.token_id ?? (e.actor && e.actor.id) ?? '—'),
                h('td', {}, String(e.revision ?? '—')));
          }))));
}

function valueText(value) {
  if (value === null || value === undefined) return 'default';
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

import {h, replace, errorBox, loading} from '../dom.js';
import {api} from '../api.js';
import {go} from '../navigation.js';
import {pager} from './paging.js';
import * as session from '../session.js';

const PER_PAGE = 20;

/** The zones list: search by name, a table of zones, paging. Filters live in the hash. */
export function renderZones(main, params) {
  const name = params.get('name') || '';
  const page = Number(params.get('page')) || 1;

  const input = h('input', {id: 'zone-search', name: 'name', type: 'search', value: name, autocomplete: 'off',
    'aria-describedby': 'zone-search-help'});
  const form = h('form', {class: 'search', role: 'search'},
      h('label', {for: 'zone-search'}, 'Find a zone by name'),
      h('p', {id: 'zone-search-help', class: 'help'}, 'The full domain name, e.g. example.com. Empty lists every zone.'),
      h('div', {class: 'inline'}, input, h('button', {type: 'submit', class: 'button primary'}, 'Search')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go('/zones', {name: input.value.trim().toLowerCase()});
  });

  const results = h('div', {id: 'zones-results'}, loading('zones'));
  replace(main, h('h1', {tabindex: '-1'}, 'Zones'), form, results);

  let live = true;
  api.zones({name, page, per_page: PER_PAGE}).then(({result, info}) => {
    if (!live) return;
    const zones = result || [];
    if (zones.length > 0 && zones[0].account) session.rememberAccount(zones[0].account.id);
    if (zones.length === 0) {
      replace(results, h('p', {class: 'empty'}, name ? `No zone matches “${name}”.` : 'No zones yet.'),
          pager(info, 'Zones pages', (p) => go('/zones', {name, page: p})));
      return;
    }
    replace(results,
        h('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Zones'},
            h('table', {class: 'table', id: 'zones-table'},
                h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Zone'), h('th', {scope: 'col'}, 'Plan'),
                    h('th', {scope: 'col'}, 'Status'))),
                h('tbody', {}, zones.map((zone) => h('tr', {},
                    h('th', {scope: 'row'}, h('a', {href: `#/zones/${zone.id}`, class: 'zone-link'}, zone.name)),
                    h('td', {}, planName(zone)),
                    h('td', {}, zone.paused ? 'Paused' : (zone.status || 'active'))))))),
        pager(info, 'Zones pages', (p) => go('/zones', {name, page: p})));
  }).catch((e) => {
    if (live) replace(results, errorBox(e.forbidden ? 'This token may not list zones.' : e.message));
  });
  return () => {
    live = false;
  };
}

export function planName(zone) {
  const plan = zone.plan;
  if (!plan) return '—';
  if (typeof plan === 'string') return plan;
  return plan.name || plan.id || '—';
}

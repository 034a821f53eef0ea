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
  const deleted = params.get('deleted');
  replace(main, h('h1', {tabindex: '-1'}, 'Zones'),
      deleted ? h('p', {class: 'note', role: 'status', id: 'zones-notice'}, `Zone ${deleted} was deleted.`) : null,
      session.may('zone:edit') ? addZoneForm() : null,
      form, results);

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

const PLANS = [['free', 'Free'], ['pro', 'Pro'], ['business', 'Business'], ['enterprise', 'Enterprise']];

/**
 * "Add a zone": its name and account (the token's own, or any for the operator), and for the
 * operator its plan (a tenant's new zone starts on Free). On success the zone's page opens.
 */
function addZoneForm() {
  const name = h('input', {id: 'new-zone-name', name: 'name', type: 'text', autocomplete: 'off', spellcheck: 'false',
    required: true, 'aria-describedby': 'new-zone-help'});
  const account = h('select', {id: 'new-zone-account', name: 'account'});
  const plan = session.isOperator()
    ? h('select', {id: 'new-zone-plan', name: 'plan'}, PLANS.map(([id, label]) => h('option', {value: id}, label)))
    : null;
  const error = h('div', {id: 'new-zone-error'});
  const submit = h('button', {type: 'submit', class: 'button primary', id: 'new-zone-submit'}, 'Add zone');
  const form = h('form', {class: 'filters', id: 'new-zone', 'aria-label': 'Add a zone', novalidate: true},
      h('div', {class: 'field'}, h('label', {for: 'new-zone-name'}, 'Domain name'), name,
          h('p', {id: 'new-zone-help', class: 'help'}, 'e.g. example.com')),
      h('div', {class: 'field'}, h('label', {for: 'new-zone-account'}, 'Account'), account),
      plan ? h('div', {class: 'field'}, h('label', {for: 'new-zone-plan'}, 'Plan'), plan) : null,
      h('div', {class: 'field actions'}, submit),
      error);
  api.accounts({per_page: 50}).then(({result}) => {
    const accounts = result || [];
    replace(account, accounts.map((a) => h('option', {value: a.id}, a.name || a.id)));
    const own = session.accountId();
    if (own && accounts.some((a) => a.id === own)) account.value = own;
  }).catch((e) => replace(error, errorBox(`Accounts cannot be listed: ${e.message}`)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    const zoneName = name.value.trim();
    if (!zoneName) {
      replace(error, errorBox('Enter the zone’s domain name.'));
      name.focus();
      return;
    }
    const body = {name: zoneName, account: {id: account.value}};
    if (plan) body.plan = {id: plan.value};
    submit.disabled = true;
    try {
      const {result} = await api.createZone(body);
      go(`/zones/${result.id}`);
    } catch (e) {
      replace(error, errorBox(`Not added: ${e.message}`));
      submit.disabled = false;
      name.focus();
    }
  });
  return h('details', {class: 'add-zone', id: 'add-zone'}, h('summary', {class: 'button secondary'}, 'Add a zone'), form);
}

// An account's API tokens: the list (status, permissions, zone scope, last used), creating one
// (its secret is shown once, here, and never again: the API stores only its digest) and revoking.
// The operator picks any account; an account:admin token manages its own account's tokens.
import {h, replace, errorBox, loading, time, statusRegion, confirmAction, copyText} from '../dom.js';
import {api} from '../api.js';
import {go} from '../navigation.js';
import {pager} from './paging.js';
import * as session from '../session.js';

const CHOICES = 50;
const PERMISSIONS = [
  ['zone:read', 'Read zones'],
  ['zone:edit', 'Create, edit and delete zones'],
  ['zone_settings:read', 'Read zone settings'],
  ['zone_settings:edit', 'Change zone settings'],
  ['account:admin', 'Administer the account (tokens, audit log; account-wide only)'],
  ['analytics:read', 'Read traffic analytics (Traffic page, GraphQL Analytics API)'],
  ['logs:read', 'Read Logpush jobs and their delivery status'],
  ['logs:edit', 'Create, change and delete Logpush jobs'],
];

export function renderTokens(main, params) {
  const page = Number(params.get('page')) || 1;
  const accountSelect = h('select', {id: 'tokens-account'});
  const picker = h('form', {class: 'search', 'aria-label': 'Account'},
      h('label', {for: 'tokens-account'}, 'Account'), accountSelect);
  const secretBox = h('div', {id: 'token-secret-box'});
  const createBox = h('div', {});
  const results = h('div', {id: 'tokens-results'}, loading('API tokens'));
  const status = statusRegion({id: 'tokens-status', class: 'meta'});
  replace(main, h('h1', {tabindex: '-1'}, 'API tokens'), picker, secretBox, createBox, status, results);

  let live = true;
  let accountId = '';
  (async () => {
    let accounts = [];
    try {
      accounts = (await api.accounts({per_page: CHOICES})).result || [];
    } catch (e) {
      // the token's own account (when known) still works
    }
    if (!live) return;
    accountId = params.get('account_id') || session.accountId() || (accounts[0] && accounts[0].id) || '';
    if (accountId && !accounts.some((a) => a.id === accountId)) accounts.unshift({id: accountId, name: accountId});
    replace(accountSelect, accounts.map((a) => h('option', {value: a.id}, a.name || a.id)));
    accountSelect.value = accountId;
    accountSelect.addEventListener('change', () => go('/tokens', {account_id: accountSelect.value}));
    if (!accountId) {
      replace(results, errorBox('No account is visible to this token.'));
      return;
    }
    let zones = [];
    try {
      zones = (await api.zones({'account.id': accountId, per_page: CHOICES})).result || [];
    } catch (e) {
      // without zone:read a token can still be made account-wide
    }
    if (!live) return;
    replace(createBox, createForm(accountId, zones, (created) => {
      showSecret(secretBox, created);
      list();
    }));
    list();
  })();

  async function list() {
    try {
      const {result, info} = await api.tokens(accountId, {page, per_page: CHOICES});
      if (!live) return;
      const tokens = result || [];
      replace(results, tokens.length === 0 ? h('p', {class: 'empty'}, 'This account has no API tokens.')
        : table(tokens, revoke),
      pager(info, 'API token pages', (p) => go('/tokens', {account_id: accountId, page: p})));
    } catch (e) {
      if (live) {
        replace(results, errorBox(e.forbidden
          ? 'This token may not manage API tokens (it needs the account:admin permission).' : e.message));
      }
    }
  }

  async function revoke(token, button) {
    const confirmed = await confirmAction({id: 'revoke-token-dialog', title: `Revoke “${token.name}”?`,
      text: 'Every request with this token is refused from now on. This cannot be undone.', confirmLabel: 'Revoke token'});
    if (!confirmed) {
      button.focus();
      return;
    }
    try {
      await api.revokeToken(accountId, token.id);
      status.textContent = `Token “${token.name}” revoked.`;
      list();
    } catch (e) {
      status.textContent = `Not revoked: ${e.message}`;
    }
  }

  return () => {
    live = false;
  };
}

function table(tokens, revoke) {
  return h('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'API tokens'},
      h('table', {class: 'table', id: 'tokens-table'},
          h('thead', {}, h('tr', {}, ['Name', 'Status', 'Permissions', 'Zones', 'Created', 'Last used', 'Expires', 'Actions']
              .map((title) => h('th', {scope: 'col'}, title)))),
          h('tbody', {}, tokens.map((t) => {
            const button = t.status === 'revoked' ? null
              : h('button', {type: 'button', class: 'button secondary small', 'data-revoke': t.id,
                'aria-label': `Revoke ${t.name}`}, 'Revoke');
            if (button) button.addEventListener('click', () => revoke(t, button));
            return h('tr', {dataset: {token: t.id, status: t.status}},
                h('th', {scope: 'row'}, t.name),
                h('td', {}, statusText(t.status)),
                h('td', {}, (t.permissions || []).join(', ')),
                h('td', {}, t.zones ? `${t.zones.length} zone${t.zones.length === 1 ? '' : 's'}` : 'All zones'),
                h('td', {}, time(t.created_on)),
                h('td', {}, t.last_used_on ? time(t.last_used_on) : 'Never'),
                h('td', {}, t.expires_on ? time(t.expires_on) : 'Never'),
                h('td', {}, button || '—'));
          }))));
}

function statusText(status) {
  return status ? status.charAt(0).toUpperCase() + status.slice(1) : '—';
}

/** The create form: name, permissions, zone scope (all zones or chosen ones), optional expiry. */
function createForm(accountId, zones, onCreated) {
  const name = h('input', {id: 'new-token-name', type: 'text', autocomplete: 'off', maxlength: '120', required: true});
  const boxes = PERMISSIONS.map(([id, label]) => h('div', {class: 'check'},
      h('input', {type: 'checkbox', id: `perm-${id.replace(':', '-')}`, value: id, name: 'permission'}),
      h('label', {for: `perm-${id.replace(':', '-')}`}, `${label} (${id})`)));
  const allZones = h('input', {type: 'radio', id: 'scope-all', name: 'scope', value: 'all', checked: true});
  const someZones = h('input', {type: 'radio', id: 'scope-some', name: 'scope', value: 'some', disabled: zones.length === 0});
  const zoneBoxes = zones.map((z) => h('div', {class: 'check'},
      h('input', {type: 'checkbox', id: `scope-zone-${z.id}`, value: z.id, name: 'zone', disabled: true}),
      h('label', {for: `scope-zone-${z.id}`}, z.name)));
  const syncScope = () => zoneBoxes.forEach((box) => {
    box.querySelector('input').disabled = !someZones.checked;
  });
  allZones.addEventListener('change', syncScope);
  someZones.addEventListener('change', syncScope);
  const expires = h('input', {id: 'new-token-expires', type: 'datetime-local', step: '1'});
  const error = h('div', {id: 'new-token-error'});
  const submit = h('button', {type: 'submit', class: 'button primary', id: 'new-token-submit'}, 'Create token');
  const form = h('form', {id: 'new-token', class: 'token-form', 'aria-label': 'Create an API token', novalidate: true},
      h('div', {class: 'field'}, h('label', {for: 'new-token-name'}, 'Token name'), name),
      h('fieldset', {}, h('legend', {}, 'Permissions'), boxes),
      h('fieldset', {}, h('legend', {}, 'Zones'),
          h('div', {class: 'check'}, allZones, h('label', {for: 'scope-all'}, 'All zones of the account, now and future')),
          h('div', {class: 'check'}, someZones, h('label', {for: 'scope-some'}, 'Only these zones:')),
          h('div', {class: 'zone-choices'}, zoneBoxes)),
      h('div', {class: 'field'}, h('label', {for: 'new-token-expires'}, 'Expires (your local time; empty: never)'), expires),
      error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    const body = {name: name.value.trim(),
      permissions: boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value)};
    if (someZones.checked) {
      body.zones = zoneBoxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    }
    if (expires.value) body.expires_on = new Date(expires.value).toISOString();
    submit.disabled = true;
    try {
      const {result} = await api.createToken(accountId, body);
      form.reset();
      syncScope();
      onCreated(result);
    } catch (e) {
      // The API's own words: it names the field that is wrong.
      replace(error, errorBox(`Not created: ${e.message}`));
    } finally {
      submit.disabled = false;
    }
  });
  return h('details', {class: 'add-zone', id: 'create-token'},
      h('summary', {class: 'button secondary'}, 'Create a token'), form);
}

/** The new token's secret, shown once with a copy button; the page forgets it when left. */
function showSecret(box, created) {
  const value = h('input', {id: 'token-secret', type: 'text', readonly: true, value: created.value,
    'aria-describedby': 'token-secret-help', spellcheck: 'false', autocomplete: 'off'});
  const copied = h('span', {role: 'status', class: 'card-status', id: 'token-secret-status'});
  const copy = h('button', {type: 'button', class: 'button secondary', id: 'token-secret-copy'}, 'Copy');
  copy.addEventListener('click', async () => {
    copied.textContent = await copyText(value.value, () => value.select());
  });
  const heading = h('h2', {tabindex: '-1', id: 'token-secret-heading'}, `Token “${created.name}” created`);
  replace(box, h('section', {class: 'note secret', 'aria-labelledby': 'token-secret-heading'},
      heading,
      h('p', {id: 'token-secret-help'}, 'Copy it now: this is the only time it is shown. Only its digest is stored.'),
      h('div', {class: 'inline'}, value, copy, copied)));
  heading.focus();
}

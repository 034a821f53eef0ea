// The operator's accounts: every tenant account, newest paging as the API pages, and creating one.
// Each row links to the account's API tokens and audit log.
import {h, replace, errorBox, loading, time} from '../dom.js';
import {api} from '../api.js';
import {go} from '../navigation.js';
import {pager} from './paging.js';

const PER_PAGE = 20;

export function renderAccounts(main, params) {
  const page = Number(params.get('page')) || 1;
  const name = h('input', {id: 'new-account-name', type: 'text', autocomplete: 'off', maxlength: '200', required: true});
  const error = h('div', {id: 'new-account-error'});
  const submit = h('button', {type: 'submit', class: 'button primary', id: 'new-account-submit'}, 'Create account');
  const form = h('form', {class: 'search', id: 'new-account', 'aria-label': 'Create an account', novalidate: true},
      h('label', {for: 'new-account-name'}, 'New account name'),
      h('div', {class: 'inline'}, name, submit), error);
  const results = h('div', {id: 'accounts-results'}, loading('accounts'));
  replace(main, h('h1', {tabindex: '-1'}, 'Accounts'),
      h('p', {class: 'section-help'}, 'Operator only: each account owns its zones, API tokens and audit log.'),
      form, results);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    if (!name.value.trim()) {
      replace(error, errorBox('Enter the account’s name.'));
      name.focus();
      return;
    }
    submit.disabled = true;
    try {
      const {result} = await api.createAccount(name.value.trim());
      go('/accounts', {created: result.id, page: 1, t: Date.now()});
    } catch (e) {
      replace(error, errorBox(`Not created: ${e.message}`));
      submit.disabled = false;
    }
  });

  let live = true;
  api.accounts({page, per_page: PER_PAGE}).then(({result, info}) => {
    if (!live) return;
    const accounts = result || [];
    const created = params.get('created');
    replace(results,
        created ? h('p', {class: 'note', role: 'status', id: 'accounts-notice'}, 'Account created.') : null,
        accounts.length === 0 ? h('p', {class: 'empty'}, 'No accounts yet.')
          : h('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Accounts'},
              h('table', {class: 'table', id: 'accounts-table'},
                  h('thead', {}, h('tr', {}, ['Account', 'ID', 'Created', 'Manage']
                      .map((title) => h('th', {scope: 'col'}, title)))),
                  h('tbody', {}, accounts.map((a) => h('tr', {dataset: {account: a.id}},
                      h('th', {scope: 'row'}, a.name),
                      h('td', {class: 'mono'}, a.id),
                      h('td', {}, time(a.created_on)),
                      h('td', {}, h('a', {href: `#/tokens?account_id=${a.id}`, 'aria-label': `API tokens of ${a.name}`}, 'API tokens'),
                          ' · ', h('a', {href: `#/audit?account_id=${a.id}`, 'aria-label': `Audit log of ${a.name}`}, 'Audit log'))))))),
        pager(info, 'Accounts pages', (p) => go('/accounts', {page: p})));
  }).catch((e) => {
    if (live) replace(results, errorBox(e.forbidden ? 'This token may not list accounts.' : e.message));
  });
  return () => {
    live = false;
  };
}

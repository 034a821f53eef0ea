import {h, replace, errorBox} from '../dom.js';
import * as session from '../session.js';

/** The sign-in form: an API token, checked with GET /user/tokens/verify before it is kept. */
export function renderSignIn(main, onSignedIn) {
  const error = h('div', {id: 'sign-in-error'});
  const input = h('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, 'aria-describedby': 'token-help'});
  const button = h('button', {type: 'submit', class: 'button primary', id: 'sign-in'}, 'Sign in');
  const form = h('form', {class: 'sign-in', novalidate: true},
      h('h1', {tabindex: '-1'}, 'Sign in to Zoneplane'),
      h('label', {for: 'token'}, 'API token'),
      input,
      h('p', {id: 'token-help', class: 'help'},
          'Paste an API token. It is kept only in this browser tab and sent only to this control plane.'),
      error,
      button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      replace(error, errorBox('Enter an API token.'));
      input.focus();
      return;
    }
    button.disabled = true;
    replace(error);
    try {
      await session.signIn(token);
      input.value = '';
      onSignedIn();
    } catch (e) {
      replace(error, errorBox(e.unauthenticated ? 'This token is not valid (unknown, expired or revoked).' : e.message));
      button.disabled = false;
      input.focus();
    }
  });
  replace(main, form);
  input.focus();
}

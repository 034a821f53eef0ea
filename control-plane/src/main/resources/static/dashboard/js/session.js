// What the signed-in token may do. The verify endpoint may list the token's permissions; when it
// does not, the console assumes it may and learns otherwise from the first 403 (cards then turn
// read-only), so a console never offers what the API will refuse twice.

import {api, setToken, clearToken, hasToken} from './api.js';

export const PERMISSIONS = ['zone:read', 'zone:edit', 'zone_settings:read', 'zone_settings:edit', 'account:admin',
  'analytics:read', 'logs:read', 'logs:edit'];

// An edit permission includes reading the same thing, as the API's Permission.covers says.
const COVERED_BY = {'zone:read': 'zone:edit', 'zone_settings:read': 'zone_settings:edit', 'logs:read': 'logs:edit'};

const NO_ROUTE = 7000;

let state = null;

/** Verifies the token with the API and keeps it for this tab only when the API accepts it. */
export async function signIn(token) {
  setToken(token);
  try {
    await refresh();
  } catch (e) {
    signOut();
    throw e;
  }
  return state;
}

/**
 * Re-reads the token's status (after a reload the token is still in sessionStorage). A control
 * plane without token authentication (no verify route: 404 code 7000) serves everyone as the
 * operator, so the console carries on and says the token was not checked.
 */
export async function refresh() {
  try {
    const {result} = await api.verifyToken();
    state = fromVerify(result || {});
  } catch (e) {
    if (e.status !== 404 || e.code !== NO_ROUTE) throw e;
    state = {...fromVerify({}), status: 'unchecked'};
  }
  return state;
}

export function signOut() {
  clearToken();
  state = null;
}

export function signedIn() {
  return hasToken();
}

export function current() {
  return state;
}

/** Whether the token may change zone settings: false once known not to, true until then. */
export function canEditSettings() {
  if (!state) return false;
  if (state.settingsEditRefused) return false;
  if (state.permissions === null) return true;
  return state.permissions.includes('zone_settings:edit');
}

/**
 * Whether the token holds a permission, or the edit permission that includes it (true while the
 * API has not said: it then decides).
 */
export function may(permission) {
  if (!state) return false;
  if (state.permissions === null) return true;
  return state.permissions.includes(permission) || state.permissions.includes(COVERED_BY[permission]);
}

/** The control plane's operator (bootstrap token): accounts, plans and edge nodes are theirs alone. */
export function isOperator() {
  return Boolean(state) && (state.id === 'operator' || state.status === 'unchecked');
}

/** Called when the API answered a settings change with a permission 403. */
export function settingsEditRefused() {
  if (state) state.settingsEditRefused = true;
}

/** The account the token belongs to, when the API says (needed for the audit log). */
export function accountId() {
  return state ? state.accountId : null;
}

export function rememberAccount(id) {
  if (state && !state.accountId && id) state.accountId = id;
}

function fromVerify(result) {
  return {
    id: result.id || null,
    status: result.status || 'active',
    expiresOn: result.expires_on || null,
    permissions: permissionsOf(result),
    accountId: accountOf(result),
    settingsEditRefused: false,
  };
}

// Accepts a plain list ("permissions": ["zone:read", …]) or Cloudflare-like policies whose
// permission groups name the permission; null when the answer says nothing about permissions.
function permissionsOf(result) {
  if (Array.isArray(result.permissions)) {
    return result.permissions.map((p) => (typeof p === 'string' ? p : p && (p.id || p.name))).filter(Boolean);
  }
  if (Array.isArray(result.policies)) {
    const names = [];
    for (const policy of result.policies) {
      for (const group of policy.permission_groups || policy.permissions || []) {
        const name = typeof group === 'string' ? group : group && (group.name || group.id);
        if (name) names.push(name);
      }
    }
    return names;
  }
  return null;
}

function accountOf(result) {
  if (result.account && result.account.id) return result.account.id;
  if (result.account_id) return result.account_id;
  return null;
}

// The console's only way to the control plane. The API token lives in sessionStorage (gone when the
// tab closes) and in memory; it is sent only as an Authorization header, never put in a URL, and
// never written to the console.

const TOKEN_KEY = 'zoneplane.dashboard.token';

// The API is served by the same control plane, one level above /dashboard/ (works behind a path
// prefix too).
const API_BASE = new URL('../', document.baseURI).pathname.replace(/\/$/, '');

let token = sessionStorage.getItem(TOKEN_KEY);

/** The absolute URL of an API path on this control plane (for commands shown to the user). */
export function apiUrl(path) {
  return `${location.origin}${API_BASE}${path}`;
}

export function hasToken() {
  return Boolean(token);
}

export function setToken(value) {
  token = value;
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function clearToken() {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
}

/** A refused or failed call: HTTP status, the envelope's first error code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }

  /**
   * The token is missing or malformed (400 with Cloudflare's 9106 / 6003) or unknown, expired or
   * revoked (401).
   */
  get unauthenticated() {
    return this.status === 401 || (this.status === 400 && CREDENTIAL_ERRORS.has(this.code));
  }

  /** 403 because the token lacks a permission (1057 is the plan refusing a setting instead). */
  get forbidden() {
    return this.status === 403 && this.code !== SETTING_NOT_EDITABLE;
  }
}

// Cloudflare's code for a setting the zone's plan does not let it change (a 403 that is not about the token).
const SETTING_NOT_EDITABLE = 1057;
// Cloudflare's 400s about credentials: 9106 none sent, 6003 the Authorization header is malformed.
const CREDENTIAL_ERRORS = new Set([9106, 6003]);

/** Listeners told when any call is refused for its credentials (the app then returns to sign-in). */
const unauthenticatedListeners = new Set();
export function onUnauthenticated(listener) {
  unauthenticatedListeners.add(listener);
}

/**
 * Calls the API and unwraps the Cloudflare envelope: resolves to {result, info, headers}, or
 * rejects with an ApiError carrying the envelope's first error message.
 */
export async function call(method, path, body, {notifyUnauthenticated = true} = {}) {
  const headers = {Accept: 'application/json'};
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = {method, headers, cache: 'no-store', credentials: 'omit'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(API_BASE + path, init);
  } catch (e) {
    throw new ApiError(0, null, 'The control plane cannot be reached. Check your connection and try again.');
  }
  let envelope = null;
  try {
    envelope = await response.json();
  } catch (e) {
    envelope = null;
  }
  if (!response.ok || !envelope || envelope.success === false) throw refusal(response, envelope, notifyUnauthenticated);
  return {result: envelope.result, info: envelope.result_info || null, headers: response.headers};
}

/** The ApiError for a refused call, carrying the envelope's first error; tells the listeners when it is about credentials. */
function refusal(response, envelope, notifyUnauthenticated) {
  const first = envelope && Array.isArray(envelope.errors) ? envelope.errors[0] : null;
  const error = new ApiError(response.status, first ? first.code : null,
      first && first.message ? first.message : `The control plane answered HTTP ${response.status}.`);
  if (error.unauthenticated && notifyUnauthenticated) {
    unauthenticatedListeners.forEach((listener) => listener(error));
  }
  return error;
}

/**
 * Posts a query to the GraphQL Analytics API (/client/v4/graphql). Resolves to its {data, errors}
 * answer as GraphQL gives it (a permission refusal is an error in it, not an HTTP status); rejects
 * with an ApiError only when the call itself is refused (credentials) or fails.
 */
export async function graphql(queryText, variables) {
  const headers = {Accept: 'application/json', 'Content-Type': 'application/json'};
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  let answer = null;
  try {
    response = await fetch(`${API_BASE}/graphql`, {method: 'POST', headers, cache: 'no-store', credentials: 'omit',
      body: JSON.stringify({query: queryText, variables})});
    answer = await response.json();
  } catch (e) {
    if (!response) throw new ApiError(0, null, 'The control plane cannot be reached. Check your connection and try again.');
  }
  if (response.ok && answer && ('data' in answer || 'errors' in answer)) return answer;
  throw refusal(response, answer, true);
}

/** Builds a query string from the non-empty entries of params. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  verifyToken: () => call('GET', '/user/tokens/verify', undefined, {notifyUnauthenticated: false}),
  zones: (params) => call('GET', `/zones${query(params)}`),
  zone: (id) => call('GET', `/zones/${encodeURIComponent(id)}`),
  catalogue: () => call('GET', '/zone_settings'),
  settings: (id) => call('GET', `/zones/${encodeURIComponent(id)}/settings`),
  setting: (zoneId, settingId) =>
    call('GET', `/zones/${encodeURIComponent(zoneId)}/settings/${encodeURIComponent(settingId)}`),
  patchSetting: (zoneId, settingId, value) =>
    call('PATCH', `/zones/${encodeURIComponent(zoneId)}/settings/${encodeURIComponent(settingId)}`, {value}),
  propagation: (id) => call('GET', `/zones/${encodeURIComponent(id)}/propagation`),
  accounts: (params) => call('GET', `/accounts${query(params)}`),
  createAccount: (name) => call('POST', '/accounts', {name}),
  createZone: (body) => call('POST', '/zones', body),
  editZone: (id, body) => call('PATCH', `/zones/${encodeURIComponent(id)}`, body),
  deleteZone: (id) => call('DELETE', `/zones/${encodeURIComponent(id)}`),
  tokens: (accountId, params) => call('GET', `/accounts/${encodeURIComponent(accountId)}/tokens${query(params)}`),
  createToken: (accountId, body) => call('POST', `/accounts/${encodeURIComponent(accountId)}/tokens`, body),
  revokeToken: (accountId, tokenId) =>
    call('DELETE', `/accounts/${encodeURIComponent(accountId)}/tokens/${encodeURIComponent(tokenId)}`),
  edgeNodes: (params) => call('GET', `/edge_nodes${query(params)}`),
  auditLogs: (accountId, params) => call('GET', `/accounts/${encodeURIComponent(accountId)}/audit_logs${query(params)}`),
  logpushJobs: (zoneId) => call('GET', `${logpush(zoneId)}/jobs`),
  createLogpushJob: (zoneId, body) => call('POST', `${logpush(zoneId)}/jobs`, body),
  updateLogpushJob: (zoneId, jobId, body) => call('PUT', `${logpush(zoneId)}/jobs/${encodeURIComponent(jobId)}`, body),
  deleteLogpushJob: (zoneId, jobId) => call('DELETE', `${logpush(zoneId)}/jobs/${encodeURIComponent(jobId)}`),
  logpushFields: (zoneId) => call('GET', `${logpush(zoneId)}/datasets/http_requests/fields`),
  validateLogpushDestination: (zoneId, destination) =>
    call('POST', `${logpush(zoneId)}/validate/destination`, {destination_conf: destination}),
};

function logpush(zoneId) {
  return `/zones/${encodeURIComponent(zoneId)}/logpush`;
}

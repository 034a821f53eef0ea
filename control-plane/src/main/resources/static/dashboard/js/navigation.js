// Navigation helpers shared by the views (kept apart from app.js so views do not import the entry
// point that imports them).

/** Navigates to a route with its filters in the hash (never anything secret). */
export function go(path, params) {
  const entries = Object.entries(params || {}).filter(([, v]) => v !== '' && v !== null && v !== undefined);
  const search = new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
  location.hash = `#${path}${search ? `?${search}` : ''}`;
}

/** Tells the page chrome that what the token may do changed (a 403 made it read-only). */
export function sessionChanged() {
  window.dispatchEvent(new CustomEvent('zoneplane:session'));
}

// Tiny DOM helpers. Everything the API returns is inserted as text (never as HTML), so a zone name
// or an error message cannot inject markup.

/** Creates an element: h('a', {href: '#/x', class: 'c', onclick: fn}, 'text', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = value;
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      append(el, child);
    } else {
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'medium'});

/** A <time> element for an RFC 3339 timestamp, shown in the browser's locale and time zone. */
export function time(iso) {
  if (!iso) return h('span', {}, '—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h('span', {}, iso);
  return h('time', {datetime: iso, title: iso}, DATE_TIME.format(date));
}

/** A polite status message region (screen readers announce its changes). */
export function statusRegion(attrs = {}) {
  return h('p', {role: 'status', 'aria-live': 'polite', ...attrs});
}

/** An error box; role=alert makes screen readers announce it at once. */
export function errorBox(message, attrs = {}) {
  return h('div', {class: 'error', role: 'alert', ...attrs}, message);
}

export function loading(what) {
  return h('p', {class: 'loading', role: 'status'}, `Loading ${what}…`);
}

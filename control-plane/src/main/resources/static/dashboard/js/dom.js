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

/**
 * Asks before something that cannot be undone, in a modal <dialog> (focus is kept inside it and
 * Escape cancels). With typeToConfirm the confirm button stays disabled until that text is typed.
 * Resolves to true when confirmed.
 */
export function confirmAction({id, title, text, confirmLabel, typeToConfirm = null}) {
  return new Promise((resolve) => {
    const titleId = `${id}-title`;
    const input = typeToConfirm === null ? null
      : h('input', {id: `${id}-input`, type: 'text', autocomplete: 'off', spellcheck: 'false'});
    const confirm = h('button', {type: 'button', class: 'button danger', id: `${id}-confirm`, disabled: input !== null},
        confirmLabel);
    const cancel = h('button', {type: 'button', class: 'button secondary', id: `${id}-cancel`}, 'Cancel');
    const dialog = h('dialog', {id, class: 'dialog', 'aria-labelledby': titleId},
        h('h2', {id: titleId}, title),
        h('p', {}, text),
        input ? h('label', {for: input.id}, `Type ${typeToConfirm} to confirm`) : null,
        input,
        h('div', {class: 'inline actions'}, confirm, cancel));
    if (input) input.addEventListener('input', () => {
      confirm.disabled = input.value.trim() !== typeToConfirm;
    });
    let answered = false;
    const close = (value) => {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    confirm.addEventListener('click', () => close(true));
    cancel.addEventListener('click', () => close(false));
    dialog.addEventListener('close', () => close(false));
    document.body.append(dialog);
    dialog.showModal();
    (input || cancel).focus();
  });
}

import {h, replace, errorBox, loading, time} from '../dom.js';
import {api} from '../api.js';
import {loadCatalogue, planLabel, planKey} from '../catalogue.js';
import * as session from '../session.js';
import {sessionChanged} from '../navigation.js';
import {planName} from './zones.js';
import {propagationPanel} from './propagation.js';
import {helpPanel, curlPanel} from './setting-help.js';
import {lifecyclePanel} from './zone-lifecycle.js';
import {go} from '../navigation.js';

/** A zone's page: its facts and the Network section, one card per setting. */
// Shown once at the top of the next zone page drawn (after a plan change redraws it).
let nextNotice = null;

export function renderZone(main, zoneId) {
  const notice = nextNotice;
  nextNotice = null;
  const heading = h('h1', {tabindex: '-1', id: 'zone-name'}, 'Zone');
  const facts = h('p', {class: 'zone-facts', id: 'zone-facts'});
  const lifecycle = h('div', {});
  const body = h('div', {}, loading('settings'));
  const propagation = propagationPanel(zoneId);
  replace(main, h('p', {class: 'breadcrumb'}, h('a', {href: '#/zones'}, '← All zones')), heading, facts,
      h('p', {class: 'zone-links'}, h('a', {href: `#/zones/${zoneId}/traffic`, id: 'zone-traffic-link'}, 'Traffic analytics'),
          session.may('logs:read') ? h('a', {href: `#/zones/${zoneId}/logs`, id: 'zone-logs-link'}, 'Logs (Logpush jobs)') : null),
      notice ? h('p', {class: 'note', role: 'status', id: 'zone-notice'}, notice) : null, lifecycle, body);

  let live = true;
  Promise.all([api.zone(zoneId), api.settings(zoneId), loadCatalogue()]).then(([zone, settings, catalogue]) => {
    if (!live) return;
    const z = zone.result;
    heading.textContent = z.name;
    document.title = `${z.name} · Zoneplane`;
    if (z.account) session.rememberAccount(z.account.id);
    const showFacts = (zone) => replace(facts,
        `Plan: ${planName(zone)} · Status: ${zone.paused ? 'paused' : (zone.status || 'active')}`);
    showFacts(z);
    lifecycle.replaceChildren(lifecyclePanel(z, {
      onChanged: (zone, settingsChanged) => {
        showFacts(zone);
        // A plan change re-derives every setting and what may be chosen: draw the cards afresh.
        if (settingsChanged) {
          nextNotice = `Plan changed to ${planName(zone)}: these settings follow the new plan.`;
          window.dispatchEvent(new HashChangeEvent('hashchange'));
        }
      },
      onDeleted: (zone) => go('/zones', {deleted: zone.name}),
    }));
    const readOnlyNote = h('p', {id: 'read-only-note', class: 'note', hidden: session.canEditSettings()},
        'Your API token can view these settings but not change them.');
    const cards = catalogue.order(settings.result || [])
        .map((s) => settingCard(zoneId, s, catalogue.describe(s, planKey(z)), propagation, readOnlyNote,
            planLabel(planKey(z))));
    replace(body, h('section', {'aria-labelledby': 'network-heading', class: 'network'},
        h('h2', {id: 'network-heading'}, 'Network'),
        h('p', {class: 'section-help'}, 'Changes apply at once to every edge node.'),
        propagation.el,
        readOnlyNote,
        h('div', {class: 'cards'}, cards)));
    propagation.refresh();
  }).catch((e) => {
    if (!live) return;
    if (e.status === 404) replace(body, errorBox('No such zone, or it is not visible to this token.'));
    else if (e.forbidden) replace(body, errorBox('This token may not read this zone’s settings.'));
    else replace(body, errorBox(e.message));
  });

  return () => {
    live = false;
    propagation.stop();
  };
}

/**
 * One setting card. A change is shown at once (optimistic), sent with PATCH, and rolled back to the
 * last value the API confirmed if refused; the API's message then explains why.
 */
function settingCard(zoneId, setting, info, propagation, readOnlyNote, planTitle) {
  const id = setting.id;
  let confirmed = String(setting.value);
  let latestRequest = 0;

  const titleId = `title-${id}`;
  const descId = `desc-${id}`;
  const errorEl = h('div', {id: `error-${id}`, class: 'card-error', role: 'alert'});
  const statusEl = h('span', {id: `status-${id}`, class: 'card-status', role: 'status'});
  const modified = h('p', {class: 'meta', id: `modified-${id}`});
  const locked = setting.editable === false;
  const card = h('article', {class: 'card', id: `setting-${id}`, 'aria-labelledby': titleId,
    dataset: {setting: id, value: confirmed, editable: String(!locked)}});

  function showModified(iso) {
    if (iso) replace(modified, 'Last modified ', time(iso));
    else replace(modified, 'Default value (never changed)');
  }
  showModified(setting.modified_on);

  const disabled = locked || !session.canEditSettings();
  let control;
  let stateLabel = null;
  if (info.kind === 'toggle') {
    stateLabel = h('span', {class: 'switch-state', 'aria-hidden': 'true'});
    control = h('input', {type: 'checkbox', role: 'switch', id: `control-${id}`, class: 'switch-input',
      'aria-labelledby': titleId, 'aria-describedby': descId, disabled});
    control.checked = confirmed === 'on';
    stateLabel.textContent = control.checked ? 'On' : 'Off';
  } else {
    const options = [...info.options];
    if (!options.some((o) => o.value === confirmed)) options.unshift({value: confirmed, label: info.label(confirmed)});
    control = h('select', {id: `control-${id}`, 'aria-labelledby': titleId, 'aria-describedby': descId, disabled},
        options.map((o) => h('option', {value: o.value}, o.label)));
    control.value = confirmed;
  }

  function shown() {
    return info.kind === 'toggle' ? (control.checked ? 'on' : 'off') : control.value;
  }

  function display(value) {
    if (info.kind === 'toggle') {
      control.checked = value === 'on';
      stateLabel.textContent = control.checked ? 'On' : 'Off';
    } else {
      control.value = value;
    }
  }

  async function change() {
    const value = shown();
    if (value === confirmed) return;
    display(value);
    const request = ++latestRequest;
    replace(errorEl);
    card.setAttribute('aria-busy', 'true');
    statusEl.textContent = 'Saving…';
    const wire = info.wire === 'megabytes' ? Number(value) : value;
    try {
      const {result, headers} = await api.patchSetting(zoneId, id, wire);
      confirmed = String(result && result.value !== undefined ? result.value : value);
      card.dataset.value = confirmed;
      curl.update(confirmed);
      if (request !== latestRequest) return;
      display(confirmed);
      showModified(result && result.modified_on);
      statusEl.textContent = 'Saved';
      const revision = headers.get('Zoneplane-Revision');
      if (revision) propagation.track(Number(revision));
    } catch (e) {
      if (request !== latestRequest) return;
      display(confirmed);
      statusEl.textContent = '';
      replace(errorEl, explain(e));
      if (!e.forbidden && e.status !== 0) reread(request);
      if (e.forbidden) {
        session.settingsEditRefused();
        readOnlyNote.hidden = false;
        sessionChanged();
        for (const other of document.querySelectorAll('.card input, .card select')) other.disabled = true;
      }
    } finally {
      if (request === latestRequest) card.removeAttribute('aria-busy');
    }
  }
  control.addEventListener('change', change);

  // After a refusal the value may have changed behind the page (a plan change re-derives settings):
  // show what the API holds now rather than what this page last saw.
  async function reread(request) {
    try {
      const {result} = await api.setting(zoneId, id);
      if (request !== latestRequest || !result || result.value === undefined) return;
      confirmed = String(result.value);
      card.dataset.value = confirmed;
      curl.update(confirmed);
      if (info.kind !== 'toggle' && ![...control.options].some((o) => o.value === confirmed)) {
        control.prepend(h('option', {value: confirmed}, info.label(confirmed)));
      }
      display(confirmed);
      showModified(result.modified_on);
    } catch (ignored) {
      // the refusal's message is already shown; the last confirmed value stays
    }
  }

  const curl = curlPanel(zoneId, info);
  curl.update(confirmed);

  const lock = locked
      ? h('span', {class: 'lock', id: `lock-${id}`},
          lockIcon(),
          info.upgrade ? `${info.upgrade}` : 'Not available on this plan')
      : null;

  card.append(
      h('div', {class: 'card-text'},
          h('h3', {id: titleId}, info.title),
          h('p', {id: descId, class: 'summary'}, info.summary,
              locked ? h('span', {class: 'visually-hidden'},
                  info.upgrade ? ` Locked: needs the ${info.upgrade}.` : ' Locked: not available on this plan.') : null),
          modified),
      h('div', {class: 'card-control'},
          lock,
          info.kind === 'toggle' ? h('label', {class: 'switch', for: `control-${id}`}, control,
              h('span', {class: 'switch-track', 'aria-hidden': 'true'}), stateLabel) : control,
          statusEl),
      errorEl,
      h('div', {class: 'card-extras'}, helpPanel(info, planTitle), curl.el));
  return card;
}

/** A padlock drawn inline (an emoji would depend on the platform having an emoji font). */
function lockIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M4 7V5a4 4 0 0 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1zm2 0h4V5a2 2 0 0 0-4 0v2z');
  svg.append(path);
  return svg;
}

/**
 * The words shown under a card when the API refused a change: its own message (1007 names the
 * allowed values, 1057 the plan's limit), prefixed so the user knows nothing changed.
 */
function explain(e) {
  if (e.forbidden) return `Not changed: your API token may not change settings (${e.message})`;
  return `Not changed: ${e.message}`;
}

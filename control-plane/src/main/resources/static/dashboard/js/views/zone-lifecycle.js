// A zone's lifecycle on its page: pause or resume it, change its plan (the operator only: plans are
// what a tenant pays for), delete it after typing its name. Every action is the API's own call
// (PATCH / DELETE /zones/{id}); the page shows the API's answer, or its refusal word for word.
import {h, replace, errorBox, statusRegion, confirmAction} from '../dom.js';
import {api} from '../api.js';
import * as session from '../session.js';

const PLANS = [['free', 'Free'], ['pro', 'Pro'], ['business', 'Business'], ['enterprise', 'Enterprise']];

/**
 * The "Zone" section. onChanged(zone) is told the API's zone after a pause or plan change (a plan
 * change re-derives settings, so the page reloads them); onDeleted() after deletion.
 */
export function lifecyclePanel(zone, {onChanged, onDeleted}) {
  const status = statusRegion({id: 'zone-action-status', class: 'meta'});
  const error = h('div', {id: 'zone-action-error'});
  const controls = h('div', {class: 'zone-actions'});
  const section = h('section', {class: 'zone-lifecycle', 'aria-labelledby': 'zone-lifecycle-heading'},
      h('h2', {id: 'zone-lifecycle-heading'}, 'Zone'), controls, status, error);

  async function run(button, working, action, done) {
    button.disabled = true;
    replace(error);
    status.textContent = working;
    try {
      const answer = await action();
      done(answer);
    } catch (e) {
      status.textContent = '';
      replace(error, errorBox(`Not changed: ${e.message}`));
    } finally {
      button.disabled = false;
    }
  }

  if (session.may('zone:edit')) {
    const pause = h('button', {type: 'button', class: 'button secondary', id: 'zone-pause'},
        zone.paused ? 'Resume zone' : 'Pause zone');
    pause.addEventListener('click', () => run(pause, zone.paused ? 'Resuming…' : 'Pausing…',
        () => api.editZone(zone.id, {paused: !zone.paused}), ({result}) => {
          zone = result;
          pause.textContent = zone.paused ? 'Resume zone' : 'Pause zone';
          status.textContent = zone.paused
            ? 'Paused: the edge passes requests straight to the origin.' : 'Resumed.';
          onChanged(zone, false);
        }));
    controls.append(h('div', {class: 'zone-action'}, pause,
        h('p', {class: 'help'}, 'A paused zone is still served, without its settings applied.')));
  }

  if (session.isOperator()) {
    const select = h('select', {id: 'zone-plan', 'aria-describedby': 'zone-plan-help'},
        PLANS.map(([id, name]) => h('option', {value: id}, name)));
    select.value = zone.plan && zone.plan.id;
    const apply = h('button', {type: 'button', class: 'button secondary', id: 'zone-plan-apply'}, 'Change plan');
    apply.addEventListener('click', () => {
      if (select.value === (zone.plan && zone.plan.id)) {
        status.textContent = 'The zone is on that plan already.';
        return;
      }
      run(apply, 'Changing plan…', () => api.editZone(zone.id, {plan: {id: select.value}}), ({result}) => {
        zone = result;
        status.textContent = `Plan changed to ${zone.plan.name}. Settings now follow this plan.`;
        onChanged(zone, true);
      });
    });
    controls.append(h('div', {class: 'zone-action'},
        h('label', {for: 'zone-plan'}, 'Plan'),
        h('div', {class: 'inline'}, select, apply),
        h('p', {id: 'zone-plan-help', class: 'help'}, 'Operator only. Settings the new plan does not allow return to its default.')));
  }

  if (session.may('zone:edit')) {
    const remove = h('button', {type: 'button', class: 'button danger', id: 'zone-delete'}, 'Delete zone…');
    remove.addEventListener('click', async () => {
      const confirmed = await confirmAction({id: 'delete-zone-dialog', title: `Delete ${zone.name}?`,
        text: 'Its settings and origin are removed and the edge stops serving it. This cannot be undone.',
        confirmLabel: 'Delete zone', typeToConfirm: zone.name});
      if (!confirmed) {
        remove.focus();
        return;
      }
      run(remove, 'Deleting…', () => api.deleteZone(zone.id), () => onDeleted(zone));
    });
    controls.append(h('div', {class: 'zone-action'}, remove));
  }
  return section;
}

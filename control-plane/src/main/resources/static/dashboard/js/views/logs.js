import {h, replace, errorBox, loading, time, statusRegion, confirmAction} from '../dom.js';
import {api} from '../api.js';
import * as session from '../session.js';
import {jobForm, label} from './logs-form.js';

// A zone's Logs page: its Logpush jobs (Cloudflare's job API under /zones/<id>/logpush) with their
// delivery status as the edge nodes report it, and, for a logs:edit token, creating, editing,
// pausing and deleting them. Destinations are shown as the API answers them, secrets masked: the
// page never holds a secret it did not have typed into it.

const NUMBER = new Intl.NumberFormat();

export function renderLogs(main, zoneId) {
  const heading = h('h1', {tabindex: '-1', id: 'logs-heading'}, 'Logs');
  const breadcrumb = h('p', {class: 'breadcrumb'}, h('a', {href: `#/zones/${zoneId}`}, '← Zone settings'));
  if (!session.may('logs:read')) {
    replace(main, breadcrumb, heading, errorBox('This API token may not read Logpush jobs: it needs the logs:read permission.',
        {id: 'logs-forbidden'}));
    return null;
  }
  const editable = session.may('logs:edit');
  const status = statusRegion({id: 'logs-status', class: 'meta'});
  const formBox = h('div', {id: 'logs-form-box'});
  const results = h('div', {id: 'logs-results'}, loading('Logpush jobs'));
  const refresh = h('button', {type: 'button', class: 'button secondary small', id: 'logs-refresh'}, 'Refresh status');
  replace(main, breadcrumb, heading,
      h('p', {class: 'section-help'}, 'Every edge node pushes the zone’s request logs (the http_requests dataset) to each '
          + 'enabled job’s destination and reports how delivery went; the status below is what the nodes reported.'),
      editable ? null : h('p', {class: 'note', id: 'logs-read-only'},
          'Your API token can view these jobs but not change them (that needs logs:edit).'),
      formBox, h('div', {class: 'inline logs-toolbar'}, refresh, status), results);

  let live = true;
  let fields = null;
  api.zone(zoneId).then(({result: zone}) => {
    if (!live) return;
    heading.textContent = `Logs · ${zone.name}`;
    document.title = `Logs · ${zone.name} · Zoneplane`;
  }).catch(() => {
    // the heading stays generic; the jobs call below says what is wrong
  });

  async function list() {
    try {
      const {result} = await api.logpushJobs(zoneId);
      if (!live) return;
      const jobs = result || [];
      replace(results, jobs.length === 0 ? h('p', {class: 'empty', id: 'logs-empty'}, 'This zone has no Logpush jobs.')
        : jobsTable(jobs, editable ? {toggle, edit, remove} : null));
    } catch (e) {
      if (live) replace(results, errorBox(explain(e), {id: 'logs-error'}));
    }
  }

  async function showForm(job) {
    if (!fields) {
      try {
        fields = (await api.logpushFields(zoneId)).result || {};
      } catch (e) {
        replace(formBox, errorBox(`The dataset’s fields could not be loaded: ${e.message}`, {id: 'logs-fields-error'}));
        return;
      }
    }
    if (!live) return;
    const form = jobForm({zoneId, fields, job, onSaved: (saved) => {
      status.textContent = job ? `Job “${label(saved)}” saved.` : `Job “${label(saved)}” created.`;
      showForm(null);
      list();
    }, onCancel: job ? () => showForm(null) : null});
    replace(formBox, form);
    if (job) form.querySelector('summary').focus();
  }

  async function toggle(job, button) {
    button.disabled = true;
    try {
      await api.updateLogpushJob(zoneId, job.id, {enabled: !job.enabled});
      status.textContent = `Job “${label(job)}” ${job.enabled ? 'paused' : 'resumed'}.`;
      await list();
      const again = document.getElementById(`job-toggle-${job.id}`);
      if (again) again.focus();
    } catch (e) {
      status.textContent = `Not ${job.enabled ? 'paused' : 'resumed'}: ${e.message}`;
      button.disabled = false;
    }
  }

  function edit(job) {
    showForm(job);
  }

  async function remove(job, button) {
    const confirmed = await confirmAction({id: 'delete-job-dialog', title: `Delete the job “${label(job)}”?`,
      text: 'The edge nodes stop delivering its logs at their next poll. This cannot be undone.', confirmLabel: 'Delete job'});
    if (!confirmed) {
      button.focus();
      return;
    }
    try {
      await api.deleteLogpushJob(zoneId, job.id);
      status.textContent = `Job “${label(job)}” deleted.`;
      list();
      heading.focus();
    } catch (e) {
      status.textContent = `Not deleted: ${e.message}`;
    }
  }

  refresh.addEventListener('click', () => {
    status.textContent = '';
    list();
  });
  if (editable) showForm(null);
  list();
  return () => {
    live = false;
  };
}

function explain(e) {
  if (e.forbidden) return `This API token may not read Logpush jobs (${e.message})`;
  if (e.status === 404) return `No such zone, or it is not visible to this token (${e.message})`;
  return e.message;
}

function jobsTable(jobs, actions) {
  const columns = ['Job', 'Destination', 'State', 'Fields', 'Last complete', 'Last error', 'Delivered · dropped · retried'];
  if (actions) columns.push('Actions');
  return h('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Logpush jobs'},
      h('table', {class: 'table', id: 'logs-table'},
          h('caption', {}, 'Logpush jobs'),
          h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col'}, c)))),
          h('tbody', {}, jobs.map((job) => jobRow(job, actions)))));
}

function jobRow(job, actions) {
  const delivery = job.zoneplane_delivery;
  const fields = job.output_options ? job.output_options.field_names || [] : [];
  return h('tr', {dataset: {job: String(job.id), enabled: String(job.enabled)}},
      h('th', {scope: 'row'}, label(job), h('div', {class: 'meta'}, job.dataset)),
      h('td', {class: 'mono wrap', dataset: {cell: 'destination'}}, job.destination_conf),
      h('td', {dataset: {cell: 'state'}}, job.enabled ? 'Enabled' : 'Paused'),
      h('td', {class: 'wrap', dataset: {cell: 'fields'}}, h('details', {class: 'card-more'},
          h('summary', {}, `${fields.length} field${fields.length === 1 ? '' : 's'}`), h('span', {class: 'meta'}, fields.join(', ')))),
      h('td', {dataset: {cell: 'last-complete'}}, job.last_complete ? time(job.last_complete) : 'Never'),
      h('td', {class: 'wrap', dataset: {cell: 'last-error'}}, job.last_error
        ? [time(job.last_error), h('div', {class: 'job-error'}, job.error_message || 'Delivery failed')] : 'None'),
      h('td', {class: 'number', dataset: {cell: 'delivery'}}, delivery
        ? `${NUMBER.format(delivery.records_delivered)} · ${NUMBER.format(delivery.records_dropped)} · `
          + `${NUMBER.format(delivery.duplicates_retried)}` : '—'),
      actions ? h('td', {}, actionButtons(job, actions)) : null);
}

function actionButtons(job, {toggle, edit, remove}) {
  const name = label(job);
  const toggleButton = h('button', {type: 'button', class: 'button secondary small', id: `job-toggle-${job.id}`,
    'aria-label': `${job.enabled ? 'Pause' : 'Resume'} ${name}`}, job.enabled ? 'Pause' : 'Resume');
  const editButton = h('button', {type: 'button', class: 'button secondary small', id: `job-edit-${job.id}`,
    'aria-label': `Edit ${name}`}, 'Edit');
  const deleteButton = h('button', {type: 'button', class: 'button danger small', id: `job-delete-${job.id}`,
    'aria-label': `Delete ${name}`}, 'Delete');
  toggleButton.addEventListener('click', () => toggle(job, toggleButton));
  editButton.addEventListener('click', () => edit(job));
  deleteButton.addEventListener('click', () => remove(job, deleteButton));
  return h('div', {class: 'inline'}, toggleButton, editButton, deleteButton);
}

import {h, replace, errorBox} from '../dom.js';
import {api} from '../api.js';

// The Logpush job form, for a new job or an existing one: name, destination (checked with the
// validate/destination endpoint before anything is saved), the http_requests fields to push (from
// the dataset's fields endpoint, with its descriptions), the output options, the filter and the
// upload limits. The API decides what is valid; its own message is shown when it refuses.

export const TIMESTAMP_FORMATS = [
  ['unixnano', 'unixnano (default)'],
  ['unix', 'unix (seconds)'],
  ['rfc3339', 'rfc3339'],
  ['rfc3339ms', 'rfc3339ms'],
];

const LIMITS = [
  ['max_upload_bytes', 'job-max-bytes', 'Most bytes in one batch', '5000000 to 1000000000'],
  ['max_upload_records', 'job-max-records', 'Most records in one batch', '1000 to 1000000'],
  ['max_upload_interval_seconds', 'job-max-interval', 'Most seconds between batches', '30 to 300'],
];

/** The job's name, or its id when it has none (Cloudflare's name is optional). */
export function label(job) {
  return job.name || `#${job.id}`;
}

/**
 * The form as a disclosure: closed "Create a job" for a new one, open "Edit …" for job. onSaved
 * gets the job the API answered; onCancel (editing only) closes the form.
 */
export function jobForm({zoneId, fields, job, onSaved, onCancel}) {
  const options = job ? job.output_options || {} : {};
  const chosen = new Set(options.field_names || []);
  const shownDestination = job ? job.destination_conf : '';

  const name = h('input', {id: 'job-name', type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: '512',
    value: job && job.name ? job.name : '', 'aria-describedby': 'job-name-help'});
  const destination = h('input', {id: 'job-destination', type: 'text', autocomplete: 'off', spellcheck: 'false',
    required: true, value: shownDestination, 'aria-describedby': 'job-destination-help'});
  const check = h('button', {type: 'button', class: 'button secondary', id: 'job-destination-check'}, 'Check destination');
  const checked = h('div', {id: 'job-destination-result', role: 'status', 'aria-live': 'polite'});
  const enabled = h('input', {type: 'checkbox', id: 'job-enabled', checked: job ? job.enabled : true});
  const boxes = Object.entries(fields).map(([field, description]) => h('div', {class: 'check field-choice'},
      h('input', {type: 'checkbox', id: `job-field-${field}`, value: field, name: 'field', checked: chosen.has(field),
        'aria-describedby': `job-field-${field}-help`}),
      h('label', {for: `job-field-${field}`}, field),
      h('span', {class: 'help', id: `job-field-${field}-help`}, description)));
  const inputs = () => boxes.map((b) => b.querySelector('input'));
  const all = h('button', {type: 'button', class: 'button secondary small', id: 'job-fields-all'}, 'Select all');
  const none = h('button', {type: 'button', class: 'button secondary small', id: 'job-fields-none'}, 'Clear');
  all.addEventListener('click', () => inputs().forEach((i) => { i.checked = true; }));
  none.addEventListener('click', () => inputs().forEach((i) => { i.checked = false; }));
  const format = h('select', {id: 'job-timestamp-format', 'aria-describedby': 'job-timestamp-help'},
      TIMESTAMP_FORMATS.map(([id, text]) => h('option', {value: id, selected: (options.timestamp_format || 'unixnano') === id}, text)));
  const sample = h('input', {id: 'job-sample-rate', type: 'number', min: '0', max: '1', step: 'any', required: true,
    value: String(options.sample_rate === undefined ? 1 : options.sample_rate), 'aria-describedby': 'job-sample-help'});
  const cve = h('input', {type: 'checkbox', id: 'job-cve', checked: Boolean(options['CVE-2021-44228'])});
  const filter = h('textarea', {id: 'job-filter', rows: '3', spellcheck: 'false', 'aria-describedby': 'job-filter-help'});
  filter.value = job && job.filter ? job.filter : '';
  const limits = LIMITS.map(([member, id, text, range]) => ({member, id, text, range,
    input: h('input', {id, type: 'number', min: '0', step: '1', inputmode: 'numeric', 'aria-describedby': `${id}-help`,
      value: job && job[member] ? String(job[member]) : ''})}));
  const error = h('div', {id: 'job-error'});
  const submit = h('button', {type: 'submit', class: 'button primary', id: 'job-submit'}, job ? 'Save job' : 'Create job');
  const cancel = onCancel ? h('button', {type: 'button', class: 'button secondary', id: 'job-cancel'}, 'Cancel') : null;
  if (cancel) cancel.addEventListener('click', onCancel);

  const form = h('form', {id: 'job-form', class: 'token-form job-form', novalidate: true,
    'aria-label': job ? 'Edit the Logpush job' : 'Create a Logpush job'},
      h('div', {class: 'field'}, h('label', {for: 'job-name'}, 'Job name (optional)'), name,
          h('p', {class: 'help', id: 'job-name-help'}, 'Letters, digits, dots and dashes, e.g. example-com.')),
      h('div', {class: 'field'}, h('label', {for: 'job-destination'}, 'Destination'),
          h('div', {class: 'inline'}, destination, check),
          h('p', {class: 'help', id: 'job-destination-help'}, 'https://host/path?header_Authorization=… (header_* parameters '
              + 'become request headers) or kafka://host:port/topic. Secrets are shown masked (*****): leave them so to keep them.'),
          checked),
      h('div', {class: 'check'}, enabled, h('label', {for: 'job-enabled'}, 'Enabled: the edge nodes push logs to it')),
      h('fieldset', {}, h('legend', {}, 'Fields of each record (http_requests)'),
          h('div', {class: 'inline'}, all, none),
          h('div', {class: 'field-choices'}, boxes)),
      h('div', {class: 'filters'},
          h('div', {class: 'field'}, h('label', {for: 'job-timestamp-format'}, 'Timestamp format'), format,
              h('p', {class: 'help', id: 'job-timestamp-help'}, 'unixnano: nanoseconds since the epoch; rfc3339: '
                  + '2026-12-07T14:00:00Z, rfc3339ms with milliseconds.')),
          h('div', {class: 'field'}, h('label', {for: 'job-sample-rate'}, 'Sample rate'), sample,
              h('p', {class: 'help', id: 'job-sample-help'}, 'More than 0, at most 1 (1 pushes every request).')),
          limits.map((l) => h('div', {class: 'field'}, h('label', {for: l.id}, l.text), l.input,
              h('p', {class: 'help', id: `${l.id}-help`}, `${l.range}; empty: the node’s default.`)))),
      h('div', {class: 'check'}, cve, h('label', {for: 'job-cve'}, 'Replace ${ with x{ in every value (CVE-2021-44228)')),
      h('div', {class: 'field'}, h('label', {for: 'job-filter'}, 'Filter (optional)'), filter,
          h('p', {class: 'help', id: 'job-filter-help'}, 'Cloudflare’s filter JSON, e.g. '
              + '{"where":{"and":[{"key":"EdgeResponseStatus","operator":"geq","value":500}]}}. Empty: every request.')),
      error, h('div', {class: 'inline'}, submit, cancel));

  /** Asks the API whether the destination is acceptable; true when it is (the masked original always is). */
  async function validDestination() {
    replace(checked);
    const value = destination.value.trim();
    if (job && value === shownDestination) return true;
    try {
      await api.validateLogpushDestination(zoneId, value);
      replace(checked, h('p', {class: 'ok', id: 'job-destination-valid'}, 'The destination is valid.'));
      return true;
    } catch (e) {
      replace(checked, errorBox(`Destination refused: ${e.message}`, {id: 'job-destination-invalid'}));
      return false;
    }
  }
  check.addEventListener('click', validDestination);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    submit.disabled = true;
    try {
      if (!(await validDestination())) {
        destination.focus();
        return;
      }
      const body = {
        name: name.value.trim() || null,
        destination_conf: destination.value.trim(),
        enabled: enabled.checked,
        output_options: {field_names: inputs().filter((i) => i.checked).map((i) => i.value), timestamp_format: format.value,
          sample_rate: Number(sample.value), 'CVE-2021-44228': cve.checked},
        filter: filter.value.trim() || null,
      };
      for (const l of limits) body[l.member] = l.input.value.trim() === '' ? null : Number(l.input.value);
      const {result} = job ? await api.updateLogpushJob(zoneId, job.id, body) : await api.createLogpushJob(zoneId, body);
      onSaved(result);
    } catch (e) {
      replace(error, errorBox(`Not saved: ${e.message}`, {id: 'job-error-message'}));
    } finally {
      submit.disabled = false;
    }
  });

  return h('details', {class: 'add-zone', id: job ? 'edit-job' : 'create-job', open: Boolean(job)},
      h('summary', {class: 'button secondary'}, job ? `Edit job “${label(job)}”` : 'Create a job'), form);
}

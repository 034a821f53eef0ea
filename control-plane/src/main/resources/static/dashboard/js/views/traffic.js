import {h, replace, errorBox, loading} from '../dom.js';
import {api, graphql} from '../api.js';
import {go} from '../navigation.js';
import {loadChartJs} from '../charts.js';

// A zone's Traffic page: what the GraphQL Analytics API (POST /client/v4/graphql) answers for the
// chosen range, drawn with Chart.js, each chart followed by a table holding the same numbers.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/**
 * The ranges offered. Up to a day the 1-minute datasets answer (grouped into 1, 5 or 15 minutes so a
 * chart has at most 96 points); seven days exceed their one-day limit, so the hourly ones answer.
 */
export const RANGES = [
  {id: '30m', label: 'Last 30 minutes', span: 30 * MINUTE, step: MINUTE, level: '1m', dimension: 'datetimeMinute'},
  {id: '6h', label: 'Last 6 hours', span: 6 * HOUR, step: 5 * MINUTE, level: '1m', dimension: 'datetimeFiveMinutes'},
  {id: '24h', label: 'Last 24 hours', span: 24 * HOUR, step: 15 * MINUTE, level: '1m', dimension: 'datetimeFifteenMinutes'},
  {id: '7d', label: 'Last 7 days', span: 7 * 24 * HOUR, step: HOUR, level: '1h', dimension: 'datetimeHour'},
];

const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'];
const TOP_COUNTRIES = 10;
const NUMBER = new Intl.NumberFormat();
const COLOURS = ['#0051c3', '#b34700', '#1e5e2a', '#8a1c12', '#5b3b8c', '#00656b', '#6b3a00', '#4a4f55', '#a3006b', '#2d4a00'];

function trafficQuery(range) {
  const groups = (dataset, fields) => `${dataset}(limit: 10000, filter: {datetime_geq: $from, datetime_lt: $to},
      orderBy: [${range.dimension}_ASC]) { dimensions { ${range.dimension} } ${fields} }`;
  return `query ZoneTraffic($zone: string!, $from: Time!, $to: Time!) { viewer { zones(filter: {zoneTag: $zone}) {
    http: ${groups(`httpRequests${range.level}Groups`, `sum { requests bytes
      countryMap { clientCountryName requests bytes } responseStatusMap { edgeResponseStatus requests }
      clientHTTPVersionMap { clientHTTPProtocol requests } }`)}
    websockets: ${groups(`zoneplaneWebSockets${range.level}Groups`,
      'sum { connectionsOpened billableMinutes } max { concurrentConnections }')} } } }`;
}

/** The range's buckets: ends at the end of the current bucket, starts span before. */
function buckets(range, now) {
  const to = Math.floor(now / range.step) * range.step + range.step;
  const from = to - range.span;
  const starts = [];
  for (let t = from; t < to; t += range.step) starts.push(t);
  return {from: new Date(from).toISOString(), to: new Date(to).toISOString(), starts};
}

export function renderTraffic(main, zoneId, params) {
  const range = RANGES.find((r) => r.id === params.get('range')) || RANGES[0];
  const heading = h('h1', {tabindex: '-1', id: 'traffic-heading'}, 'Traffic');
  const select = h('select', {id: 'traffic-range', onchange: () => go(`/zones/${zoneId}/traffic`, {range: select.value})},
      RANGES.map((r) => h('option', {value: r.id, selected: r === range}, r.label)));
  const guidance = h('div', {id: 'traffic-guidance'});
  const body = h('div', {id: 'traffic-body'}, loading('traffic'));
  replace(main,
      h('p', {class: 'breadcrumb'}, h('a', {href: `#/zones/${zoneId}`}, '← Zone settings')),
      heading,
      h('div', {class: 'inline traffic-range'}, h('label', {for: 'traffic-range'}, 'Range'), select),
      guidance,
      body);

  let live = true;
  const charts = [];
  api.zone(zoneId).then(({result: zone}) => {
    if (!live) return;
    heading.textContent = `Traffic · ${zone.name}`;
    document.title = `Traffic · ${zone.name} · Zoneplane`;
    replace(guidance, planGuidance(zone.websocket_volume));
  }).catch((e) => {
    if (!live) return;
    replace(guidance, h('p', {class: 'note', id: 'traffic-guidance-unavailable'},
        e.status === 404 || e.forbidden
          ? 'The plan’s WebSocket guidance needs a token that can read this zone (zone:read).'
          : `The plan’s WebSocket guidance could not be loaded: ${e.message}`));
  });

  const period = buckets(range, Date.now());
  Promise.all([graphql(trafficQuery(range), {zone: zoneId, from: period.from, to: period.to}), loadChartJs()])
      .then(([answer, Chart]) => {
        if (!live) return;
        const refused = (answer.errors || []).find((e) => e.extensions && e.extensions.code === 'FORBIDDEN');
        if (refused) {
          replace(body, errorBox('This API token may not read traffic analytics: it needs the analytics:read permission.',
              {id: 'traffic-forbidden'}));
          return;
        }
        const zones = answer.data && answer.data.viewer ? answer.data.viewer.zones : null;
        // a refused dataset is null beside an error: never shown as a range without traffic
        if (!zones || (answer.errors && answer.errors.length > 0)) {
          replace(body, errorBox(`The analytics API refused the query: ${
            (answer.errors && answer.errors[0] && answer.errors[0].message) || 'no data in its answer'}`));
          return;
        }
        if (zones.length === 0) {
          replace(body, errorBox('No such zone, or it is not visible to this token.'));
          return;
        }
        const http = zones[0].http || [];
        // a minute of HTTP traffic alone also has a WebSocket row, all zero: not listed as WebSocket use
        const websockets = (zones[0].websockets || []).filter((g) =>
          g.max.concurrentConnections > 0 || g.sum.billableMinutes > 0 || g.sum.connectionsOpened > 0);
        if (http.length === 0 && websockets.length === 0) {
          replace(body, h('p', {class: 'note', id: 'traffic-empty', role: 'status'},
              `No traffic in this range (${range.label.toLowerCase()}).`));
          return;
        }
        drawAll(body, Chart, charts, range, period.starts, http, websockets);
      })
      .catch((e) => {
        if (live) replace(body, errorBox(e.message));
      });

  return () => {
    live = false;
    charts.forEach((chart) => chart.destroy());
  };
}

function planGuidance(volume) {
  if (!volume) return null;
  const expected = `this plan expects up to ${NUMBER.format(volume.expected)} concurrent WebSocket connections `
      + `(${volume.volume} volume)`;
  const peak = `peak in the last hour: ${NUMBER.format(volume.peak_last_hour)}, above the expected volume for `
      + `${NUMBER.format(volume.minutes_above)} minute${volume.minutes_above === 1 ? '' : 's'}`;
  if (volume.exceeded) {
    return h('div', {class: 'note volume-exceeded', id: 'traffic-volume', 'data-exceeded': 'true'},
        h('strong', {}, 'Above the plan’s WebSocket volume. '),
        `Sustained: ${peak}; ${expected}. Visitors are not affected; a plan with a higher volume fits this zone better.`);
  }
  return h('p', {class: 'note', id: 'traffic-volume', 'data-exceeded': 'false'},
      `Within the plan’s WebSocket volume: ${expected}; ${peak}.`);
}

function drawAll(body, Chart, charts, range, starts, http, websockets) {
  const byTime = (groups) => new Map(groups.map((g) => [Date.parse(g.dimensions[range.dimension]), g]));
  const httpAt = byTime(http);
  const wsAt = byTime(websockets);
  const label = (t) => timeLabel(range, t);

  const totals = {requests: 0, bytes: 0, billableMinutes: 0, peak: 0};
  const statuses = new Map(STATUS_CLASSES.map((c) => [c, 0]));
  const countries = new Map();
  const protocols = new Map();
  for (const g of http) {
    totals.requests += g.sum.requests;
    totals.bytes += g.sum.bytes;
    for (const s of g.sum.responseStatusMap) {
      const cls = `${Math.floor(s.edgeResponseStatus / 100)}xx`;
      const key = statuses.has(cls) ? cls : 'Other';
      statuses.set(key, (statuses.get(key) || 0) + s.requests);
    }
    for (const c of g.sum.countryMap) {
      const entry = countries.get(c.clientCountryName) || {requests: 0, bytes: 0};
      entry.requests += c.requests;
      entry.bytes += c.bytes;
      countries.set(c.clientCountryName, entry);
    }
    for (const p of g.sum.clientHTTPVersionMap) {
      protocols.set(p.clientHTTPProtocol, (protocols.get(p.clientHTTPProtocol) || 0) + p.requests);
    }
  }
  for (const g of websockets) {
    totals.billableMinutes += g.sum.billableMinutes;
    totals.peak = Math.max(totals.peak, g.max.concurrentConnections);
  }
  const topCountries = [...countries.entries()].sort((a, b) => b[1].requests - a[1].requests || a[0].localeCompare(b[0]))
      .slice(0, TOP_COUNTRIES);
  const protocolRows = [...protocols.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  const sections = [
    section('requests', 'Requests and bandwidth',
        {type: 'line', data: {labels: starts.map(label), datasets: [
          {label: 'Requests', data: starts.map((t) => (httpAt.get(t) ? httpAt.get(t).sum.requests : 0)), yAxisID: 'y'},
          {label: 'Bandwidth (bytes)', data: starts.map((t) => (httpAt.get(t) ? httpAt.get(t).sum.bytes : 0)), yAxisID: 'y1'},
        ]}, options: {scales: {y: {beginAtZero: true, title: {display: true, text: 'Requests'}},
          y1: {beginAtZero: true, position: 'right', grid: {drawOnChartArea: false}, title: {display: true, text: 'Bytes'}}}}},
        ['Time', 'Requests', 'Bandwidth (bytes)'],
        http.map((g) => [label(Date.parse(g.dimensions[range.dimension])), g.sum.requests, g.sum.bytes]),
        ['Total', totals.requests, totals.bytes],
        range.level === '1h' ? 'Hourly; the current hour appears once it has closed. Periods without traffic are not listed.'
          : 'Periods without traffic are not listed.'),
    section('status', 'Status classes',
        {type: 'bar', data: {labels: [...statuses.keys()], datasets: [{label: 'Requests', data: [...statuses.values()]}]}},
        ['Status class', 'Requests'], [...statuses.entries()], null, 'Edge response status, all requests in the range.'),
    section('countries', 'Top countries',
        {type: 'bar', data: {labels: topCountries.map(([c]) => c), datasets: [
          {label: 'Requests', data: topCountries.map(([, v]) => v.requests)}]}, options: {indexAxis: 'y'}},
        ['Country', 'Requests', 'Bandwidth (bytes)'], topCountries.map(([c, v]) => [c, v.requests, v.bytes]), null,
        `The ${TOP_COUNTRIES} countries with the most requests (CF-IPCountry codes).`),
    section('protocols', 'HTTP protocols',
        {type: 'doughnut', data: {labels: protocolRows.map(([p]) => p), datasets: [
          {label: 'Requests', data: protocolRows.map(([, n]) => n), backgroundColor: COLOURS}]}},
        ['Protocol', 'Requests'], protocolRows, null, 'Requests by the protocol the visitor spoke to the edge.'),
    section('websockets', 'WebSockets',
        {type: 'bar', data: {labels: starts.map(label), datasets: [
          {type: 'line', label: 'Peak concurrent connections',
            data: starts.map((t) => (wsAt.get(t) ? wsAt.get(t).max.concurrentConnections : 0)), yAxisID: 'y'},
          {label: 'Billable minutes', data: starts.map((t) => (wsAt.get(t) ? wsAt.get(t).sum.billableMinutes : 0)),
            yAxisID: 'y1'},
        ]}, options: {scales: {y: {beginAtZero: true, title: {display: true, text: 'Connections'}},
          y1: {beginAtZero: true, position: 'right', grid: {drawOnChartArea: false}, title: {display: true, text: 'Minutes'}}}}},
        ['Time', 'Peak concurrent connections', 'Billable minutes', 'Connections opened'],
        websockets.map((g) => [label(Date.parse(g.dimensions[range.dimension])), g.max.concurrentConnections,
          g.sum.billableMinutes, g.sum.connectionsOpened]),
        ['Total', totals.peak, totals.billableMinutes, websockets.reduce((n, g) => n + g.sum.connectionsOpened, 0)],
        'Billable minutes are counted per connection, rounded up. The total row shows the highest peak.'),
  ];
  replace(body, h('p', {id: 'traffic-summary', class: 'zone-facts'},
      `${range.label}: ${NUMBER.format(totals.requests)} requests, ${NUMBER.format(totals.bytes)} bytes to visitors, `
      + `${NUMBER.format(totals.billableMinutes)} billable WebSocket minutes.`),
  h('div', {class: 'traffic-sections'}, sections.map((s) => s.el)));
  for (const s of sections) {
    s.config.options = {animation: false, responsive: true, maintainAspectRatio: false, ...s.config.options};
    for (const [i, dataset] of s.config.data.datasets.entries()) {
      if (!dataset.backgroundColor) dataset.backgroundColor = COLOURS[i];
      if (!dataset.borderColor) dataset.borderColor = COLOURS[i];
    }
    charts.push(new Chart(s.canvas, s.config));
  }
}

/** One chart with its data table below it: the table holds every number the chart draws. */
function section(id, title, config, columns, rows, totalRow, help) {
  const canvas = h('canvas', {id: `chart-${id}`, role: 'img', 'aria-label': `${title} chart; the numbers are in the table below.`});
  const table = h('table', {class: 'table', id: `table-${id}`},
      h('caption', {}, title),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, rows.map((row) => tableRow(row))),
      totalRow ? h('tfoot', {}, tableRow(totalRow)) : null);
  const el = h('section', {class: 'traffic-section', 'aria-labelledby': `heading-${id}`},
      h('h2', {id: `heading-${id}`}, title),
      help ? h('p', {class: 'section-help'}, help) : null,
      h('div', {class: 'chart-box'}, canvas),
      h('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `${title} table`}, table));
  return {el, canvas, config};
}

function tableRow([first, ...numbers]) {
  return h('tr', {}, h('th', {scope: 'row'}, first), numbers.map((n) => h('td', {class: 'number'}, NUMBER.format(n))));
}

const SHORT_TIME = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit'});
const DAY_TIME = new Intl.DateTimeFormat(undefined, {weekday: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'});

function timeLabel(range, t) {
  return (range.span >= 24 * HOUR ? DAY_TIME : SHORT_TIME).format(new Date(t));
}

// Logpush through the official Cloudflare Node SDK, as a zone owner's script would call it: jobs
// create, list, get, update (the masked destination sent back keeps its secret), delete; the
// dataset's jobs and fields; a destination check; typed errors. Run by CloudflareSdkTest.
// Inputs: ZONEPLANE_BASE_URL, ZONEPLANE_ZONE_ID, ZONEPLANE_API_TOKEN (logs:edit), ZONEPLANE_READ_TOKEN (logs:read).
import assert from 'node:assert/strict';
import Cloudflare from 'cloudflare';

const base = `${process.env.ZONEPLANE_BASE_URL}/client/v4`;
const zone_id = process.env.ZONEPLANE_ZONE_ID;
const client = new Cloudflare({ baseURL: base, apiToken: process.env.ZONEPLANE_API_TOKEN, maxRetries: 0, timeout: 20000 });
const reader = new Cloudflare({ baseURL: base, apiToken: process.env.ZONEPLANE_READ_TOKEN, maxRetries: 0, timeout: 20000 });

const fields = await client.logpush.datasets.fields.get('http_requests', { zone_id });
assert.ok(fields.ClientIP && fields.EdgeStartTimestamp && fields.RayID && fields.ZoneplaneConnectionKind, JSON.stringify(fields));

const job = await client.logpush.jobs.create({
  zone_id,
  name: 'sdk-example-com',
  dataset: 'http_requests',
  destination_conf: 'https://logs.example.net/ingest?header_Authorization=Bearer%20sdk-secret',
  output_options: { field_names: ['ClientIP', 'EdgeStartTimestamp', 'RayID'], timestamp_format: 'rfc3339', sample_rate: 1 },
  filter: JSON.stringify({ where: { and: [{ key: 'ClientRequestHost', operator: 'eq', value: 'example.com' }] } }),
  max_upload_records: 1000,
});
assert.equal(typeof job.id, 'number');
assert.equal(job.dataset, 'http_requests');
assert.equal(job.enabled, false);
assert.equal(job.destination_conf, 'https://logs.example.net/ingest?header_Authorization=*****');
assert.deepEqual(job.output_options.field_names, ['ClientIP', 'EdgeStartTimestamp', 'RayID']);
assert.equal(job.last_complete, null);
assert.equal(job.error_message, null);

const listed = [];
for await (const j of client.logpush.jobs.list({ zone_id })) {
  listed.push(j.id);
}
assert.deepEqual(listed, [job.id]);
const ofDataset = [];
for await (const j of reader.logpush.datasets.jobs.get('http_requests', { zone_id })) {
  ofDataset.push(j.id);
}
assert.deepEqual(ofDataset, [job.id]);
assert.deepEqual(await reader.logpush.jobs.get(job.id, { zone_id }), job);

// read, change, write back: the masked destination in the update keeps the stored secret
const updated = await client.logpush.jobs.update(job.id, {
  zone_id,
  destination_conf: job.destination_conf,
  enabled: true,
  output_options: { ...job.output_options, timestamp_format: 'unixnano' },
});
assert.equal(updated.enabled, true);
assert.equal(updated.output_options.timestamp_format, 'unixnano');
assert.equal(updated.destination_conf, job.destination_conf);

assert.deepEqual(await client.logpush.validate.destination({ zone_id, destination_conf: 'kafka://k1.example.net:9092/logs?tls=true' }),
  { valid: true, message: '' });
await assert.rejects(
  client.logpush.validate.destination({ zone_id, destination_conf: 'ftp://logs.example.net/' }),
  (e) => e instanceof Cloudflare.BadRequestError && e.errors[0].code === 9712 && /https:\/\/ or kafka:\/\//.test(e.errors[0].message),
);

await assert.rejects(
  reader.logpush.jobs.update(job.id, { zone_id, enabled: false }),
  (e) => e instanceof Cloudflare.PermissionDeniedError && e.errors[0].code === 10000,
);
await assert.rejects(
  client.logpush.jobs.create({ zone_id, destination_conf: 'https://logs.example.net/', output_options: { field_names: ['BotScore'] } }),
  (e) => e instanceof Cloudflare.BadRequestError && e.errors[0].code === 1003 && /BotScore/.test(e.errors[0].message),
);

assert.deepEqual(await client.logpush.jobs.delete(job.id, { zone_id }), { id: job.id });
await assert.rejects(client.logpush.jobs.get(job.id, { zone_id }), (e) => e instanceof Cloudflare.NotFoundError && e.errors[0].code === 9710);

console.log(`SDK LOGPUSH OK ${JSON.stringify({ job: job.id, fields: Object.keys(fields).length })}`);

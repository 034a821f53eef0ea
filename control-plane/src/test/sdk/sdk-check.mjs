// Drives a running Zoneplane control plane with the official Cloudflare Node SDK, as a user would:
// base URL pointed at Zoneplane's /client/v4. Run by CloudflareSdkTest; exits non-zero on any
// mismatch. Inputs: ZONEPLANE_BASE_URL, ZONEPLANE_ACCOUNT_ID, ZONEPLANE_ZONE_NAME, ZONEPLANE_API_TOKEN.
import assert from 'node:assert/strict';
import Cloudflare from 'cloudflare';

const base = process.env.ZONEPLANE_BASE_URL;
const accountId = process.env.ZONEPLANE_ACCOUNT_ID;
const name = process.env.ZONEPLANE_ZONE_NAME;
const client = new Cloudflare({ baseURL: `${base}/client/v4`, apiToken: process.env.ZONEPLANE_API_TOKEN, maxRetries: 0, timeout: 20000 });

const zone = await client.zones.create({ account: { id: accountId }, name, type: 'full' });
assert.match(zone.id, /^[0-9a-f]{32}$/);
assert.equal(zone.name, name);
assert.equal(zone.status, 'active');
assert.equal(zone.paused, false);
assert.equal(zone.type, 'full');
assert.equal(zone.account.id, accountId);
assert.match(zone.plan.id, /^[0-9a-f]{32}$/);
assert.equal(zone.plan.legacy_id, 'free');

// A single zone's GET adds the plan guidance (websocket_volume); the rest is the created resource.
const { websocket_volume: volume, ...got } = await client.zones.get({ zone_id: zone.id });
assert.equal(volume.volume, 'low');
assert.equal(volume.exceeded, false);
assert.deepEqual(got, zone);

const listed = [];
for await (const z of client.zones.list({ account: { id: accountId }, per_page: 1 })) {
  listed.push(z.name);
}
assert.ok(listed.includes(name), `listed ${listed}`);
const byName = await client.zones.list({ name });
assert.equal(byName.result.length, 1);
assert.equal(byName.result[0].id, zone.id);
assert.equal(byName.result_info.total_count, 1);

const websockets = await client.zones.settings.get('websockets', { zone_id: zone.id });
assert.deepEqual(websockets, { id: 'websockets', value: 'on', editable: true, modified_on: null });
const edited = await client.zones.settings.edit('websockets', { zone_id: zone.id, value: 'off' });
assert.equal(edited.id, 'websockets');
assert.equal(edited.value, 'off');
assert.match(edited.modified_on, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
const { data: raw, response } = await client.zones.settings
  .edit('pseudo_ipv4', { zone_id: zone.id, value: 'add_header' })
  .withResponse();
assert.equal(raw.value, 'add_header');
assert.match(response.headers.get('zoneplane-revision'), /^\d+$/);

const maxUpload = await client.zones.settings.get('max_upload', { zone_id: zone.id });
assert.equal(maxUpload.value, 100);
// Cloudflare lists a Free zone's max_upload as editable, and re-applying its value is a no-op (issue 20 item 9)
assert.equal(maxUpload.editable, true);
assert.equal((await client.zones.settings.edit('max_upload', { zone_id: zone.id, value: 100 })).value, 100);

await assert.rejects(
  client.zones.settings.edit('websockets', { zone_id: zone.id, value: 'sometimes' }),
  (e) => e instanceof Cloudflare.BadRequestError && e.status === 400 && e.errors[0].code === 1007,
);
await assert.rejects(
  client.zones.settings.edit('ipv6', { zone_id: zone.id, value: 'off' }),
  (e) => e instanceof Cloudflare.PermissionDeniedError && e.errors[0].code === 1057,
);
await assert.rejects(
  client.zones.settings.get('no_such_setting', { zone_id: zone.id }),
  (e) => e instanceof Cloudflare.NotFoundError && e.errors[0].code === 1006,
);
await assert.rejects(
  client.zones.create({ account: { id: accountId }, name, type: 'full' }),
  (e) => e instanceof Cloudflare.BadRequestError && e.status === 400 && e.errors[0].code === 1061,
);

const paused = await client.zones.edit({ zone_id: zone.id, paused: true });
assert.equal(paused.paused, true);

const deleted = await client.zones.delete({ zone_id: zone.id });
assert.deepEqual(deleted, { id: zone.id });
await assert.rejects(client.zones.get({ zone_id: zone.id }), (e) => e instanceof Cloudflare.NotFoundError);

console.log(`SDK OK ${JSON.stringify({ zone: zone.id, listed: listed.length })}`);

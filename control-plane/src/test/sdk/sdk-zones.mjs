// Zones through the official Cloudflare Node SDK as scripts written for Cloudflare use them
// (CloudflareSdkTest): create, get, list with Cloudflare's parameters (name operators, order,
// direction, match), the typed errors of a duplicate (BadRequestError 1061), a malformed zone id
// (BadRequestError 7003) and a missing permission (PermissionDeniedError 10000), and a second
// account's zone of the same name: pending, activated by the activation check once the name is free.
// Inputs: ZONEPLANE_BASE_URL, ZONEPLANE_ACCOUNT_ID, ZONEPLANE_API_TOKEN, ZONEPLANE_OTHER_ACCOUNT_ID,
// ZONEPLANE_OTHER_TOKEN, ZONEPLANE_READ_TOKEN (of the first account, zone:read only), ZONEPLANE_ZONE_NAME.
import assert from 'node:assert/strict';
import Cloudflare from 'cloudflare';

const env = process.env;
const options = { baseURL: `${env.ZONEPLANE_BASE_URL}/client/v4`, maxRetries: 0, timeout: 20000 };
const ours = new Cloudflare({ ...options, apiToken: env.ZONEPLANE_API_TOKEN });
const theirs = new Cloudflare({ ...options, apiToken: env.ZONEPLANE_OTHER_TOKEN });
const reader = new Cloudflare({ ...options, apiToken: env.ZONEPLANE_READ_TOKEN });
const accountId = env.ZONEPLANE_ACCOUNT_ID;
const name = env.ZONEPLANE_ZONE_NAME;
const [label] = name.split('.');

const zones = [];
for (const prefix of ['a', 'b', 'c']) {
  zones.push(await ours.zones.create({ account: { id: accountId }, name: `${prefix}-${name}`, type: 'full' }));
}
const [a, b, c] = zones;
assert.equal(a.status, 'active');
assert.match(a.activated_on, /^\d{4}-/);
assert.equal(a.name_servers.length, 2);
assert.equal(a.owner.id, accountId);
assert.equal(a.plan.legacy_id, 'free');
assert.match(a.plan.id, /^[0-9a-f]{32}$/);
assert.equal(typeof a.meta.phishing_detected, 'boolean');
// A single zone's GET adds the plan guidance (websocket_volume); the rest is the created resource.
const { websocket_volume: bVolume, ...fetchedB } = await ours.zones.get({ zone_id: b.id });
assert.equal(bVolume.exceeded, false);
assert.deepEqual(fetchedB, b);

const names = async (params) => {
  const listed = [];
  for await (const z of ours.zones.list({ account: { id: accountId }, ...params })) listed.push(z.name);
  return listed;
};
assert.deepEqual(await names({ name: `contains:${label}`, order: 'name', direction: 'desc', per_page: 1 }),
  [c.name, b.name, a.name]);
assert.deepEqual(await names({ name: `starts_with:b-${label}` }), [b.name]);
assert.deepEqual(await names({ name: `ends_with:${name}`, match: 'all' }), [a.name, b.name, c.name]);
assert.deepEqual(await names({ name: `not_equal:${b.name}` }).then((l) => l.filter((n) => n.endsWith(name))), [a.name, c.name]);
assert.deepEqual(await names({ name: `equal:${c.name}` }), [c.name]);

await assert.rejects(ours.zones.create({ account: { id: accountId }, name: a.name, type: 'full' }),
  (e) => e instanceof Cloudflare.BadRequestError && e.status === 400 && e.errors[0].code === 1061
    && e.errors[0].message === `${a.name} already exists`);
await assert.rejects(ours.zones.get({ zone_id: 'not-a-zone-id' }),
  (e) => e instanceof Cloudflare.BadRequestError && e.errors[0].code === 7003
    && e.errors[0].message === 'Could not route to /zones/not-a-zone-id, perhaps your object identifier is invalid?');
await assert.rejects(reader.zones.delete({ zone_id: a.id }),
  (e) => e instanceof Cloudflare.PermissionDeniedError && e.status === 403 && e.errors[0].code === 10000);

// Another account adds a name this one serves: no error, a pending zone, nothing of ours revealed.
const pending = await theirs.zones.create({ account: { id: env.ZONEPLANE_OTHER_ACCOUNT_ID }, name: a.name, type: 'full' });
assert.equal(pending.status, 'pending');
assert.equal(pending.activated_on, null);
assert.ok(!JSON.stringify(pending).includes(accountId));
assert.deepEqual(await theirs.zones.activationCheck.trigger({ zone_id: pending.id }), { id: pending.id });
assert.equal((await theirs.zones.get({ zone_id: pending.id })).status, 'pending');
await assert.rejects(theirs.zones.get({ zone_id: a.id }), (e) => e instanceof Cloudflare.NotFoundError && e.errors[0].code === 1001);

await ours.zones.delete({ zone_id: a.id });
await theirs.zones.activationCheck.trigger({ zone_id: pending.id });
const activated = await theirs.zones.get({ zone_id: pending.id });
assert.equal(activated.status, 'active');
assert.match(activated.activated_on, /^\d{4}-/);

for (const z of [b, c]) await ours.zones.delete({ zone_id: z.id });
await theirs.zones.delete({ zone_id: pending.id });
console.log('SDK ZONES OK');

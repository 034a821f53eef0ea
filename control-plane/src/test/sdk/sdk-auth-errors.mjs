// The official Cloudflare Node SDK's typed errors for credentials, against a running Zoneplane
// control plane (CloudflareSdkTest): the SDK maps 400 to BadRequestError and 401 to
// AuthenticationError, and scripts look at the codes Cloudflare answers with. Exits non-zero on any
// mismatch. Inputs: ZONEPLANE_BASE_URL, ZONEPLANE_API_TOKEN, ZONEPLANE_REVOKED_TOKEN.
import assert from 'node:assert/strict';
import Cloudflare from 'cloudflare';

const baseURL = `${process.env.ZONEPLANE_BASE_URL}/client/v4`;
const options = { baseURL, maxRetries: 0, timeout: 20000 };

// No credentials at all (the header explicitly omitted, as the SDK allows): 400, 9106.
const anonymous = new Cloudflare({ ...options, defaultHeaders: { Authorization: null } });
await assert.rejects(anonymous.zones.list(), (e) => e instanceof Cloudflare.BadRequestError && e.status === 400
  && e.errors[0].code === 9106 && e.errors[0].message === 'Missing X-Auth-Key, X-Auth-Email or Authorization headers');

// A token that cannot be a bearer token: 400, 6003 "Invalid request headers" with 6111 in its chain.
const malformed = new Cloudflare({ ...options, apiToken: 'not a token' });
await assert.rejects(malformed.zones.list(), (e) => e instanceof Cloudflare.BadRequestError && e.status === 400
  && e.errors[0].code === 6003 && e.errors[0].message === 'Invalid request headers'
  && e.errors[0].error_chain[0].code === 6111
  && e.errors[0].error_chain[0].message === 'Invalid format for Authorization header');

// Well-formed but unknown, and revoked: 401 (AuthenticationError); 1000 "Invalid API Token" on verify.
for (const apiToken of ['zpt_' + 'A'.repeat(43), process.env.ZONEPLANE_REVOKED_TOKEN]) {
  const invalid = new Cloudflare({ ...options, apiToken });
  await assert.rejects(invalid.zones.list(), (e) => e instanceof Cloudflare.AuthenticationError && e.status === 401
    && e.errors[0].code === 10000);
  await assert.rejects(invalid.user.tokens.verify(), (e) => e instanceof Cloudflare.AuthenticationError
    && e.errors[0].code === 1000 && e.errors[0].message === 'Invalid API Token');
}

// A valid token verifies with Cloudflare's message in `messages`.
const client = new Cloudflare({ ...options, apiToken: process.env.ZONEPLANE_API_TOKEN });
const verified = await client.user.tokens.verify();
assert.equal(verified.status, 'active');
const body = await (await client.user.tokens.verify().asResponse()).json();
assert.deepEqual(body.messages, [{ code: 10000, message: 'This API Token is valid and active' }]);

console.log('SDK AUTH OK');

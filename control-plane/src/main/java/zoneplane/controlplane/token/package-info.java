/**
 * API tokens: creation (the secret shown once, stored as a digest), listing, revocation, expiry,
 * verification, and the cached lookup authentication uses on every request.
 */
package zoneplane.controlplane.token;

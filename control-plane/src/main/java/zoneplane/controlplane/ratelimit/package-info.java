/**
 * Rate limits shared by every replica: a per-account budget for API requests (Cloudflare's 1,200 per
 * five minutes by default) and a per-address budget for failed authentications, both as Bucket4j
 * buckets in an unlogged PostgreSQL table.
 */
package zoneplane.controlplane.ratelimit;

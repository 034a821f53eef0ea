/**
 * Cloudflare's Logpush job API for zones (jobs, destinations, {@code output_options}, filters, the
 * deprecated {@code logpull_options}) stored in PostgreSQL with an audit row per change, and the
 * node-facing feed that tells every node which jobs to deliver and takes their delivery reports. It may
 * depend on {@code shared-model} (the {@code http_requests} catalogue, filters and the wire feed),
 * {@code api}, {@code audit}, {@code zone}, {@code account}, {@code distribution} and Spring; nothing
 * else in the control plane depends on it.
 */
package zoneplane.controlplane.logpush;

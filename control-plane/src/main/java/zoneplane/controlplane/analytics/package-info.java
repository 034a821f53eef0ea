/**
 * Traffic analytics and usage: nodes' {@code UsageReport}s ingested exactly once per node, zone and minute,
 * rolled up into hours and days in time-partitioned tables, and read back through Cloudflare's GraphQL
 * Analytics API ({@code /graphql}) and the per-day and per-month usage endpoints. It may depend on
 * {@code shared-model} (the wire report), {@code api} (envelope and errors), {@code auth} (who may read
 * which zone), Spring (web, GraphQL, JDBC, scheduling) and Apache DataSketches; no other feature package
 * depends on its internals.
 */
package zoneplane.controlplane.analytics;

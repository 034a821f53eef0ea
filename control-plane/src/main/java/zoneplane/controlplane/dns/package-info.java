/**
 * The DNS records the edge publishes for a zone (SPEC §5.7), derived, not stored: an A record per edge
 * IPv4 address and, while the zone's {@code ipv6} setting is on, an AAAA record per edge IPv6 address.
 * Read-only, so tools that list records find the ones the edge serves.
 */
package zoneplane.controlplane.dns;

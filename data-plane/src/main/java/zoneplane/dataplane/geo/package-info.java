/**
 * IP geolocation inputs (SPEC §5.3): the IP-to-country databases (Debian's {@code tor-geoipdb} files or
 * {@code .mmdb}) and the Tor exit list, each behind a small immutable, thread-safe interface
 * ({@code CountryDatabase}, {@code TorExitNodes}) that is allocation-free per lookup, with swappable holders
 * so a reload never blocks a request.
 */
package zoneplane.dataplane.geo;

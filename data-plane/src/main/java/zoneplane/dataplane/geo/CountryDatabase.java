package zoneplane.dataplane.geo;

import java.net.InetAddress;

/**
 * Maps a visitor address to an ISO 3166-1 alpha-2 country code. Implementations are immutable,
 * thread-safe and allocation-free per lookup (they sit on the per-request path).
 */
public interface CountryDatabase {

    /** The upper-case two-letter code of {@code address} (IPv4 or IPv6), or {@code "XX"} when unknown. */
    String countryOf(InetAddress address);
}

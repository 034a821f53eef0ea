package zoneplane.dataplane.geo;

import java.net.InetAddress;
import java.util.List;

/**
 * Asks several tables in order and answers the first code that is not {@code XX}: Debian ships IPv4
 * and IPv6 in separate files, and an operator may put an {@code .mmdb} before them as the preferred
 * source. The address bytes are read once per lookup, not once per table. Immutable and thread-safe.
 */
final class FirstKnownCountry implements CountryDatabase {

    private final RangeCountryDatabase[] tables;

    FirstKnownCountry(List<RangeCountryDatabase> tables) {
        this.tables = tables.toArray(RangeCountryDatabase[]::new);
    }

    @Override
    public String countryOf(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (RangeCountryDatabase table : tables) {
            String country = table.countryOf(bytes);
            if (!RangeCountryDatabase.UNKNOWN.equals(country)) {
                return country;
            }
        }
        return RangeCountryDatabase.UNKNOWN;
    }

    @Override
    public String toString() {
        return "FirstKnownCountry" + List.of(tables);
    }
}

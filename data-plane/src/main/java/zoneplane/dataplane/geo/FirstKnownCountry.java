package zoneplane.dataplane.geo;

import java.net.InetAddress;
import java.util.List;

/**
 * Asks several databases in order and answers the first code that is not {@code XX}: Debian ships IPv4
 * and IPv6 in separate files, and an operator may put an {@code .mmdb} before them as the preferred
 * source. Immutable and thread-safe when its members are.
 */
final class FirstKnownCountry implements CountryDatabase {

    private final CountryDatabase[] databases;

    FirstKnownCountry(List<? extends CountryDatabase> databases) {
        this.databases = databases.toArray(CountryDatabase[]::new);
    }

    @Override
    public String countryOf(InetAddress address) {
        for (CountryDatabase database : databases) {
            String country = database.countryOf(address);
            if (!RangeCountryDatabase.UNKNOWN.equals(country)) {
                return country;
            }
        }
        return RangeCountryDatabase.UNKNOWN;
    }

    @Override
    public String toString() {
        return "FirstKnownCountry" + List.of(databases);
    }
}

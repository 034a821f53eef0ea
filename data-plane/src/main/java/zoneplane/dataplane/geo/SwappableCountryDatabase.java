package zoneplane.dataplane.geo;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A {@link CountryDatabase} whose tables arrive later: it answers {@code XX} until {@link #swap} hands it
 * the loaded database, so the node can bind its listeners before the IP-to-country files (about a second
 * for Debian's) are parsed. One volatile read per lookup; no lock.
 */
public final class SwappableCountryDatabase implements CountryDatabase {

    private static final CountryDatabase NOT_YET_LOADED = new CountryDatabase() {
        @Override
        public String countryOf(InetAddress address) {
            return RangeCountryDatabase.UNKNOWN;
        }

        @Override
        public String toString() {
            return "NotYetLoaded";
        }
    };

    private volatile CountryDatabase current = NOT_YET_LOADED;

    @Override
    public String countryOf(InetAddress address) {
        return current.countryOf(address);
    }

    /** From now on lookups go to {@code loaded}. */
    public void swap(CountryDatabase loaded) {
        current = Objects.requireNonNull(loaded);
    }

    /** Whether a database has been swapped in. */
    public boolean loaded() {
        return current != NOT_YET_LOADED;
    }

    @Override
    public String toString() {
        return "SwappableCountryDatabase{" + current + "}";
    }
}

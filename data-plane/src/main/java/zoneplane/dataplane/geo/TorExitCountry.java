package zoneplane.dataplane.geo;

import java.net.InetAddress;

/**
 * {@code CF-IPCountry} as Cloudflare fills it: {@code T1} for a Tor exit node, otherwise the country
 * database's answer ({@code XX} when unknown). A decorator, so the proxy asks one object per request.
 * Immutable and thread-safe when its parts are (both of ours are).
 */
public final class TorExitCountry implements CountryDatabase {

    /** The pseudo-country Cloudflare reports for Tor exit nodes. */
    public static final String TOR = "T1";

    private final CountryDatabase countries;
    private final TorExitNodes exits;

    public TorExitCountry(CountryDatabase countries, TorExitNodes exits) {
        this.countries = countries;
        this.exits = exits;
    }

    @Override
    public String countryOf(InetAddress address) {
        return exits.isExit(address) ? TOR : countries.countryOf(address);
    }

    @Override
    public String toString() {
        return "TorExitCountry[" + exits + " then " + countries + "]";
    }
}

package zoneplane.dataplane;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.geo.CountryDatabase;
import zoneplane.dataplane.geo.TorExitNodes;

/**
 * The node's geolocation inputs (SPEC §5.3): the IP-to-country database and the Tor exit list.
 * This is the one place {@code main} builds them; the loaders live in {@code zoneplane.dataplane.geo}.
 * Whatever is missing, the node still serves: unknown countries answer {@code XX}, and the operator is
 * told once at start what to install.
 */
public record GeoInputs(CountryDatabase countries, TorExitNodes torExits) implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GeoInputs.class);

    /** Answers {@code XX} for every address: the database of a node that has none. */
    public static final CountryDatabase NO_COUNTRIES = new CountryDatabase() {
        @Override
        public String countryOf(InetAddress address) {
            return "XX";
        }

        @Override
        public String toString() {
            return "NoCountryDatabase";
        }
    };

    /** Knows no exit node: the list of a node without {@code ZONEPLANE_TOR_EXITS_FILE}. */
    public static final TorExitNodes NO_TOR_EXITS = new TorExitNodes() {
        @Override
        public boolean isExit(InetAddress address) {
            return false;
        }

        @Override
        public String toString() {
            return "NoTorExitList";
        }
    };

    /**
     * Builds the inputs {@code config} names. The file loaders of {@code zoneplane.dataplane.geo} plug in
     * here ({@code GeoIpDatabases.load(config.geoipFiles())}, {@code TorExitList.watch(file, …)});
     * until they are on this branch, a node answers {@code XX} and knows no exit, and says so once.
     */
    public static GeoInputs load(DataPlaneConfig config) {
        List<Path> present = config.geoipFiles().stream().filter(Files::isReadable).toList();
        if (present.isEmpty()) {
            log.warn("No IP-to-country database found at {}: CF-IPCountry will be XX for every visitor. "
                    + "Install Debian's tor-geoipdb (apt-get install tor-geoipdb, files in /usr/share/tor/geoip "
                    + "and /usr/share/tor/geoip6) or point ZONEPLANE_GEOIP_FILES at your files.", config.geoipFiles());
        } else {
            log.warn("IP-to-country files {} are present but this build has no loader wired for them: "
                    + "CF-IPCountry will be XX", present);
        }
        if (config.torExitsFile().isEmpty()) {
            log.warn("ZONEPLANE_TOR_EXITS_FILE is not set: no visitor is recognised as a Tor exit "
                    + "(no CF-IPCountry T1, no onion alt-svc)");
        }
        if (config.onionAddress().isEmpty()) {
            log.warn("ZONEPLANE_ONION_ADDRESS is not set: opportunistic_onion adds no alt-svc header");
        }
        return new GeoInputs(NO_COUNTRIES, NO_TOR_EXITS);
    }

    @Override
    public void close() {
        if (torExits instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("closing the Tor exit list failed", e);
            }
        }
    }
}

package zoneplane.dataplane;

import java.net.InetAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.geo.CountryDatabase;
import zoneplane.dataplane.geo.ExitListReload;
import zoneplane.dataplane.geo.GeoIpDatabases;
import zoneplane.dataplane.geo.LoadedCountryDatabase;
import zoneplane.dataplane.geo.TorExitList;
import zoneplane.dataplane.geo.TorExitNodes;

/**
 * The node's geolocation inputs (SPEC §5.3): the IP-to-country database and the Tor exit list.
 * This is the one place {@code main} builds them; the loaders live in {@code zoneplane.dataplane.geo}.
 * Whatever is missing, the node still serves: unknown countries answer {@code XX}, and the operator is
 * told once at start what to install.
 */
public record GeoInputs(CountryDatabase countries, TorExitNodes torExits) implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GeoInputs.class);
    private static final Duration EXIT_LIST_POLL = Duration.ofSeconds(30);

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
     * Loads the IP-to-country files ({@code ZONEPLANE_GEOIP_FILES}, Debian tor-geoipdb by default) and
     * starts watching the Tor exit list ({@code ZONEPLANE_TOR_EXITS_FILE}). Missing inputs are logged
     * once; a geolocation file that exists but is malformed fails the start ({@code GeoFileException}).
     */
    public static GeoInputs load(DataPlaneConfig config) {
        LoadedCountryDatabase countries = GeoIpDatabases.load(config.geoipFiles());
        countries.warnings().forEach(log::warn);
        if (!countries.tables().isEmpty()) {
            log.info("IP geolocation from {}", countries.tables());
        }
        TorExitNodes torExits = config.torExitsFile()
                .<TorExitNodes>map(file -> TorExitList.watch(file, EXIT_LIST_POLL, GeoInputs::report))
                .orElse(NO_TOR_EXITS);
        if (config.torExitsFile().isEmpty()) {
            log.warn("ZONEPLANE_TOR_EXITS_FILE is not set: no visitor is recognised as a Tor exit "
                    + "(no CF-IPCountry T1, no onion alt-svc)");
        }
        if (config.onionAddress().isEmpty()) {
            log.warn("ZONEPLANE_ONION_ADDRESS is not set: opportunistic_onion adds no alt-svc header");
        }
        return new GeoInputs(countries.database(), torExits);
    }

    private static void report(ExitListReload reload) {
        if (reload instanceof ExitListReload.Applied applied) {
            log.info("Tor exit list {}: {} addresses", applied.file(), applied.addresses());
        } else if (reload instanceof ExitListReload.Failed failed) {
            log.warn("Tor exit list {} not applied: {}", failed.file(), failed.reason());
        }
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

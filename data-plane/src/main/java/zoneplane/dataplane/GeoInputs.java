package zoneplane.dataplane;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.geo.CountryDatabase;
import zoneplane.dataplane.geo.ExitListReload;
import zoneplane.dataplane.geo.GeoFileException;
import zoneplane.dataplane.geo.GeoIpDatabases;
import zoneplane.dataplane.geo.LoadedCountryDatabase;
import zoneplane.dataplane.geo.SwappableCountryDatabase;
import zoneplane.dataplane.geo.SwappableTorExitNodes;
import zoneplane.dataplane.geo.TorExitList;
import zoneplane.dataplane.geo.TorExitNodes;

/**
 * The node's geolocation inputs (SPEC §5.3): the IP-to-country database and the Tor exit list.
 * This is the one place {@code main} builds them; the loaders live in {@code zoneplane.dataplane.geo}.
 * Whatever is missing, the node still serves: unknown countries answer {@code XX}, and the operator is
 * told once at start what to install.
 *
 * @param countries the database the proxy asks
 * @param torExits the exit list the proxy asks
 * @param loaded whether both are loaded (a background load may still be running, or may have failed)
 */
public record GeoInputs(CountryDatabase countries, TorExitNodes torExits, BooleanSupplier loaded)
        implements AutoCloseable {

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
     * starts watching the Tor exit list ({@code ZONEPLANE_TOR_EXITS_FILE}), before returning. Missing
     * inputs are logged once; a geolocation file that exists but is malformed throws
     * ({@code GeoFileException}).
     */
    public static GeoInputs load(DataPlaneConfig config) {
        warnUnsetInputs(config);
        CountryDatabase countries = loadCountries(config);
        TorExitNodes torExits = loadTorExits(config);
        return new GeoInputs(countries, torExits, () -> true);
    }

    /**
     * Inputs that answer {@code XX} and "not a Tor exit" until {@link #loadInBackground} has loaded the
     * files and swapped them in. A node can bind its listeners with these at once (SPEC §8 cold start).
     */
    public static GeoInputs pending() {
        SwappableCountryDatabase countries = new SwappableCountryDatabase();
        SwappableTorExitNodes torExits = new SwappableTorExitNodes();
        return new GeoInputs(countries, torExits, () -> countries.loaded() && torExits.loaded());
    }

    /**
     * Loads the files of {@code config} on a background thread into these {@link #pending} inputs, then
     * logs and {@link #loaded} turns true. Parsing Debian's files takes about a second of both cores on a
     * cold JVM: started once the listeners are bound, it does not delay serving. A malformed file is
     * logged as an error and {@code CF-IPCountry} stays {@code XX}: the node is serving by then, and an
     * unknown country is better than a stopped edge.
     */
    public void loadInBackground(DataPlaneConfig config) {
        if (!(countries instanceof SwappableCountryDatabase) || !(torExits instanceof SwappableTorExitNodes)) {
            throw new IllegalStateException("only pending() inputs load in the background");
        }
        SwappableCountryDatabase swappableCountries = (SwappableCountryDatabase) countries;
        SwappableTorExitNodes swappableExits = (SwappableTorExitNodes) torExits;
        warnUnsetInputs(config);
        Thread loader = new Thread(() -> {
            long started = System.nanoTime();
            try {
                swappableExits.swap(loadTorExits(config));
                swappableCountries.swap(loadCountries(config));
                log.info("IP geolocation ready, loaded in {} ms in the background",
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
            } catch (GeoFileException | UncheckedIOException e) {
                log.error("IP geolocation not loaded, CF-IPCountry stays XX: {}", e.getMessage());
            }
        }, "zoneplane-geo-load");
        loader.setDaemon(true);
        loader.start();
    }

    private static CountryDatabase loadCountries(DataPlaneConfig config) {
        LoadedCountryDatabase countries = GeoIpDatabases.load(config.geoipFiles());
        countries.warnings().forEach(log::warn);
        if (!countries.tables().isEmpty()) {
            log.info("IP geolocation from {}", countries.tables());
        }
        return countries.database();
    }

    private static TorExitNodes loadTorExits(DataPlaneConfig config) {
        return config.torExitsFile()
                .<TorExitNodes>map(file -> TorExitList.watch(file, EXIT_LIST_POLL, GeoInputs::report))
                .orElse(NO_TOR_EXITS);
    }

    private static void warnUnsetInputs(DataPlaneConfig config) {
        if (config.torExitsFile().isEmpty()) {
            log.warn("ZONEPLANE_TOR_EXITS_FILE is not set: no visitor is recognised as a Tor exit "
                    + "(no CF-IPCountry T1, no onion alt-svc)");
        }
        if (config.onionAddress().isEmpty()) {
            log.warn("ZONEPLANE_ONION_ADDRESS is not set: opportunistic_onion adds no alt-svc header");
        }
    }

    private static void report(ExitListReload reload) {
        if (reload instanceof ExitListReload.Applied applied) {
            log.info("Tor exit list {}: {} addresses", applied.file(), applied.addresses());
        } else if (reload instanceof ExitListReload.Failed failed) {
            log.warn("Tor exit list {} not applied: {}", failed.file(), failed.reason());
        }
    }

    /** Registers {@code zoneplane_geo_loaded}: 1 once the country database and exit list are loaded, else 0. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("zoneplane.geo.loaded", this, geo -> geo.loaded().getAsBoolean() ? 1 : 0)
                .description("1 once the IP-to-country database and Tor exit list are loaded; until then "
                        + "CF-IPCountry is XX")
                .register(registry);
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

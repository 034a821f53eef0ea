package zoneplane.dataplane.config;

import static zoneplane.dataplane.config.DataPlaneConfigLoader.GEOIP_FILES;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.ONION_ADDRESS;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.TOR_EXITS_FILE;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the node knows of visitors' networks: IP geolocation files, the Tor exit list and its onion name. */
record VisitorSection(List<Path> geoipFiles, Optional<Path> torExits, Optional<String> onion) {

    static VisitorSection read(ConfigValues values) {
        List<Path> geoip = values.paths(GEOIP_FILES).orElse(DataPlaneConfig.DEBIAN_GEOIP_FILES);
        Optional<Path> torExits = values.path(TOR_EXITS_FILE, false);
        Optional<String> onion = values.text(ONION_ADDRESS).map(v -> v.toLowerCase(Locale.ROOT))
                .filter(host -> validOnion(host, values));
        return new VisitorSection(geoip, torExits, onion);
    }

    /** A v3 onion service name: 56 base32 characters then {@code .onion}. */
    private static boolean validOnion(String host, ConfigValues values) {
        boolean ok = host.length() == 62 && host.endsWith(".onion");
        for (int i = 0; ok && i < 56; i++) {
            char c = host.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
        }
        if (!ok) {
            values.problem(ONION_ADDRESS + " must be a v3 onion host name (56 base32 characters + .onion), got '"
                    + host + "'");
        }
        return ok;
    }
}

package zoneplane.model;

import java.util.Locale;
import java.util.Objects;

/**
 * What the data plane needs to serve one zone: identity, routing and effective settings.
 *
 * @param id 32 lowercase hex characters
 * @param name lower-cased hostname, e.g. {@code example.com}
 * @param origin the origin base URL ({@code http://10.0.0.5:8080}), or the empty string while the zone has none
 * @param paused a paused zone is proxied to its origin with no setting applied
 */
public record ZoneConfig(String id, String name, Plan plan, String origin, boolean paused, ZoneSettings settings) {

    public ZoneConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(origin, "origin (empty string when none)");
        Objects.requireNonNull(settings, "settings");
        if (!isZoneId(id)) {
            throw new IllegalArgumentException("zone id must be 32 lowercase hex characters: " + id);
        }
        if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("zone name must be a non-empty lower-case hostname: " + name);
        }
    }

    public boolean hasOrigin() {
        return !origin.isEmpty();
    }

    public static boolean isZoneId(String candidate) {
        // 32 lower-case hex digits. A loop, not a regex: a node starting from a 100k-zone cache checks
        // every id, and in a cold JVM the regex cost several times the loop (bench/README.md, "Figures
        // behind the code").
        if (candidate == null || candidate.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = candidate.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }
}

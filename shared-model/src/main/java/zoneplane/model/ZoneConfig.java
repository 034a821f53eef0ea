package zoneplane.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the data plane needs to serve one zone: identity, routing and effective settings.
 *
 * @param id 32 lowercase hex characters
 * @param name lower-cased hostname, e.g. {@code example.com}
 * @param origin the origin base URL ({@code http://10.0.0.5:8080}), or the empty string while the zone has none
 * @param paused a paused zone is proxied to its origin with no setting applied
 */
public record ZoneConfig(String id, String name, Plan plan, String origin, boolean paused, ZoneSettings settings) {

    private static final Pattern ZONE_ID = Pattern.compile("[0-9a-f]{32}");

    public ZoneConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(origin, "origin (empty string when none)");
        Objects.requireNonNull(settings, "settings");
        if (!ZONE_ID.matcher(id).matches()) {
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
        return candidate != null && ZONE_ID.matcher(candidate).matches();
    }
}

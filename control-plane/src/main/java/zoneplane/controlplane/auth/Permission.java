package zoneplane.controlplane.auth;

import java.util.Optional;

/**
 * What an API token may do (SPEC §3.3), by its Cloudflare-style wire name. An edit permission
 * includes reading the same thing: a token that may change a zone's settings may also see them.
 * {@code account:admin} manages the account's tokens and reads its audit log; it grants nothing on
 * zones by itself (though an admin can of course mint a token that does).
 */
public enum Permission {
    ZONE_READ("zone:read"),
    ZONE_EDIT("zone:edit"),
    ZONE_SETTINGS_READ("zone_settings:read"),
    ZONE_SETTINGS_EDIT("zone_settings:edit"),
    ACCOUNT_ADMIN("account:admin"),
    /** Traffic analytics of the token's zones: the GraphQL Analytics API and the usage endpoints. */
    ANALYTICS_READ("analytics:read"),
    LOGS_READ("logs:read"),
    LOGS_EDIT("logs:edit");

    private final String wire;

    Permission(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** True when holding this permission allows what {@code needed} allows. */
    public boolean covers(Permission needed) {
        if (this == needed) {
            return true;
        }
        return (this == ZONE_EDIT && needed == ZONE_READ)
                || (this == ZONE_SETTINGS_EDIT && needed == ZONE_SETTINGS_READ)
                || (this == LOGS_EDIT && needed == LOGS_READ);
    }

    public static Optional<Permission> fromWire(String wire) {
        for (Permission p : values()) {
            if (p.wire.equals(wire)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}

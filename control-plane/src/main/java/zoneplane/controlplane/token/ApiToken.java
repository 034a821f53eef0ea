package zoneplane.controlplane.token;

import java.time.Instant;
import java.util.List;
import zoneplane.controlplane.auth.Permission;

/**
 * An API token as stored, without its secret or digest. {@code zoneIds} is null for an
 * account-wide token.
 */
record ApiToken(
        String id,
        String accountId,
        String name,
        List<Permission> permissions,
        List<String> zoneIds,
        Instant expiresOn,
        Instant revokedOn,
        Instant createdOn,
        Instant lastUsedOn) {

    ApiToken {
        permissions = List.copyOf(permissions);
        zoneIds = zoneIds == null ? null : List.copyOf(zoneIds);
    }

    String status(Instant now) {
        if (revokedOn != null) {
            return "revoked";
        }
        return expiresOn != null && !now.isBefore(expiresOn) ? "expired" : "active";
    }
}

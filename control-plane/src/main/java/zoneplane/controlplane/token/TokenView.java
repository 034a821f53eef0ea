package zoneplane.controlplane.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import zoneplane.controlplane.api.Timestamps;
import zoneplane.controlplane.auth.Permission;

/**
 * A token as the API shows it: never its secret or digest. {@code zones} is null for an
 * account-wide token; {@code status} is active, expired or revoked.
 */
record TokenView(
        String id,
        String name,
        String status,
        List<String> permissions,
        List<String> zones,
        @JsonProperty("expires_on") String expiresOn,
        @JsonProperty("created_on") String createdOn,
        @JsonProperty("last_used_on") String lastUsedOn,
        @JsonProperty("revoked_on") String revokedOn) {

    static TokenView of(ApiToken token, Instant now) {
        return new TokenView(token.id(), token.name(), token.status(now),
                token.permissions().stream().map(Permission::wire).toList(), token.zoneIds(),
                Timestamps.format(token.expiresOn()), Timestamps.format(token.createdOn()),
                Timestamps.format(token.lastUsedOn()), Timestamps.format(token.revokedOn()));
    }
}

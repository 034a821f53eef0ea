package zoneplane.controlplane.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to token creation: the token as {@link TokenView} shows it plus {@code value}, the
 * secret, which is shown here once and never again (only its digest is stored).
 */
record CreatedToken(
        String id,
        String name,
        String status,
        List<String> permissions,
        List<String> zones,
        @JsonProperty("expires_on") String expiresOn,
        @JsonProperty("created_on") String createdOn,
        @JsonProperty("last_used_on") String lastUsedOn,
        @JsonProperty("revoked_on") String revokedOn,
        String value) {

    static CreatedToken of(TokenView view, String value) {
        return new CreatedToken(view.id(), view.name(), view.status(), view.permissions(), view.zones(), view.expiresOn(),
                view.createdOn(), view.lastUsedOn(), view.revokedOn(), value);
    }

    /** Records print their fields; this one must not print the secret. */
    @Override
    public String toString() {
        return "CreatedToken[" + id + ", value=<redacted>]";
    }
}

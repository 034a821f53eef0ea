package zoneplane.controlplane.auth;

import java.time.Instant;
import java.util.Set;

/**
 * An API token as the authentication filter needs it: identity, digest, rights and validity.
 * Revoked and expired tokens are returned too, so the filter decides (and says nothing more
 * specific than "invalid" to the caller).
 */
public record StoredToken(
        String id,
        String accountId,
        byte[] digest,
        Set<Permission> permissions,
        ZoneScope zones,
        Instant expiresOn,
        Instant revokedOn,
        Instant lastUsedOn) {

    public StoredToken {
        digest = digest.clone();
        permissions = Set.copyOf(permissions);
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** The same token, last used at {@code now}. */
    public StoredToken usedAt(Instant now) {
        return new StoredToken(id, accountId, digest, permissions, zones, expiresOn, revokedOn, now);
    }

    public boolean usableAt(Instant now) {
        return revokedOn == null && (expiresOn == null || now.isBefore(expiresOn));
    }

    @Override
    public String toString() {
        return "StoredToken[" + id + " of " + accountId + "]";
    }
}

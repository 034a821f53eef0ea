package zoneplane.controlplane.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the authentication filter looks API tokens up (implemented by the token feature, so that
 * authentication does not depend on how tokens are managed).
 */
public interface TokenCredentials {

    /** The token whose secret has this SHA-256 digest, revoked or expired ones included. */
    Optional<StoredToken> findByDigest(byte[] digest);

    /** Records that the token was used at {@code now} (implementations may coarsen this). */
    void markUsed(StoredToken token, Instant now);
}

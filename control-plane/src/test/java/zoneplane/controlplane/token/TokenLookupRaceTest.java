package zoneplane.controlplane.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import zoneplane.controlplane.auth.AuthProperties;
import zoneplane.controlplane.auth.SecurityFixtures.Issued;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.controlplane.auth.StoredToken;
import zoneplane.controlplane.auth.TokenDigest;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;

/**
 * A lookup that read a token just before its revocation was announced must not leave the old row
 * remembered: the next lookup goes to the database. The revocation is made to land inside the first
 * lookup, between its database read and its remembering.
 */
class TokenLookupRaceTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRevocationAnnouncedDuringALookupIsNotUndoneByIt() {
        SecurityFixtures fixtures = new SecurityFixtures(api(), jdbc);
        Issued token = fixtures.token(fixtures.account(), "zone:read");
        byte[] digest = TokenDigest.sha256(token.value());

        AtomicBoolean revokeDuringRead = new AtomicBoolean(true);
        TokenLookup[] lookup = new TokenLookup[1];
        ApiTokenRepository repository = new ApiTokenRepository(jdbc) {
            @Override
            Optional<StoredToken> findByDigest(byte[] presented) {
                Optional<StoredToken> found = super.findByDigest(presented);
                if (revokeDuringRead.getAndSet(false)) {
                    jdbc.sql("update api_tokens set revoked_on = now() where id = :id").param("id", token.id()).update();
                    lookup[0].notified(token.id()); // the announcement arrives before the lookup remembers
                }
                return found;
            }
        };
        lookup[0] = new TokenLookup(repository, new AuthProperties(false, Duration.ofHours(1)));
        lookup[0].listening();

        // the request in flight during the revocation still sees the row it read
        assertThat(lookup[0].findByDigest(digest)).get().matches(t -> t.usableAt(Instant.now()));
        // the next one does not get that row back from memory
        assertThat(lookup[0].findByDigest(digest)).get().matches(t -> !t.usableAt(Instant.now()), "revoked");
    }
}

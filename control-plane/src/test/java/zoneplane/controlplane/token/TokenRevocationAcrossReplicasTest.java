package zoneplane.controlplane.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import zoneplane.controlplane.auth.SecurityFixtures.Issued;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.controlplane.distribution.NotificationListener;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.Replicas;
import zoneplane.testing.ApiClient;

/**
 * Replicas remember the tokens they looked up, and a revocation still takes effect on every replica
 * at once: it is announced to all of them. The replica under test remembers tokens for an hour, so
 * only the announcement (or its listener being down) can explain a refusal within the test.
 */
class TokenRevocationAcrossReplicasTest extends ControlPlaneIntegrationTest {

    private static final String VERIFY = "/user/tokens/verify";

    @Autowired
    Environment environment;

    @Autowired
    JdbcClient jdbc;

    private SecurityFixtures fixtures;
    private String account;
    private ConfigurableApplicationContext replica;
    private ApiClient onReplica;

    @BeforeEach
    void startReplicaThatRemembersTokensForAnHour() {
        fixtures = new SecurityFixtures(api(), jdbc);
        account = fixtures.account();
        replica = Replicas.start(environment, "zoneplane-control-plane-remembering", "--zoneplane.auth.token-cache-ttl=1h");
        onReplica = new ApiClient("http://127.0.0.1:" + Replicas.port(replica));
        // the replica remembers tokens only once its LISTEN connection is up
        await().atMost(Duration.ofSeconds(30)).alias("the replica listening for revocations").until(() -> listens(replica));
    }

    @AfterEach
    void stopReplica() {
        replica.close();
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceWhereItWasRevokedAndSoonOnEveryOtherReplica() {
        Issued token = fixtures.token(account, "zone:read");
        assertThat(onReplica.withToken(token.value()).get(VERIFY).status()).isEqualTo(200);
        assertThat(anonymous().withToken(token.value()).get(VERIFY).status()).isEqualTo(200);

        assertThat(api().delete("/accounts/" + account + "/tokens/" + token.id()).status()).isEqualTo(200);

        // the revoking replica: the very next request
        ApiClient.Response here = anonymous().withToken(token.value()).get(VERIFY);
        assertThat(here.status()).as(here.toString()).isEqualTo(401);
        assertThat(here.errorCode()).isEqualTo(1000); // Cloudflare's "Invalid API Token" on the verify endpoint
        // the other replica, which remembered the token: as soon as the announcement arrives
        await().atMost(Duration.ofSeconds(5)).alias("the other replica refusing the revoked token")
                .until(() -> onReplica.withToken(token.value()).get(VERIFY).status() == 401);
    }

    @Test
    void tokensAreRememberedOnlyWhileTheReplicaListensForRevocations() {
        Issued token = fixtures.token(account, "zone:read");
        assertThat(onReplica.withToken(token.value()).get(VERIFY).status()).isEqualTo(200);

        // revoked by hand in the database: nothing announces it, so the replica still remembers the token
        revokeByHand(token);
        assertThat(onReplica.withToken(token.value()).get(VERIFY).status()).isEqualTo(200);

        // without its LISTEN connection the replica could miss an announcement: it looks every token up
        NotificationListener listener = replica.getBean(NotificationListener.class);
        listener.stop();
        assertThat(onReplica.withToken(token.value()).get(VERIFY).status()).isEqualTo(401);

        Issued other = fixtures.token(account, "zone:read");
        assertThat(onReplica.withToken(other.value()).get(VERIFY).status()).isEqualTo(200);
        revokeByHand(other);
        assertThat(onReplica.withToken(other.value()).get(VERIFY).status()).as("not remembered while deaf").isEqualTo(401);

        listener.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> listens(replica));
        assertThat(onReplica.withToken(token.value()).get(VERIFY).status()).isEqualTo(401);
    }

    @Test
    void whatIsRememberedExpiresAfterTheConfiguredTime() {
        ConfigurableApplicationContext brief = Replicas.start(environment, "zoneplane-control-plane-brief",
                "--zoneplane.auth.token-cache-ttl=3s");
        try {
            ApiClient onBrief = new ApiClient("http://127.0.0.1:" + Replicas.port(brief));
            await().atMost(Duration.ofSeconds(30)).until(() -> listens(brief));
            Issued token = fixtures.token(account, "zone:read");
            assertThat(onBrief.withToken(token.value()).get(VERIFY).status()).isEqualTo(200);
            revokeByHand(token);
            assertThat(onBrief.withToken(token.value()).get(VERIFY).status()).as("remembered").isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).alias("the hand revocation seen once the token is forgotten")
                    .until(() -> onBrief.withToken(token.value()).get(VERIFY).status() == 401);
        } finally {
            brief.close();
        }
    }

    private void revokeByHand(Issued token) {
        jdbc.sql("update api_tokens set revoked_on = now() where id = :id").param("id", token.id()).update();
    }

    private static boolean listens(ConfigurableApplicationContext context) {
        return context.getBean(TokenLookup.class).remembering();
    }
}

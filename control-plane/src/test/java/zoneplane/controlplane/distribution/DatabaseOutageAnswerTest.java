package zoneplane.controlplane.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.testing.ApiClient;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.Envelopes;
import zoneplane.testing.StandalonePostgres;

/**
 * While PostgreSQL is down, the API answers every request, including those whose authentication or
 * rate limit needs the database, with 503, code 9503 and Retry-After in the envelope, quickly (not
 * after a pool's default 30 s), and serves again once it is back.
 */
class DatabaseOutageAnswerTest {

    @TempDir
    Path dir;

    @Test
    void databaseDownIsA503WithRetryAfterAndServiceResumesAfterIt() throws Exception {
        try (StandalonePostgres postgres = new StandalonePostgres(dir.resolve("pgdata"));
                EmbeddedControlPlane controlPlane = EmbeddedControlPlane.start(postgres.database(), 0,
                        Map.of("zoneplane.database.connection-timeout-ms", "1500",
                                "zoneplane.rate-limit.enabled", "true"))) {
            ApiClient api = controlPlane.api();
            String account = Envelopes.assertSuccess(api.post("/accounts", "{\"name\":\"Outage\"}")).get("id").asString();
            String zoneId = Envelopes.assertSuccess(api.post("/zones", "{\"account\":{\"id\":\"" + account
                    + "\"},\"name\":\"outage.example.com\",\"origin\":\"http://127.0.0.1:9\"}")).get("id").asString();

            postgres.stop();
            long started = System.nanoTime();
            ApiClient.Response patch = api.patch("/zones/" + zoneId + "/settings/websockets", "{\"value\":\"off\"}");
            ApiClient.Response read = api.get("/zones/" + zoneId + "/settings");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            for (ApiClient.Response answer : new ApiClient.Response[] {patch, read}) {
                assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
                assertThat(answer.errorCode()).isEqualTo(9503);
                assertThat(answer.header("Retry-After")).hasValue("5");
                assertThat(answer.json().get("success").asBoolean()).isFalse();
                assertThat(answer.body()).doesNotContain("SQL", "Exception", "postgres");
            }
            assertThat(took).isLessThan(Duration.ofSeconds(20));

            postgres.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.patch("/zones/" + zoneId + "/settings/websockets", "{\"value\":\"off\"}").status() == 200);
            assertThat(api.get("/zones/" + zoneId + "/settings/websockets").result().get("value").asString()).isEqualTo("off");
        }
    }
}

package zoneplane.controlplane.setting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.Replicas;
import zoneplane.controlplane.support.RevisionLockHolder;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/**
 * A replica told to stop while setting changes wait for the writer still writes them: the web
 * server's graceful shutdown waits for their requests, and the writer stops only after it, having
 * written what was queued, before the database pool closes.
 */
class GracefulShutdownWithQueuedChangesTest extends ControlPlaneIntegrationTest {

    @Autowired
    Environment environment;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void changesWaitingForTheWriterAreWrittenAndAnsweredBeforeTheReplicaStops() throws Exception {
        Fixtures fixtures = new Fixtures(api());
        List<String> zones = List.of(fixtures.zoneId("free"), fixtures.zoneId("free"), fixtures.zoneId("free"));
        ConfigurableApplicationContext replica = Replicas.start(environment, "zoneplane-control-plane-stopping");
        int port = Replicas.port(replica);
        ApiClient stopping = new ApiClient("http://127.0.0.1:" + port).withToken(OPERATOR_TOKEN);

        List<CompletableFuture<ApiClient.Response>> answers = new ArrayList<>();
        CompletableFuture<Void> stopped;
        try (RevisionLockHolder lock = new RevisionLockHolder(dataSource)) {
            // a slow writer elsewhere holds the revision lock: the replica's first change waits for it
            // in the writer's transaction, and only then are the others sent, so they queue behind it
            // (sent together, the writer could take two of them into its first batch)
            answers.add(patchWebsocketsOff(stopping, zones.get(0)));
            await().atMost(Duration.ofSeconds(30)).alias("the first change to wait for the revision lock")
                    .until(lock::othersWait);
            for (String zone : zones.subList(1, zones.size())) {
                answers.add(patchWebsocketsOff(stopping, zone));
            }
            await().atMost(Duration.ofSeconds(30)).alias("the other changes queued behind it")
                    .until(() -> replica.getBean(MeterRegistry.class)
                            .get("zoneplane.settings.write.queued").gauge().value() == zones.size() - 1);

            stopped = CompletableFuture.runAsync(replica::close);
            await().atMost(Duration.ofSeconds(30)).until(() -> !accepts(port));
            assertThat(answers).allSatisfy(answer -> assertThat(answer).isNotDone());
        }

        stopped.get(30, TimeUnit.SECONDS);
        // every queued change was written before the replica's database pool closed
        for (String zone : zones) {
            assertThat(api().get("/zones/" + zone + "/settings/websockets").result().get("value").asString()).isEqualTo("off");
            assertThat(jdbc.sql("select count(*) from audit_log where zone_id = :z and setting_id = 'websockets'")
                    .param("z", zone).query(Long.class).single()).isEqualTo(1);
        }
        // Each answer that reached the client is the success. (Tomcat counts a request done when the
        // servlet returns, a moment before its last bytes are flushed, so a response finishing just as
        // graceful shutdown checks may still be cut off: that race is the web server's, not the writer's.)
        for (CompletableFuture<ApiClient.Response> answer : answers) {
            try {
                ApiClient.Response response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                assertThat(response.header("Zoneplane-Revision")).isPresent();
            } catch (java.util.concurrent.ExecutionException cutOff) {
                assertThat(cutOff).hasRootCauseInstanceOf(java.io.EOFException.class);
            }
        }
    }

    private static CompletableFuture<ApiClient.Response> patchWebsocketsOff(ApiClient client, String zone) {
        return CompletableFuture.supplyAsync(
                () -> client.patch("/zones/" + zone + "/settings/websockets", "{\"value\":\"off\"}"));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}

package zoneplane.system.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import zoneplane.dataplane.support.LogReceiver;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Envelopes;

/**
 * Issue 23 across both planes: a Logpush job created through the real API reaches a real node over the
 * job feed, the node delivers the zone's requests to a real HTTP receiver with the job's fields and
 * headers, and the status the API shows for the job ({@code last_complete}, {@code last_error},
 * {@code error_message}) is what the node reported: a delivery, then a failing destination named with
 * the node, then the recovery.
 */
class LogpushStatusAgreesTest {

    static final String NODE = "e2e-logpush";

    @RegisterExtension
    static final EdgeExtension edge = new EdgeExtension(NODE, Map.of("ZONEPLANE_LOGPUSH_POLL_INTERVAL", "1s",
            "ZONEPLANE_LOGPUSH_RETRY_MIN", "200ms", "ZONEPLANE_LOGPUSH_RETRY_MAX", "2s"));
    static final LogReceiver receiver = new LogReceiver();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void theJobsStatusInTheApiIsWhatTheNodeDeliveredAndReported() throws Exception {
        ApiClient api = edge.api();
        String zoneId = edge.createZone("logs.example.com");
        String jobs = "/client/v4/zones/" + zoneId + "/logpush/jobs";
        long job = Envelopes.assertSuccess(api.post(jobs, "{\"name\":\"logs-example-com\",\"dataset\":\"http_requests\","
                + "\"enabled\":true,\"destination_conf\":\"" + receiver.url("/sys?header_Authorization=Bearer%20e2e") + "\","
                + "\"output_options\":{\"field_names\":[\"RayID\",\"ClientRequestHost\",\"EdgeResponseStatus\"],"
                + "\"timestamp_format\":\"rfc3339\"}}")).get("id").asLong();
        // the node runs the job once its feed poll saw it; only requests from then on are logged
        await().atMost(Duration.ofSeconds(30)).until(() -> jobsRunning() == 1);
        Instant sent = Instant.now();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(edge.node().get("logs.example.com")).startsWith("HTTP/1.1 200"));

        // the node's batch seals max_upload_interval_seconds (its 30 s default) after the first record
        await().atMost(Duration.ofSeconds(60)).until(() -> !receiver.records("/sys").isEmpty());
        Map<String, Object> record = receiver.records("/sys").get(0);
        assertThat(List.copyOf(record.keySet())).containsExactly("RayID", "ClientRequestHost", "EdgeResponseStatus");
        assertThat(record).containsEntry("ClientRequestHost", "logs.example.com").containsEntry("EdgeResponseStatus", 200L);
        assertThat(receiver.posts("/sys").get(0).headers()).containsEntry("authorization", "Bearer e2e");
        JsonNode delivered = await().atMost(Duration.ofSeconds(20)).until(() -> status(api, jobs, job),
                s -> !s.get("last_complete").isNull());
        assertThat(Instant.parse(delivered.get("last_complete").asString())).isAfter(sent.minusSeconds(1));
        assertThat(delivered.get("last_error").isNull()).isTrue();
        assertThat(delivered.get("error_message").isNull()).isTrue();

        receiver.mode(LogReceiver.Mode.DOWN);
        edge.node().get("logs.example.com");
        JsonNode failing = await().atMost(Duration.ofSeconds(60)).until(() -> status(api, jobs, job),
                s -> !s.get("last_error").isNull());
        assertThat(failing.get("error_message").asString()).isEqualTo("node " + NODE + ": HTTP 503 from 127.0.0.1");
        assertThat(Instant.parse(failing.get("last_error").asString()))
                .isAfter(Instant.parse(failing.get("last_complete").asString()));

        // the node retries the failed batch within its backoff (2 s at most here)
        receiver.mode(LogReceiver.Mode.ACCEPT);
        JsonNode recovered = await().atMost(Duration.ofSeconds(30)).until(() -> status(api, jobs, job),
                s -> s.get("last_error").isNull());
        assertThat(recovered.get("error_message").isNull()).isTrue();
        assertThat(Instant.parse(recovered.get("last_complete").asString()))
                .isAfter(Instant.parse(failing.get("last_error").asString()));
        assertThat(receiver.records("/sys")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(receiver.problems()).isEmpty();
    }

    /** The node's {@code zoneplane_edge_logpush_jobs} gauge, from its management port. */
    static double jobsRunning() throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.node().managementPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("zoneplane_edge_logpush_jobs"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static JsonNode status(ApiClient api, String jobs, long job) {
        return Envelopes.assertSuccess(api.get(jobs + "/" + job));
    }
}

package zoneplane.dataplane.logpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.support.LogReceiver;
import zoneplane.dataplane.support.LogpushControlPlane;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.LogpushFilter;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.logpush.TimestampFormat;
import zoneplane.model.wire.LogpushJobs;
import zoneplane.model.wire.LogpushReport;

/**
 * Issue 23: the destination fails (first keeping what it was sent but answering 500, so a retry duplicates,
 * then down with 503), then recovers. Every record arrives at least once; the node's report says the
 * duplicates it may have caused, and its last_error / last_complete tell the truth at each stage; the control
 * plane itself down meanwhile does not stop delivery of the last known jobs.
 */
class LogpushOutageTest {

    static final String TOKEN = "logpush-outage-token";
    static final LogpushControlPlane controlPlane = new LogpushControlPlane(TOKEN);
    static final LogReceiver receiver = new LogReceiver();

    @RegisterExtension
    static ProxyExtension edge = controlPlane.follows(ProxyExtension.zones(origin -> List.of(
            Zones.zone("a.test", origin.url()).build())));

    @AfterAll
    static void stop() {
        controlPlane.close();
        receiver.close();
    }

    @Test
    void everyRecordArrivesAtLeastOnceAndTheReportCountsTheRetriesAndTellsTheTruth() throws Exception {
        String zone = edge.node().view().current().route("a.test").id();
        OutputOptions rayOnly = OutputOptions.defaults(List.of(HttpRequestsField.RAY_ID, HttpRequestsField.CLIENT_REQUEST_PATH));
        controlPlane.jobs(new LogpushJobs.Job(7, zone, HttpRequestsField.DATASET, receiver.url("/in"),
                new OutputOptions(rayOnly.fieldNames(), TimestampFormat.UNIX, 1.0, "", "", "{", "}\n", "", false),
                LogpushFilter.ALL, 0, 5, 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.outcome(7) != null);
        Instant start = Instant.now();

        receiver.mode(LogReceiver.Mode.STORE_THEN_FAIL);
        List<String> rays = new ArrayList<>(edge.rays("a.test", "/first/", 10));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.posts().size() >= 3);
        receiver.mode(LogReceiver.Mode.DOWN);
        controlPlane.down(true); // the node keeps its last known jobs
        rays.addAll(edge.rays("a.test", "/second/", 10));
        int answered = receiver.answered();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.answered() > answered + 3);
        controlPlane.down(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.outcome(7).lastError() != null
                && controlPlane.outcome(7).errorMessage().equals("HTTP 503 from 127.0.0.1"));
        assertThat(controlPlane.outcome(7).lastComplete()).isNull();
        assertThat(controlPlane.outcome(7).recordsDelivered()).isZero();

        receiver.mode(LogReceiver.Mode.ACCEPT);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.records("/in").stream()
                .map(r -> (String) r.get("RayID")).collect(Collectors.toSet()).containsAll(rays));
        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.outcome(7).recordsDelivered() == rays.size());

        Map<String, Long> copies = receiver.records("/in").stream()
                .collect(Collectors.groupingBy(r -> (String) r.get("RayID"), Collectors.counting()));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(rays);
        long duplicates = copies.values().stream().mapToLong(n -> n - 1).sum();
        assertThat(duplicates).isPositive();
        LogpushReport.JobOutcome outcome = controlPlane.assertRecovered(7, start, duplicates);
        assertThat(edge.metric("zoneplane_edge_logpush_records_delivered_total")).isEqualTo(rays.size());
        assertThat(edge.metric("zoneplane_edge_logpush_records_retried_total")).isGreaterThanOrEqualTo(outcome.duplicatesRetried());
        assertThat(edge.metric("zoneplane_edge_logpush_records_dropped_total")).isZero();
        assertThat(edge.metric("zoneplane_edge_logpush_records_queued_total")).isEqualTo(rays.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.metric("zoneplane_edge_logpush_spool_bytes") == 0);
        assertThat(receiver.records("/in").stream().map(r -> (String) r.get("ClientRequestPath"))
                .collect(Collectors.toMap(Function.identity(), p -> 1, Integer::sum)).keySet()).hasSize(rays.size());
    }
}

package zoneplane.system;

import zoneplane.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21 item 4: a node given both control-plane replicas' URLs
 * ({@code ZONEPLANE_CONTROL_PLANE_URL=http://…:p1,http://…:p2}, no relay or load balancer between)
 * fails over by itself. Writers PATCH through both replicas; the replica the node streams from (its
 * {@code zoneplane_config_control_plane} metric says which) is killed with SIGKILL. A write the
 * survivor accepts after the kill must be served by the node within 3 s (2 s is the bound, 1 s of
 * slack for a busy CI machine; the figure is printed), the node must resume its change stream on the
 * survivor without a snapshot, apply every revision exactly once and in order, report to the
 * survivor, and no visitor request may fail meanwhile.
 */
class ControlPlaneFailoverTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final List<String> ZONES = List.of("one.failover.example.com", "two.failover.example.com",
            "three.failover.example.com", "four.failover.example.com");
    private static final Duration BOUND = Duration.ofSeconds(3);

    @Test
    void aNodeGivenBothReplicasResumesOnTheSurvivorWithinTwoSecondsWithoutASnapshot() throws Exception {
        SystemHarness sys = system.system();
        List<String> zoneIds = new ArrayList<>();
        for (String zone : ZONES) {
            zoneIds.add(sys.api().createZone(zone, "enterprise", sys.origin().url()));
        }
        EdgeNodeProcess node = sys.startExtraNodeOnAllReplicas("edge-failover", Map.of());
        long created = sys.api().propagation(zoneIds.get(zoneIds.size() - 1)).get("latest_revision").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> node.servedRevision() >= created);

        int followed = followedReplica(sys, node);
        int survivor = 1 - followed;
        ApiClient doomed = sys.controlPlane(followed).api().withTimeout(Duration.ofSeconds(5));
        ApiClient surviving = sys.controlPlane(survivor).api().withTimeout(Duration.ofSeconds(10));
        double snapshotsBefore = node.metric("zoneplane_config_snapshots_total");
        double resumesBefore = node.metric("zoneplane_config_stream_resumes_total");
        double appliedBefore = node.metric("zoneplane_config_changes_applied_total");
        long startRevision = node.servedRevision();

        List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<Long> served = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        long killedNanos;
        long probeRevision;
        long probeAcceptedNanos;
        long probeServedNanos;
        try (BackgroundTraffic traffic = new BackgroundTraffic(List.of(node), ZONES)) {
            // Two writers per replica, each on its own zones; the doomed replica's writers stop at its death.
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                ApiClient api = w % 2 == 0 ? doomed : surviving;
                String zoneId = zoneIds.get(w);
                writers.add(CompletableFuture.runAsync(() -> write(api, zoneId, running, acknowledged)));
            }
            CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> sample(node, running, served));
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 40);

            killedNanos = System.nanoTime();
            sys.controlPlane(followed).process().kill();
            ApiClient.Response probe = ApiClient.require(surviving.patchSettings(zoneIds.get(1), Map.of("ip_geolocation", "off")));
            probeAcceptedNanos = System.nanoTime();
            probeRevision = probe.revision();
            acknowledged.add(probeRevision);
            probeServedNanos = node.awaitServed(probeRevision, Duration.ofSeconds(30));
            // Keep writing through the survivor for a moment after the failover, then stop.
            long afterFailover = acknowledged.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= afterFailover + 20);
            running.set(false);
            for (CompletableFuture<Void> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
            sampler.get(30, TimeUnit.SECONDS);

            // One last PATCH per zone through the survivor: each zone's final state is known (a PATCH in
            // flight when its replica died may have committed without its answer reaching the writer).
            long last = -1;
            for (String zoneId : zoneIds) {
                last = ApiClient.require(surviving.patchSettings(zoneId, Map.of("true_client_ip_header", "on",
                        "pseudo_ipv4", "add_header"))).revision();
                acknowledged.add(last);
            }
            long finalRevision = last;
            await().atMost(Duration.ofSeconds(30)).until(() -> node.servedRevision() >= finalRevision);
            traffic.close();

            double failoverSeconds = (probeServedNanos - probeAcceptedNanos) / 1e9;
            System.out.printf("control-plane failover: killed %s; a write accepted by the survivor %.0f ms after the kill "
                            + "was served by the node %.0f ms after it was accepted (%.0f ms after the kill); "
                            + "%d acknowledged revisions, %d visitor requests, %d failed%n",
                    sys.controlPlane(followed).process().name(), (probeAcceptedNanos - killedNanos) / 1e6,
                    failoverSeconds * 1e3, (probeServedNanos - killedNanos) / 1e6, acknowledged.size(),
                    traffic.answered(), traffic.failures().size());

            assertThat(probeServedNanos).as("the node never served revision %d", probeRevision).isPositive();
            assertThat(failoverSeconds).as("seconds from the survivor accepting a write to the node serving it")
                    .isLessThanOrEqualTo(BOUND.toMillis() / 1e3);
            assertThat(followedReplica(sys, node)).as("the replica the node follows now").isEqualTo(survivor);
            assertThat(node.metric("zoneplane_config_snapshots_total")).as("snapshots taken on failover")
                    .isEqualTo(snapshotsBefore);
            assertThat(node.metric("zoneplane_config_stream_resumes_total")).as("stream resumes")
                    .isGreaterThan(resumesBefore);
            // Without a snapshot every revision reaches the view only through the stream, which applies the
            // next revision or nothing: as many changes applied as revisions passed means none was lost,
            // none applied twice, and all in order.
            assertThat(node.metric("zoneplane_config_changes_applied_total") - appliedBefore)
                    .as("changes applied from revision %d to %d", startRevision, finalRevision)
                    .isEqualTo((double) (finalRevision - startRevision));
            assertThat(acknowledged).as("acknowledged revisions").doesNotHaveDuplicates()
                    .allSatisfy(r -> assertThat(r).isBetween(startRevision + 1, finalRevision));
            assertThat(isNonDecreasing(served)).as("served revisions as sampled: %s", served).isTrue();
            assertThat(traffic.failures()).as("visitor requests that failed during the failover").isEmpty();
            assertThat(traffic.answered()).isPositive();

            for (String zone : ZONES) {
                Visitor.Answer answer = new Visitor().get(node.visitorBase(), zone, "/after-failover");
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.originHas("true-client-ip")).as(zone + " " + answer.originSaw()).isTrue();
                assertThat(answer.originHas("cf-pseudo-ipv4")).as(zone + " " + answer.originSaw()).isTrue();
            }
            // Its reports reach the survivor: the propagation view there has it at the final revision.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Propagation.node(
                    surviving.propagation(zoneIds.get(0)), node.nodeId()).get("applied_revision").asLong())
                    .isGreaterThanOrEqualTo(finalRevision));
        } finally {
            running.set(false);
        }
    }

    /** PATCHes flip {@code true_client_ip_header} on one zone until told to stop or the replica stops answering. */
    private static void write(ApiClient api, String zoneId, AtomicBoolean running, List<Long> acknowledged) {
        for (int i = 0; running.get() && i < 100_000; i++) {
            try {
                ApiClient.Response r = api.patchSettings(zoneId, Map.of("true_client_ip_header", i % 2 == 0 ? "on" : "off"));
                if (r.status() != 200) {
                    return; // the replica is gone or failing: this writer is done
                }
                acknowledged.add(r.revision());
            } catch (UncheckedIOException e) {
                return; // killed under it
            } catch (IllegalStateException interrupted) {
                return; // ApiClient keeps the interrupt flag set
            }
        }
    }

    /** The node's served revision every 20 ms until told to stop. */
    private static void sample(EdgeNodeProcess node, AtomicBoolean running, List<Long> served) {
        while (running.get()) {
            long revision = node.servedRevision();
            if (revision >= 0) {
                served.add(revision);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean isNonDecreasing(List<Long> values) {
        synchronized (values) {
            for (int i = 1; i < values.size(); i++) {
                if (values.get(i) < values.get(i - 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Which replica (0 or 1) the node streams from now, by its {@code zoneplane_config_control_plane} metric. */
    static int followedReplica(SystemHarness sys, EdgeNodeProcess node) {
        String[] url = new String[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            url[0] = node.followedControlPlane().orElse(null);
            return url[0] != null;
        });
        for (int i = 0; i < 2; i++) {
            if (url[0].equals(sys.controlPlane(i).baseUrl())) {
                return i;
            }
        }
        throw new AssertionError("the node follows " + url[0] + ", neither replica");
    }
}

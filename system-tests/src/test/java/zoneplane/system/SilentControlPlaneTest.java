package zoneplane.system;

import zoneplane.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21 item 4, the replica that hangs rather than dies: the replica a node (given both URLs)
 * streams from is stopped with SIGSTOP, so its connections stay open and nothing resets them. Its
 * heartbeats (1 s here) stop; after {@code ZONEPLANE_CONTROL_PLANE_HEARTBEAT_TIMEOUT} (3 s here) the
 * node leaves it and resumes on the other replica without a snapshot: a write the survivor accepted
 * is served within that timeout plus the 2 s failover bound (plus 1 s of CI slack), and no visitor
 * request fails.
 */
class SilentControlPlaneTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final String ZONE = "silent.failover.example.com";
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void aStoppedReplicaIsLeftAfterTheHeartbeatTimeoutAndTheStreamResumesOnTheOther() throws Exception {
        SystemHarness sys = system.system();
        String zoneId = sys.api().createZone(ZONE, "enterprise", sys.origin().url());
        EdgeNodeProcess node = sys.startExtraNodeOnAllReplicas("edge-silent",
                Map.of("ZONEPLANE_CONTROL_PLANE_HEARTBEAT_TIMEOUT", HEARTBEAT_TIMEOUT.toSeconds() + "s"));
        long created = sys.api().propagation(zoneId).get("latest_revision").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> node.servedRevision() >= created);

        int followed = ControlPlaneFailoverTest.followedReplica(sys, node);
        ManagedProcess stopped = sys.controlPlane(followed).process();
        ApiClient surviving = sys.controlPlane(1 - followed).api().withTimeout(Duration.ofSeconds(10));
        double snapshotsBefore = node.metric("zoneplane_config_snapshots_total");
        try (BackgroundTraffic traffic = new BackgroundTraffic(List.of(node), List.of(ZONE))) {
            long frozenNanos = System.nanoTime();
            stopped.freeze();
            long revision;
            long acceptedNanos;
            long servedNanos;
            try {
                revision = ApiClient.require(surviving.patchSettings(zoneId, Map.of("true_client_ip_header", "on"))).revision();
                acceptedNanos = System.nanoTime();
                servedNanos = node.awaitServed(revision, Duration.ofSeconds(30));
            } finally {
                stopped.thaw();
            }
            traffic.close();
            System.out.printf("silent control plane: %s stopped; a write the survivor accepted %.0f ms later was served "
                            + "by the node %.0f ms after it was accepted (heartbeat timeout %d s); %d visitor requests, %d failed%n",
                    stopped.name(), (acceptedNanos - frozenNanos) / 1e6, (servedNanos - acceptedNanos) / 1e6,
                    HEARTBEAT_TIMEOUT.toSeconds(), traffic.answered(), traffic.failures().size());

            assertThat(servedNanos).as("the node never served revision %d", revision).isPositive();
            assertThat((servedNanos - frozenNanos) / 1e9).as("seconds from the stop to the node serving the write")
                    .isLessThanOrEqualTo(HEARTBEAT_TIMEOUT.toSeconds() + 3.0);
            assertThat(ControlPlaneFailoverTest.followedReplica(sys, node)).isEqualTo(1 - followed);
            assertThat(node.metric("zoneplane_config_snapshots_total")).as("snapshots taken on failover")
                    .isEqualTo(snapshotsBefore);
            assertThat(new Visitor().get(node.visitorBase(), ZONE, "/after-silence").originHas("true-client-ip")).isTrue();
            assertThat(traffic.failures()).as("visitor requests that failed while a replica was stopped").isEmpty();
            assertThat(traffic.answered()).isPositive();
        }
    }
}

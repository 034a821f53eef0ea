package zoneplane.system.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.controlplane.distribution.ChangeLogCompactor;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.TcpRelay;
import zoneplane.testing.TestChangeWriter;
import zoneplane.testing.TestDatabase;

/**
 * Faults between the planes: connections cut mid-stream, a control plane killed and restarted while
 * changes keep committing, two replicas on one database, a node whose revision was compacted away.
 */
class FailoverTest {

    @TempDir
    Path caches;

    @Test
    void subscribersConvergeWithoutLossOrRepeatThroughDroppedConnectionsAndARestart() throws Exception {
        TestDatabase.Database db = TestDatabase.newDatabase();
        int port = freePort();
        EmbeddedControlPlane replicaA = EmbeddedControlPlane.start(db, port, Map.of());
        EmbeddedControlPlane replicaB = EmbeddedControlPlane.start(db);
        TestChangeWriter.ensureAccount(db);
        List<String> ids = new ArrayList<>();
        try (TcpRelay relay = new TcpRelay("failover", List.of(port)); TestChangeWriter writer = new TestChangeWriter(db)) {
            for (int i = 0; i < 200; i++) {
                String id = TestChangeWriter.newZoneId();
                writer.createZone(id, "f" + i + ".example.net", Plan.values()[i % 4], "http://10.0.0.1");
                ids.add(id);
            }
            List<Subscribers.Node> nodes = List.of(
                    Subscribers.start(relay.url(), "edge-a1", caches.resolve("a1")),
                    Subscribers.start(relay.url(), "edge-a2", caches.resolve("a2")),
                    Subscribers.start(replicaB.baseUrl(), "edge-b1", caches.resolve("b1")));
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Integer> writes = CompletableFuture.supplyAsync(() -> writeUntilStopped(db, ids, writing, 4000));
            try {
                long mark = writer.latestRevision();
                awaitAllPast(nodes, mark + 50);
                relay.dropAll();
                awaitAllPast(nodes, mark + 150);
                relay.dropAll();
                awaitAllPast(nodes, mark + 250);

                replicaA.close(); // killed mid-stream; its nodes retry with backoff while writes go on
                long whileDown = writer.latestRevision();
                await().atMost(Duration.ofSeconds(30)).until(() -> writer.latestRevision() > whileDown + 100);
                replicaA = EmbeddedControlPlane.start(db, port, Map.of());
                awaitAllPast(nodes, whileDown + 150);
                relay.dropAll();

                writing.set(false);
                int written = writes.get(60, TimeUnit.SECONDS);
                assertThat(written).isGreaterThan(250);
                long latest = writer.latestRevision();
                Map<String, ZoneConfig> expected = writer.readAll();
                for (Subscribers.Node node : nodes) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> node.subscriber().appliedRevision() == latest);
                    assertEqualsDatabase(node.live().current(), expected);
                    assertThat(node.recorder().violations).isEmpty();
                    assertThat(node.recorder().snapshots.get()).isEqualTo(1);
                }
                assertThat(nodes.get(0).reconnects()).isGreaterThanOrEqualTo(3);
                assertThat(nodes.get(1).reconnects()).isGreaterThanOrEqualTo(3);
            } finally {
                writing.set(false);
                nodes.forEach(Subscribers.Node::close);
            }
        } finally {
            replicaA.close();
            replicaB.close();
        }
    }

    @Test
    void aSilentlyDeadConnectionIsDetectedByMissingHeartbeatsAndTheNodeResumes() throws Exception {
        TestDatabase.Database db = TestDatabase.newDatabase();
        try (EmbeddedControlPlane controlPlane = EmbeddedControlPlane.start(db);
                TcpRelay relay = new TcpRelay("heartbeats", List.of(controlPlane.port()))) {
            TestChangeWriter.ensureAccount(db);
            try (TestChangeWriter writer = new TestChangeWriter(db);
                    Subscribers.Node node = Subscribers.start(relay.url(), "edge-h", caches.resolve("h"))) {
                String id = TestChangeWriter.newZoneId();
                long created = writer.createZone(id, "half-open.example.com", Plan.PRO, null);
                await().atMost(Duration.ofSeconds(30)).until(() -> node.subscriber().appliedRevision() == created);
                // A change applied from the stream (not a snapshot) proves the stream is established.
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    writer.setSetting(id, zoneplane.model.Setting.GRPC, zoneplane.model.Setting.GRPC.value("off").orElseThrow());
                    return node.recorder().changes.get() > 0;
                });

                relay.silenceAll(); // heartbeats (1 s) stop arriving; the node's idle timeout is 4 s
                long changed = writer.setSetting(id, zoneplane.model.Setting.GRPC, zoneplane.model.Setting.GRPC.value("on").orElseThrow());

                await().atMost(Duration.ofSeconds(30)).until(() -> node.subscriber().appliedRevision() == changed);
                assertThat(node.reconnects()).isGreaterThanOrEqualTo(1);
                assertThat(node.recorder().violations).isEmpty();
                assertThat(node.live().current().zone("half-open.example.com").orElseThrow().settings()
                        .get(zoneplane.model.Setting.GRPC).text()).isEqualTo("on");
            }
        }
    }

    @Test
    void aNodeBootsFromItsCacheWhileTheControlPlaneIsDownThenResnapshotsAfter410() throws Exception {
        TestDatabase.Database db = TestDatabase.newDatabase();
        int port = freePort();
        Map<String, Object> shortHistory = Map.of("zoneplane.distribution.retain-revisions", "5",
                "zoneplane.distribution.retain-for", "0s");
        String url = "http://127.0.0.1:" + port;
        Path cache = caches.resolve("edge");
        TestChangeWriter.migrate(db);
        TestChangeWriter.ensureAccount(db);
        try (TestChangeWriter writer = new TestChangeWriter(db)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String id = TestChangeWriter.newZoneId();
                writer.createZone(id, "c" + i + ".example.org", Plan.ENTERPRISE, null);
                ids.add(id);
            }
            long cachedRevision;
            try (EmbeddedControlPlane controlPlane = EmbeddedControlPlane.start(db, port, shortHistory)) {
                try (Subscribers.Node first = Subscribers.start(url, "edge-c", cache)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> first.subscriber().appliedRevision() == 50);
                    cachedRevision = first.subscriber().appliedRevision();
                } // close() writes the cache

                Random random = new Random(7);
                for (int i = 0; i < 100; i++) {
                    TestChangeWriter.SettingChange change = TestChangeWriter.randomChange(random, Plan.ENTERPRISE);
                    writer.setSetting(ids.get(random.nextInt(ids.size())), change.setting(), change.value());
                }
                writer.deleteZone(ids.get(0));
                assertThat(controlPlane.bean(ChangeLogCompactor.class).compactNow().compactedThrough()).isGreaterThan(cachedRevision);
            } // the control plane is down now

            try (Subscribers.Node second = Subscribers.start(url, "edge-c", cache)) {
                ZoneView cached = second.live().current();
                assertThat(cached.revision()).isEqualTo(cachedRevision);
                assertThat(cached.size()).isEqualTo(50);
                await().atMost(Duration.ofSeconds(10)).until(() -> second.reconnects() >= 2);
                assertThat(second.live().current().revision()).isEqualTo(cachedRevision);

                try (EmbeddedControlPlane restarted = EmbeddedControlPlane.start(db, port, shortHistory)) {
                    long latest = writer.latestRevision();
                    await().atMost(Duration.ofSeconds(30)).until(() -> second.subscriber().appliedRevision() == latest);
                    assertEqualsDatabase(second.live().current(), writer.readAll());
                    assertThat(second.snapshots()).isEqualTo(1.0);
                    assertThat(second.recorder().violations).isEmpty();
                }
            }
        }
    }

    private static void assertEqualsDatabase(ZoneView view, Map<String, ZoneConfig> expected) {
        assertThat(view.size()).isEqualTo(expected.size());
        expected.forEach((name, zone) -> assertThat(view.zone(name)).contains(zone));
    }

    private static void awaitAllPast(List<Subscribers.Node> nodes, long revision) {
        for (Subscribers.Node node : nodes) {
            await().atMost(Duration.ofSeconds(60)).until(() -> node.subscriber().appliedRevision() >= revision);
        }
    }

    /** One writer committing setting changes until told to stop (bounded by {@code max}); returns how many. */
    private static int writeUntilStopped(TestDatabase.Database db, List<String> ids, AtomicBoolean writing, int max) {
        Random random = new Random(11);
        int written = 0;
        try (TestChangeWriter writer = new TestChangeWriter(db)) {
            while (writing.get() && written < max) {
                int zone = random.nextInt(ids.size());
                TestChangeWriter.SettingChange change = TestChangeWriter.randomChange(random, Plan.values()[zone % 4]);
                writer.setSetting(ids.get(zone), change.setting(), change.value());
                written++;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return written;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

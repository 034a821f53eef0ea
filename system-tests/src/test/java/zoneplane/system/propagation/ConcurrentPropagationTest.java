package zoneplane.system.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.TestChangeWriter;
import zoneplane.testing.TestDatabase;

/**
 * Eight writers commit 500 changes each over 1000 zones while three real subscribers stream from a
 * real control plane: every subscriber ends with exactly the database's state, having applied
 * revisions strictly in order without a gap or a repeat.
 */
class ConcurrentPropagationTest {

    private static final int ZONES = 1000;
    private static final int WRITERS = 8;
    private static final int CHANGES_PER_WRITER = 500;

    @TempDir
    Path caches;

    @Test
    void threeSubscribersConvergeExactlyOnTheDatabaseStateUnderEightConcurrentWriters() throws Exception {
        TestDatabase.Database db = TestDatabase.newDatabase();
        try (EmbeddedControlPlane controlPlane = EmbeddedControlPlane.start(db)) {
            TestChangeWriter.ensureAccount(db);
            List<String> zoneIds = new ArrayList<>();
            List<Plan> plans = new ArrayList<>();
            try (TestChangeWriter writer = new TestChangeWriter(db)) {
                for (int i = 0; i < ZONES / 2; i++) {
                    createZone(writer, i, zoneIds, plans);
                }
                // Half the zones exist before the subscribers start (snapshot), half arrive on the stream.
                List<Subscribers.Node> nodes = new ArrayList<>();
                for (int n = 0; n < 3; n++) {
                    nodes.add(Subscribers.start(controlPlane.baseUrl(), "edge-" + n, caches.resolve("edge-" + n)));
                }
                try {
                    for (int i = ZONES / 2; i < ZONES; i++) {
                        createZone(writer, i, zoneIds, plans);
                    }
                    long started = System.nanoTime();
                    runWriters(db, zoneIds, plans);
                    System.out.printf("writers committed %d changes in %d ms%n", WRITERS * CHANGES_PER_WRITER,
                            (System.nanoTime() - started) / 1_000_000);
                    long latest = writer.latestRevision();
                    assertThat(latest).isEqualTo(ZONES + (long) WRITERS * CHANGES_PER_WRITER);
                    Map<String, ZoneConfig> expected = writer.readAll();
                    for (Subscribers.Node node : nodes) {
                        await().atMost(Duration.ofSeconds(60)).until(() -> node.subscriber().appliedRevision() == latest);
                        ZoneView view = node.live().current();
                        assertThat(view.revision()).isEqualTo(latest);
                        assertThat(view.size()).isEqualTo(expected.size());
                        expected.forEach((name, zone) -> assertThat(view.zone(name)).contains(zone));
                        assertThat(node.recorder().violations).isEmpty();
                        assertThat(node.recorder().snapshots.get()).isEqualTo(1);
                        assertThat(node.recorder().firstView).isBetween((long) ZONES / 2, (long) ZONES);
                        assertThat(node.recorder().changes.get()).isEqualTo(latest - node.recorder().firstView);
                    }
                } finally {
                    nodes.forEach(Subscribers.Node::close);
                }
            }
        }
    }

    private static void createZone(TestChangeWriter writer, int i, List<String> ids, List<Plan> plans) throws Exception {
        String id = TestChangeWriter.newZoneId();
        Plan plan = Plan.values()[i % Plan.values().length];
        writer.createZone(id, "zone" + i + ".example.com", plan, "http://10.0.0." + (i % 250 + 1) + ":8080");
        ids.add(id);
        plans.add(plan);
    }

    /** Each writer: 480 setting changes on any zone, plus 10 zones of its own created and deleted again. */
    private static void runWriters(TestDatabase.Database db, List<String> zoneIds, List<Plan> plans) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writerNo = w;
                done.add(pool.submit(() -> {
                    Random random = new Random(writerNo);
                    try (TestChangeWriter writer = new TestChangeWriter(db)) {
                        for (int i = 0; i < CHANGES_PER_WRITER - 20; i++) {
                            int zone = random.nextInt(zoneIds.size());
                            TestChangeWriter.SettingChange change = TestChangeWriter.randomChange(random, plans.get(zone));
                            writer.setSetting(zoneIds.get(zone), change.setting(), change.value());
                        }
                        for (int i = 0; i < 10; i++) {
                            String id = TestChangeWriter.newZoneId();
                            writer.createZone(id, "w" + writerNo + "-" + i + ".extra.example", Plan.PRO, null);
                            writer.deleteZone(id);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

package zoneplane.controlplane.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import zoneplane.model.Plan;
import zoneplane.testing.TestChangeWriter;
import zoneplane.testing.TestDatabase;

/**
 * SPEC §4's ordering guarantee on real PostgreSQL: while writers commit concurrently, readers that
 * query {@code change_log} the way the stream does never see revision n and later find a committed
 * revision below n (no gap ever fills in behind a reader).
 */
class RevisionVisibilityTest {

    private static final int WRITERS = 6;
    private static final int CHANGES_PER_WRITER = 300;
    private static final int READERS = 3;

    @Test
    void noReaderEverSeesARevisionCommitBelowOneItAlreadySaw() throws Exception {
        TestDatabase.Database db = TestDatabase.newDatabase();
        TestChangeWriter.migrate(db);
        TestChangeWriter.ensureAccount(db);
        List<String> ids = new ArrayList<>();
        try (TestChangeWriter setup = new TestChangeWriter(db)) {
            for (int i = 0; i < 100; i++) {
                String id = TestChangeWriter.newZoneId();
                setup.createZone(id, "v" + i + ".example.com", Plan.PRO, null);
                ids.add(id);
            }
        }
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong observations = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(pool.submit(() -> read(db, writing, violations, observations)));
            }
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int seed = w;
                writers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    try (TestChangeWriter writer = new TestChangeWriter(db)) {
                        for (int i = 0; i < CHANGES_PER_WRITER; i++) {
                            TestChangeWriter.SettingChange change = TestChangeWriter.randomChange(random, Plan.PRO);
                            writer.setSetting(ids.get(random.nextInt(ids.size())), change.setting(), change.value());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get(180, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<?> f : readers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertThat(violations).isEmpty();
        assertThat(observations.get()).as("readers observed the log while it grew").isGreaterThan(50);
    }

    /**
     * Reads like the stream: rows after the last revision seen must continue it without a gap, and
     * once revision n was seen, every revision up to n must be visible (nothing commits behind it).
     */
    private static Void read(TestDatabase.Database db, AtomicBoolean writing, List<String> violations, AtomicLong observations)
            throws Exception {
        long last = 0;
        try (Connection c = db.connect();
                PreparedStatement after = c.prepareStatement("select revision from change_log where revision > ? order by revision");
                PreparedStatement below = c.prepareStatement("select count(*) from change_log where revision <= ?")) {
            boolean finalPass = false;
            while (!finalPass) {
                finalPass = !writing.get();
                after.setLong(1, last);
                try (ResultSet rs = after.executeQuery()) {
                    while (rs.next()) {
                        long revision = rs.getLong(1);
                        if (revision != last + 1) {
                            violations.add("after " + last + " the next visible revision was " + revision);
                        }
                        last = revision;
                    }
                }
                below.setLong(1, last);
                try (ResultSet rs = below.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != last) {
                        violations.add("saw " + last + " but only " + rs.getLong(1) + " revisions at or below it");
                    }
                }
                observations.incrementAndGet();
            }
        }
        return null;
    }
}

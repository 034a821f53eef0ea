package zoneplane.dataplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.dataplane.support.MutableClock;
import zoneplane.model.wire.UsageReport;

/** The spool on a real directory: what it keeps, in which order, and what its bounds drop and count. */
class UsageSpoolTest {

    static final Instant M0 = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private static List<UsageReport.ZoneMinute> minutes(Instant minute, int zones) {
        List<UsageReport.ZoneMinute> minutes = new ArrayList<>();
        for (int z = 0; z < zones; z++) {
            minutes.add(new UsageReport.ZoneMinute("%032x".formatted(z), minute, List.of(new UsageReport.HttpGroup(
                    "DE", 200, "HTTP/1.1", "http", "none", "host-" + z + ".test", "text/html", 3, 300, 30)),
                    new byte[0], UsageReport.WebSocketMinute.NONE));
        }
        return minutes;
    }

    @Test
    void batchesComeBackOldestFirstAsWrittenAndLeaveOnceRemoved() throws Exception {
        MutableClock clock = new MutableClock(M0.plusSeconds(200));
        UsageSpool spool = new UsageSpool(dir, 1 << 20, Duration.ofHours(1), clock);
        spool.write("n1", minutes(M0, 2));
        spool.write("n1", minutes(M0.plusSeconds(60), 1));

        List<UsageSpool.Batch> pending = spool.pending();
        assertThat(pending).extracting(UsageSpool.Batch::zoneMinutes).containsExactly(2, 1);
        assertThat(spool.read(pending.get(0))).isEqualTo(minutes(M0, 2));
        assertThat(spool.oldestAgeSeconds()).isEqualTo(200.0);
        assertThat(spool.bytes()).isEqualTo(pending.get(0).bytes() + pending.get(1).bytes());

        spool.remove(List.of(pending.get(0)));

        assertThat(spool.pending()).extracting(UsageSpool.Batch::minute).containsExactly(M0.getEpochSecond() / 60 + 1);
        assertThat(spool.dropped()).isZero();
    }

    @Test
    void overflowDropsTheOldestBatchesAndCountsTheirZoneMinutes() throws Exception {
        MutableClock clock = new MutableClock(M0);
        UsageSpool probe = new UsageSpool(dir.resolve("probe"), 1 << 20, Duration.ofHours(1), clock);
        probe.write("n1", minutes(M0, 3));
        long oneBatch = probe.bytes();
        // Room for two batches of this size, not three.
        UsageSpool spool = new UsageSpool(dir.resolve("spool"), oneBatch * 2 + oneBatch / 2,
                Duration.ofHours(1), clock);

        for (int i = 0; i < 4; i++) {
            spool.write("n1", minutes(M0.plusSeconds(60L * i), 3));
        }

        assertThat(spool.pending()).extracting(UsageSpool.Batch::minute)
                .containsExactly(M0.getEpochSecond() / 60 + 2, M0.getEpochSecond() / 60 + 3);
        assertThat(spool.dropped()).isEqualTo(6);
        assertThat(spool.bytes()).isLessThanOrEqualTo(oneBatch * 2 + oneBatch / 2);
    }

    @Test
    void minutesOlderThanTheAgeBoundAreDroppedAndCounted() throws Exception {
        MutableClock clock = new MutableClock(M0);
        UsageSpool spool = new UsageSpool(dir, 1 << 20, Duration.ofMinutes(10), clock);
        spool.write("n1", minutes(M0, 2));
        clock.set(M0.plusSeconds(60 * 5));
        spool.write("n1", minutes(M0.plusSeconds(60 * 5), 1));

        clock.set(M0.plusSeconds(60 * 12));
        spool.trim();

        assertThat(spool.pending()).extracting(UsageSpool.Batch::zoneMinutes).containsExactly(1);
        assertThat(spool.dropped()).isEqualTo(2);
    }

    @Test
    void aRestartedNodeFindsWhatItsPredecessorSpooled() throws Exception {
        MutableClock clock = new MutableClock(M0);
        new UsageSpool(dir, 1 << 20, Duration.ofHours(1), clock).write("n1", minutes(M0, 2));
        Files.writeString(dir.resolve("half-written.json.gz.tmp"), "{");

        UsageSpool restarted = new UsageSpool(dir, 1 << 20, Duration.ofHours(1), clock);
        restarted.write("n1", minutes(M0.plusSeconds(60), 1));

        assertThat(restarted.pending()).extracting(UsageSpool.Batch::zoneMinutes).containsExactly(2, 1);
        assertThat(restarted.read(restarted.pending().get(0))).isEqualTo(minutes(M0, 2));
    }
}

package zoneplane.dataplane.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.dataplane.support.UsageReceiver;
import zoneplane.model.wire.UsageReport;

/**
 * Issue 22 item 2, a node with many zones: one minute of 3,000 zones is far more than one POST should carry,
 * so the shipper splits it into reports under {@code maxReportBytes} each, every zone-minute arriving once;
 * and each report carries its instance id, a batch an earlier process spooled keeping its own.
 */
class UsageShipperSplitTest {

    static final Instant M0 = Instant.parse("2026-12-07T12:00:00Z");
    static final String TOKEN = "split-token";
    static final long LIMIT = 64 << 10;

    @TempDir
    Path dir;

    private static List<UsageReport.ZoneMinute> zones(int count, int offset) {
        List<UsageReport.ZoneMinute> minutes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            minutes.add(new UsageReport.ZoneMinute(String.format("%032x", offset + i), M0,
                    List.of(new UsageReport.HttpGroup("US", 200, "HTTP/1.1", UsageReport.KIND_HTTP, "TLSv1.3",
                            "zone-" + (offset + i) + ".example", "text/html", 1 + i % 7, 1000 + i, 80)),
                    new byte[0], UsageReport.WebSocketMinute.NONE));
        }
        return minutes;
    }

    @Test
    void threeThousandZonesArriveOnceInReportsUnderTheLimitEachUnderItsInstance() throws Exception {
        Clock clock = Clock.fixed(M0.plusSeconds(90), ZoneOffset.UTC);
        UsageSpool spool = new UsageSpool(dir, 256L << 20, Duration.ofHours(1), clock);
        spool.write(new UsageReport("TST", "before-restart", zones(10, 5000)));
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        try (UsageReceiver receiver = new UsageReceiver(TOKEN)) {
            UsageShipper shipper = new UsageShipper("TST", "after-restart", List.of(java.net.URI.create(receiver.url())),
                    TOKEN, spool, 5000, LIMIT, Duration.ofMillis(50), Duration.ofMillis(200), thread);
            List<UsageReport.ZoneMinute> minute = zones(3000, 0);
            assertThat(new UsageReport("TST", "after-restart", minute).toJson().length()).isGreaterThan(20 * (int) LIMIT);
            thread.execute(() -> shipper.accept(minute));
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.minutes().size() == 3010);
            await().atMost(Duration.ofSeconds(20)).until(() -> spool.pending().isEmpty());

            assertThat(receiver.duplicates()).isZero();
            assertThat(receiver.problems()).isEmpty();
            assertThat(receiver.largestReport()).isLessThanOrEqualTo((int) LIMIT);
            assertThat(receiver.posts()).isGreaterThanOrEqualTo(21);
            assertThat(receiver.instances()).isEqualTo(Map.of("before-restart", 10, "after-restart", 3000));
            for (int i = 0; i < 3000; i += 499) {
                assertThat(receiver.minute(String.format("%032x", i), M0)).isEqualTo(minute.get(i));
            }
        } finally {
            thread.shutdownNow();
            thread.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

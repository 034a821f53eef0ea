package zoneplane.dataplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.datasketches.hll.HllSketch;
import org.junit.jupiter.api.Test;
import zoneplane.model.wire.UsageReport;

/** A zone-minute's tuple bound and the merge of several loops' tallies, in plain Java. */
class ZoneTallyTest {

    private static final long MINUTE = Instant.parse("2026-12-07T14:05:00Z").getEpochSecond() / 60;

    private static GroupKey key(String host, String contentType) {
        return new GroupKey("DE", 200, "HTTP/2", "http", "TLSv1.3", host, contentType);
    }

    @Test
    void tuplesBeyondTheLimitFoldHostAndContentTypeIntoOther() {
        ZoneTally tally = new ZoneTally("z", MINUTE, 10);
        for (int i = 0; i < 25; i++) {
            tally.add(key("h" + i + ".test", "text/html"), 1, 100, 10);
        }

        UsageReport.ZoneMinute minute = tally.toZoneMinute(0);

        assertThat(minute.http()).hasSize(11);
        assertThat(minute.http()).filteredOn(g -> g.host().equals("other"))
                .singleElement()
                .isEqualTo(new UsageReport.HttpGroup("DE", 200, "HTTP/2", "http", "TLSv1.3", "other", "other", 15, 1500, 150));
        assertThat(minute.http().stream().mapToLong(UsageReport.HttpGroup::requests).sum()).isEqualTo(25);
        assertThat(minute.minute()).isEqualTo(Instant.parse("2026-12-07T14:05:00Z"));
    }

    @Test
    void loopsMergeIntoOneMinuteWithSummedGroupsAndUnitedUniques() {
        ZoneTally first = new ZoneTally("z", MINUTE, 1000);
        ZoneTally second = new ZoneTally("z", MINUTE, 1000);
        first.add(key("a.test", "text/html"), 2, 200, 20);
        second.add(key("a.test", "text/html"), 3, 300, 30);
        second.add(key("b.test", ""), 1, 5, 1);
        for (int i = 0; i < 100; i++) {
            first.visitor("192.0.2." + i);
            second.visitor("192.0.2." + (i + 50)); // 50 in common
        }
        second.opened = 1;
        second.connectionMillis = 1500;

        first.merge(second);
        UsageReport.ZoneMinute minute = first.toZoneMinute(1);

        assertThat(minute.http()).containsExactlyInAnyOrder(
                new UsageReport.HttpGroup("DE", 200, "HTTP/2", "http", "TLSv1.3", "a.test", "text/html", 5, 500, 50),
                new UsageReport.HttpGroup("DE", 200, "HTTP/2", "http", "TLSv1.3", "b.test", "", 1, 5, 1));
        assertThat(HllSketch.heapify(minute.uniques()).getEstimate()).isBetween(147.0, 153.0);
        assertThat(minute.websockets()).isEqualTo(new UsageReport.WebSocketMinute(1, 0, 0, 1, 2, 0, 0, 0));
    }
}

package zoneplane.controlplane.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BucketStoreOutageLogTest {

    private Instant now = Instant.parse("2026-12-08T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final BucketStoreOutageLog log = new BucketStoreOutageLog(clock, Duration.ofMinutes(1));

    @Test
    void theFirstFailureIsToldAtOnceAndLaterOnesOncePerIntervalWithTheirCount() {
        assertThat(log.failed()).contains(1L);
        for (int i = 0; i < 999; i++) {
            now = now.plusMillis(50);
            assertThat(log.failed()).isEmpty();
        }
        now = now.plusSeconds(11);
        assertThat(log.failed()).as("999 suppressed plus this one").contains(1000L);
        assertThat(log.failed()).isEmpty();
    }

    @Test
    void aRecoveryIsToldOnceAndTheNextOutageIsToldAtOnce() {
        assertThat(log.recovered()).as("nothing was told yet").isFalse();
        assertThat(log.failed()).contains(1L);
        assertThat(log.failed()).isEmpty();
        assertThat(log.recovered()).isTrue();
        assertThat(log.recovered()).isFalse();
        Optional<Long> next = log.failed();
        assertThat(next).contains(1L);
    }
}

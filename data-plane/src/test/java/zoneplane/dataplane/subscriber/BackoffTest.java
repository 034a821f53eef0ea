package zoneplane.dataplane.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Full jitter: each wait is uniform in [0, ceiling]; the ceiling doubles per failure up to the cap. */
class BackoffTest {

    @Test
    void theCeilingDoublesPerFailureUpToTheCapAndResetsOnSuccess() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        long[] ceilings = LongStream.range(0, 8).map(i -> {
            long ceiling = backoff.ceilingMillis();
            assertThat(backoff.next().toMillis()).isBetween(0L, ceiling);
            return ceiling;
        }).toArray();

        assertThat(ceilings).containsExactly(100, 200, 400, 800, 1600, 2000, 2000, 2000);
        backoff.reset();
        assertThat(backoff.ceilingMillis()).isEqualTo(100);
    }

    @Test
    void waitsSpreadOverTheWholeWindowNotJustItsUpperPart() {
        LongSummaryStatistics waits = new LongSummaryStatistics();
        for (int i = 0; i < 4000; i++) {
            Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
            backoff.next();
            backoff.next();
            waits.accept(backoff.next().toMillis()); // the third failure: ceiling 400 ms
        }

        assertThat(waits.getMin()).isLessThan(40);   // a fleet does not all wait at least the minimum
        assertThat(waits.getMax()).isBetween(360L, 400L);
        assertThat(waits.getAverage()).isBetween(180.0, 220.0);
    }

    @Test
    void manyAttemptsNeitherOverflowNorExceedTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.next()).isBetween(Duration.ZERO, Duration.ofSeconds(10));
        }
        assertThat(backoff.ceilingMillis()).isEqualTo(10_000);
    }
}

package zoneplane.controlplane.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides when a bucket-store outage is worth a log line. During a database outage every request
 * fails to reach its bucket, so one line per request would flood the log exactly when an operator
 * reads it: the first failure is told at once, later ones at most once per {@code every}, with how
 * many requests went unlimited since the last line. Thread-safe, lock-free.
 */
final class BucketStoreOutageLog {

    private final Clock clock;
    private final Duration every;
    private final AtomicReference<Instant> lastTold = new AtomicReference<>();
    private final AtomicLong untold = new AtomicLong();

    BucketStoreOutageLog(Clock clock, Duration every) {
        this.clock = clock;
        this.every = every;
    }

    /**
     * One request went unlimited; when a line is due, how many requests it reports (this one
     * included), else empty.
     */
    Optional<Long> failed() {
        untold.incrementAndGet();
        Instant now = clock.instant();
        Instant last = lastTold.get();
        if (last != null && now.isBefore(last.plus(every))) {
            return Optional.empty();
        }
        if (!lastTold.compareAndSet(last, now)) {
            return Optional.empty();
        }
        return Optional.of(untold.getAndSet(0));
    }

    /** The store answered again: the next failure is told at once. True when an outage had been told. */
    boolean recovered() {
        if (lastTold.get() == null) {
            return false;
        }
        lastTold.set(null);
        untold.set(0);
        return true;
    }
}

package zoneplane.dataplane.subscriber;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt n (from 0) waits a uniform random time in
 * {@code [0, min(max, min·2ⁿ)]}, so a fleet reconnecting after a control-plane restart spreads over
 * the whole window instead of arriving in waves at its lower edge. The expected wait is half the
 * ceiling; the ceiling itself grows only while attempts keep failing. Not thread-safe (one
 * subscriber thread uses it; the usage shipper has its own).
 */
public final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private int attempts;

    public Backoff(Duration min, Duration max) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The longest wait {@link #next()} may give now: {@code min(max, min·2ⁿ)}. */
    long ceilingMillis() {
        long ceiling = minMillis << Math.min(attempts, 20);
        return Math.min(maxMillis, Math.max(minMillis, ceiling));
    }

    /** The delay before the next attempt; each call counts one more failure. */
    public Duration next() {
        long ceiling = ceilingMillis();
        attempts++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** A connection worked: the next failure starts from the minimum again. */
    public void reset() {
        attempts = 0;
    }

    @Override
    public String toString() {
        return "Backoff{" + minMillis + "–" + maxMillis + " ms, attempts=" + attempts + "}";
    }
}

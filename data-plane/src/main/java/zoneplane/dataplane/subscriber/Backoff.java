package zoneplane.dataplane.subscriber;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt n waits a uniform random time in
 * {@code [min, min(max, min·2ⁿ)]}, so a fleet reconnecting after a control-plane restart spreads
 * out instead of arriving at once. Not thread-safe (one subscriber thread uses it).
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private int attempts;

    Backoff(Duration min, Duration max) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The delay before the next attempt; each call counts one more failure. */
    Duration next() {
        long ceiling = minMillis << Math.min(attempts, 20);
        ceiling = Math.min(maxMillis, Math.max(minMillis, ceiling));
        attempts++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(minMillis, ceiling + 1));
    }

    /** A connection worked: the next failure starts from the minimum again. */
    void reset() {
        attempts = 0;
    }

    @Override
    public String toString() {
        return "Backoff{" + minMillis + "–" + maxMillis + " ms, attempts=" + attempts + "}";
    }
}

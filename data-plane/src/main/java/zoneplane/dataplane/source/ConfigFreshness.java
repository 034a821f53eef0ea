package zoneplane.dataplane.source;

import java.time.Clock;

/**
 * When the node last knew its view was current: a view source calls {@link #markFresh()} whenever it
 * loads a view or hears from the control plane (a change or a heartbeat). Exposed as the config
 * staleness metric. Thread-safe.
 */
public final class ConfigFreshness {

    private final Clock clock;
    private volatile long lastFreshMillis = -1;

    public ConfigFreshness(Clock clock) {
        this.clock = clock;
    }

    public void markFresh() {
        lastFreshMillis = clock.millis();
    }

    /** Seconds since the last {@link #markFresh()}, or NaN while the node never had a view. */
    public double secondsSinceFresh() {
        long last = lastFreshMillis;
        return last < 0 ? Double.NaN : (clock.millis() - last) / 1000.0;
    }
}

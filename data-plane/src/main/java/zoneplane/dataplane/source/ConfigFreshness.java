package zoneplane.dataplane.source;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * When the node last knew its view was current: a view source calls {@link #markFresh()} whenever it
 * loads a view or hears from the control plane (a change or a heartbeat). Exposed as the config
 * staleness metric. Also carries the source's health details to the management listener. Thread-safe.
 */
public final class ConfigFreshness {

    private final Clock clock;
    private volatile long lastFreshMillis = -1;
    private volatile Supplier<Map<String, String>> healthDetails = Map::of;

    public ConfigFreshness(Clock clock) {
        this.clock = clock;
    }

    public void markFresh() {
        lastFreshMillis = clock.millis();
    }

    /** Where {@link #healthDetails()} come from (the view source, when it has any to tell). */
    public void healthDetailsFrom(Supplier<Map<String, String>> details) {
        healthDetails = details;
    }

    /** The view source's health details: name to {@code ok} or a sentence saying what is degraded. */
    public Map<String, String> healthDetails() {
        return healthDetails.get();
    }

    /** Seconds since the last {@link #markFresh()}, or NaN while the node never had a view. */
    public double secondsSinceFresh() {
        long last = lastFreshMillis;
        return last < 0 ? Double.NaN : (clock.millis() - last) / 1000.0;
    }
}

package zoneplane.dataplane.subscriber;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link ConfigSubscriber}; {@link #defaults()} suits production.
 *
 * @param minBackoff first reconnect delay (doubled per failed attempt, full jitter)
 * @param maxBackoff reconnect delay cap
 * @param idleTimeout no line (change or heartbeat) for this long means the connection is dead
 * @param persistInterval the disk cache is written at most this often (only when the view changed)
 * @param reportInterval keep-alive report period (reports also follow every applied batch)
 * @param requestTimeout connect and response-header timeout of every request
 * @param version the node's software version as reported to the control plane
 * @param address how operators reach the node (reported; e.g. host:port)
 */
public record SubscriberOptions(Duration minBackoff, Duration maxBackoff, Duration idleTimeout,
        Duration persistInterval, Duration reportInterval, Duration requestTimeout, String version, String address) {

    public SubscriberOptions {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(address, "address");
        for (Duration d : new Duration[] {minBackoff, maxBackoff, idleTimeout, persistInterval, reportInterval, requestTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("subscriber durations must be positive");
            }
        }
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be below minBackoff");
        }
    }

    /** 100 ms–10 s backoff, 15 s idle timeout (three missed 5 s heartbeats), cache at most every 5 s, keep-alive report every 5 s. */
    public static SubscriberOptions defaults() {
        return new SubscriberOptions(Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(15),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10), defaultVersion(), defaultAddress());
    }

    public SubscriberOptions withBackoff(Duration min, Duration max) {
        return new SubscriberOptions(min, max, idleTimeout, persistInterval, reportInterval, requestTimeout, version, address);
    }

    public SubscriberOptions withIdleTimeout(Duration idle) {
        return new SubscriberOptions(minBackoff, maxBackoff, idle, persistInterval, reportInterval, requestTimeout, version, address);
    }

    public SubscriberOptions withPersistInterval(Duration persist) {
        return new SubscriberOptions(minBackoff, maxBackoff, idleTimeout, persist, reportInterval, requestTimeout, version, address);
    }

    public SubscriberOptions withReportInterval(Duration report) {
        return new SubscriberOptions(minBackoff, maxBackoff, idleTimeout, persistInterval, report, requestTimeout, version, address);
    }

    public SubscriberOptions withAddress(String nodeAddress) {
        return new SubscriberOptions(minBackoff, maxBackoff, idleTimeout, persistInterval, reportInterval, requestTimeout, version, nodeAddress);
    }

    private static String defaultVersion() {
        String v = ConfigSubscriber.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String defaultAddress() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}

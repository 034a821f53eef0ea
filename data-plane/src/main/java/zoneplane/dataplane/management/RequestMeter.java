package zoneplane.dataplane.management;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts one request in {@code zoneplane_edge_requests_total} exactly once. An ordinary request is
 * counted when its exchange ends, with the status it got; a WebSocket is counted as {@code 101} when the
 * visitor's upgrade completes (Cloudflare counts the upgrade as the connection's one request), not when
 * the connection ends hours later, and the end of the exchange then counts nothing more.
 *
 * <p>Thread-safe: the upgrade and the end of the exchange may run on different event loops.
 */
public final class RequestMeter {

    private final EdgeMetrics metrics;
    private final String zoneTag;
    private final long startedNanos;
    private final AtomicBoolean recorded = new AtomicBoolean();

    public RequestMeter(EdgeMetrics metrics, String zoneTag, long startedNanos) {
        this.metrics = metrics;
        this.zoneTag = zoneTag;
        this.startedNanos = startedNanos;
    }

    /** Counts the request with {@code status}, unless it was counted already. */
    public void record(int status) {
        if (recorded.compareAndSet(false, true)) {
            metrics.recordRequest(zoneTag, status, startedNanos);
        }
    }
}

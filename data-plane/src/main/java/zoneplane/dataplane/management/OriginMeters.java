package zoneplane.dataplane.management;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import zoneplane.dataplane.origin.OriginObserver;
import zoneplane.dataplane.origin.ProhibitedOriginException;

/**
 * The origin side of the node's traffic:
 * <ul>
 *   <li>{@code zoneplane_edge_origin_connect_errors_total{cause}}: new origin connections that failed, by
 *       cause ({@code refused}, {@code timeout}, {@code dns}, {@code prohibited} — an address the edge may not
 *       connect to —, {@code other}); every cause is exported from the start, at 0;</li>
 *   <li>{@code zoneplane_edge_origin_response_seconds}: from the request's last byte written to the
 *       origin's response head (the origin's own time, without the edge's), in the edge's latency buckets.</li>
 * </ul>
 */
public final class OriginMeters implements OriginObserver {

    enum Cause { REFUSED, TIMEOUT, DNS, PROHIBITED, OTHER }

    private final Map<Cause, Counter> connectErrors = new EnumMap<>(Cause.class);
    private final Timer response;

    public OriginMeters(MeterRegistry registry) {
        for (Cause cause : Cause.values()) {
            connectErrors.put(cause, Counter.builder("zoneplane.edge.origin.connect.errors")
                    .description("New origin connections that failed, by cause")
                    .tag("cause", cause.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        response = Timer.builder("zoneplane.edge.origin.response")
                .description("Time from the request's last byte written to the origin's response head")
                .serviceLevelObjectives(EdgeMetrics.LATENCY_BUCKETS)
                .register(registry);
    }

    @Override
    public void connectFailed(Throwable cause) {
        connectErrors.get(causeOf(cause)).increment();
    }

    @Override
    public void responded(long nanosSinceRequestWritten) {
        response.record(nanosSinceRequestWritten, TimeUnit.NANOSECONDS);
    }

    static Cause causeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProhibitedOriginException) {
                return Cause.PROHIBITED;
            }
            if (t instanceof ConnectTimeoutException) {
                return Cause.TIMEOUT;
            }
            if (t instanceof ConnectException) {
                return Cause.REFUSED;
            }
            if (t instanceof UnknownHostException) {
                return Cause.DNS;
            }
        }
        return Cause.OTHER;
    }
}

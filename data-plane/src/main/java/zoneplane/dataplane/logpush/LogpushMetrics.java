package zoneplane.dataplane.logpush;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Logpush's meters on the node's management registry, summed over jobs (bounded cardinality):
 * <ul>
 *   <li>{@code zoneplane_edge_logpush_records_queued_total}: records handed from the event loops to the logpush thread</li>
 *   <li>{@code zoneplane_edge_logpush_records_delivered_total}: records a destination acknowledged</li>
 *   <li>{@code zoneplane_edge_logpush_records_dropped_total{reason}}: records lost: {@code queue_full} (the hand-off
 *       queue was full), {@code spool_overflow} (a spool's size or age bound, oldest first), {@code refused} (a
 *       destination refused the batch for good, or it could not be spooled)</li>
 *   <li>{@code zoneplane_edge_logpush_records_retried_total}: records sent again after a failed attempt</li>
 *   <li>{@code zoneplane_edge_logpush_spool_bytes}: bytes waiting in the jobs' spools</li>
 *   <li>{@code zoneplane_edge_logpush_jobs}: jobs this node delivers</li>
 * </ul>
 */
final class LogpushMetrics {

    private LogpushMetrics() {}

    static void bind(MeterRegistry registry, LogpushCounters c) {
        counter(registry, "zoneplane.edge.logpush.records.queued", "Records handed to the logpush thread", c,
                x -> x.queued.sum(), null);
        counter(registry, "zoneplane.edge.logpush.records.delivered", "Records a Logpush destination acknowledged", c,
                x -> x.delivered.get(), null);
        String dropped = "Logpush records dropped: hand-off queue full, spool bound (oldest first), refused for good";
        counter(registry, "zoneplane.edge.logpush.records.dropped", dropped, c, x -> x.queueFull.sum(), "queue_full");
        counter(registry, "zoneplane.edge.logpush.records.dropped", dropped, c, x -> x.spoolOverflow.get(), "spool_overflow");
        counter(registry, "zoneplane.edge.logpush.records.dropped", dropped, c, x -> x.refused.get(), "refused");
        counter(registry, "zoneplane.edge.logpush.records.retried", "Logpush records sent again after a failed attempt",
                c, x -> x.retried.get(), null);
        Gauge.builder("zoneplane.edge.logpush.spool", c.spoolBytes, AtomicLong::get)
                .description("Bytes of sealed Logpush batches spooled on disk, not yet acknowledged")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("zoneplane.edge.logpush.jobs", c.jobs, AtomicLong::get)
                .description("Logpush jobs this node delivers")
                .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, LogpushCounters c,
            ToDoubleFunction<LogpushCounters> value, String reason) {
        FunctionCounter.Builder<LogpushCounters> builder = FunctionCounter.builder(name, c, value).description(description);
        if (reason != null) {
            builder.tag("reason", reason);
        }
        builder.register(registry);
    }
}

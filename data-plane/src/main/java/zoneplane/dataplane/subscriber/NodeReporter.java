package zoneplane.dataplane.subscriber;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.model.wire.NodeReport;

/**
 * Tells the control plane which revision this node applied, and which changes up to it it refused
 * ({@link NodeReport}). At most one report is in flight and
 * reports start at least {@value #MIN_GAP_MILLIS} ms apart; newer revisions that arrive meanwhile
 * are coalesced into the next one, so a stream of changes costs at most ~20 requests a second and
 * the last report always carries the newest revision. Thread-safe.
 */
final class NodeReporter {

    private static final Logger log = LoggerFactory.getLogger(NodeReporter.class);
    static final long MIN_GAP_MILLIS = 50;

    private final ControlPlaneClient client;
    private final String nodeId;
    private final SubscriberOptions options;
    private final Supplier<List<NodeReport.Refusal>> refusals;
    private final Runnable onContact;
    private final AtomicLong wanted = new AtomicLong(-1);
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final ScheduledExecutorService timer;
    private volatile boolean failing;
    private volatile long lastStartNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_GAP_MILLIS);

    NodeReporter(ControlPlaneClient client, String nodeId, SubscriberOptions options,
            Supplier<List<NodeReport.Refusal>> refusals, Runnable onContact, ScheduledExecutorService timer) {
        this.client = client;
        this.refusals = refusals;
        this.nodeId = nodeId;
        this.options = options;
        this.onContact = onContact;
        this.timer = timer;
    }

    /** Reports {@code revision} soon (now, or right after the report in flight). */
    void report(long revision) {
        wanted.set(revision);
        sendIfIdle();
    }

    private void sendIfIdle() {
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        long gap = lastStartNanos + TimeUnit.MILLISECONDS.toNanos(MIN_GAP_MILLIS) - System.nanoTime();
        if (gap > 0) {
            try {
                timer.schedule(this::send, gap, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                inFlight.set(false);
            }
            return;
        }
        send();
    }

    /** Sends the wanted revision; the caller holds the in-flight flag. */
    private void send() {
        lastStartNanos = System.nanoTime();
        long revision = wanted.get();
        NodeReport report = new NodeReport(options.version(), options.address(), revision, refusals.get());
        client.report(nodeId, report).whenComplete((status, error) -> {
            if (error == null && status == 200) {
                onContact.run();
                if (failing) {
                    failing = false;
                    log.info("node reports reach the control plane again");
                }
            } else if (!failing) {
                failing = true;
                log.warn("node report failed ({}); will retry", error != null ? error.toString() : "HTTP " + status);
            }
            inFlight.set(false);
            if (error == null && wanted.get() != revision) {
                sendIfIdle();
            }
        });
    }

    @Override
    public String toString() {
        return "NodeReporter{node=" + nodeId + ", wanted=" + wanted.get() + "}";
    }
}

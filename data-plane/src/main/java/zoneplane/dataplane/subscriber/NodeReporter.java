package zoneplane.dataplane.subscriber;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the control plane which revision this node applied. At most one report is in flight; newer
 * revisions that arrive meanwhile are coalesced into the next one, so a burst of changes costs a
 * handful of requests and the last report always carries the newest revision. Thread-safe.
 */
final class NodeReporter {

    private static final Logger log = LoggerFactory.getLogger(NodeReporter.class);

    private final ControlPlaneClient client;
    private final String nodeId;
    private final SubscriberOptions options;
    private final Runnable onContact;
    private final AtomicLong wanted = new AtomicLong(-1);
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile boolean failing;

    NodeReporter(ControlPlaneClient client, String nodeId, SubscriberOptions options, Runnable onContact) {
        this.client = client;
        this.nodeId = nodeId;
        this.options = options;
        this.onContact = onContact;
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
        long revision = wanted.get();
        client.report(nodeId, options.version(), options.address(), revision).whenComplete((status, error) -> {
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

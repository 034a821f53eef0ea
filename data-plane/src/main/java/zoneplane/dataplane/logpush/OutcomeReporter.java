package zoneplane.dataplane.logpush;

import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.model.wire.LogpushReport;

/**
 * Tells the control plane how this node's deliveries went ({@code PUT /internal/v1/nodes/{node}/logpush},
 * a {@link LogpushReport} of totals since {@code startedOn}), so each job's {@code last_complete},
 * {@code last_error} and {@code error_message} are true. Sent from {@link #report} (the logpush thread, every
 * poll interval) only when an outcome moved since the last report the control plane accepted; a failed PUT
 * is sent again next time, to the next replica. Totals, not increments: a repeated report never counts twice.
 */
final class OutcomeReporter {

    private static final Logger log = LoggerFactory.getLogger(OutcomeReporter.class);

    private final ControlPlaneCalls calls;
    private final String path;
    private final Instant startedOn;
    private final JobRegistry registry;
    private final Executor logpushThread;
    private long reportedVersion = Long.MIN_VALUE;
    private boolean inFlight;
    private boolean failing;

    OutcomeReporter(ControlPlaneCalls calls, String nodeId, Instant startedOn, JobRegistry registry,
            Executor logpushThread) {
        this.calls = calls;
        this.path = "/internal/v1/nodes/" + nodeId + "/logpush";
        this.startedOn = startedOn;
        this.registry = registry;
        this.logpushThread = logpushThread;
    }

    void report() {
        long version = registry.version();
        if (inFlight || version == reportedVersion) {
            return;
        }
        inFlight = true;
        String body = new LogpushReport(startedOn, registry.outcomes()).toJson();
        calls.put(path, body).whenComplete((response, error) -> {
            try {
                logpushThread.execute(() -> answered(version, error == null ? response.statusCode() : -1, error));
            } catch (RejectedExecutionException shuttingDown) {
                // stopping
            }
        });
    }

    private void answered(long version, int status, Throwable error) {
        inFlight = false;
        if (status >= 200 && status < 300) {
            reportedVersion = version;
            if (failing) {
                failing = false;
                log.info("logpush: delivery reports reach the control plane again");
            }
            return;
        }
        calls.failed();
        if (!failing) {
            failing = true;
            log.warn("logpush: reporting delivery outcomes failed ({}); retrying", error != null ? error.toString()
                    : "HTTP " + status);
        }
    }

    /** Whether the latest outcomes were accepted. */
    boolean current() {
        return !inFlight && registry.version() == reportedVersion;
    }
}

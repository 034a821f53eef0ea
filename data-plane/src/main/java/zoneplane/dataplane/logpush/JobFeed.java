package zoneplane.dataplane.logpush;

import java.net.http.HttpResponse;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.model.wire.LogpushJobs;
import zoneplane.model.wire.WireFormatException;

/**
 * Follows the control plane's job feed ({@code GET /internal/v1/logpush/jobs}) by polling with
 * {@code If-None-Match}: a 200 hands the new {@link LogpushJobs} to the registry, a 304 changes nothing, and
 * anything else (the control plane down, a 5xx, a document this node cannot read, such as a job with a
 * field it does not know) keeps the last known jobs running and tries the next replica next time. At most one
 * poll is in flight. {@link #poll} runs on the logpush thread.
 */
final class JobFeed {

    static final String PATH = "/internal/v1/logpush/jobs";
    private static final Logger log = LoggerFactory.getLogger(JobFeed.class);

    private final ControlPlaneCalls calls;
    private final Executor logpushThread;
    private final Consumer<LogpushJobs> jobs;
    private String etag;
    private boolean inFlight;
    private boolean failing;
    private volatile boolean loaded;

    JobFeed(ControlPlaneCalls calls, Executor logpushThread, Consumer<LogpushJobs> jobs) {
        this.calls = calls;
        this.logpushThread = logpushThread;
        this.jobs = jobs;
    }

    void poll() {
        if (inFlight) {
            return;
        }
        inFlight = true;
        calls.get(PATH, etag).whenComplete((response, error) -> {
            try {
                logpushThread.execute(() -> answered(response, error));
            } catch (RejectedExecutionException shuttingDown) {
                // stopping: no more jobs to follow
            }
        });
    }

    private void answered(HttpResponse<String> response, Throwable error) {
        inFlight = false;
        int status = error == null ? response.statusCode() : -1;
        if (status == 304) {
            recovered();
            return;
        }
        if (status == 200) {
            try {
                LogpushJobs parsed = LogpushJobs.fromJson(response.body());
                jobs.accept(parsed);
                etag = response.headers().firstValue("ETag").orElse(null);
                loaded = true;
                recovered();
                return;
            } catch (WireFormatException unreadable) {
                fail("the job feed is not readable by this node: " + unreadable.getMessage());
                return;
            }
        }
        fail(error != null ? error.toString() : "HTTP " + status);
    }

    private void recovered() {
        if (failing) {
            failing = false;
            log.info("logpush: the job feed answers again");
        }
    }

    private void fail(String why) {
        calls.failed();
        if (!failing) {
            failing = true;
            log.warn("logpush: reading the job feed failed ({}); keeping the last known jobs", why);
        }
    }

    /** Whether a job list was read at least once since start. */
    boolean loaded() {
        return loaded;
    }
}

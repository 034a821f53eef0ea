package zoneplane.dataplane.logpush;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.subscriber.Backoff;
import zoneplane.dataplane.usage.ExchangeRecord;
import zoneplane.model.wire.LogpushJobs;
import zoneplane.model.wire.LogpushReport;

/**
 * One job on this node: filters, samples and formats its zone's records into an open batch, seals the batch
 * into the job's {@link JobSpool} at the job's {@link BatchLimits}, and delivers spooled batches oldest first,
 * one at a time, at least once: a batch leaves the spool only when the destination acknowledged it; a failure
 * waits a bounded exponential backoff with full jitter and sends it again (counted as possible duplicates
 * when the failed attempt may have reached the destination: anything but a refused or impossible connection);
 * a refusal for good drops it, counted. A job whose destination this node cannot serve ({@code refusal})
 * delivers nothing and says why in its outcome. Runs on the logpush thread only.
 */
final class JobPipeline {

    private static final Logger log = LoggerFactory.getLogger(JobPipeline.class);

    private LogpushJobs.Job job;
    private LogDestination destination;
    private String refusal;
    private RecordFormatter formatter;
    private BatchLimits limits;
    private final JobSpool spool;
    private final Backoff backoff;
    private final Clock clock;
    private final Executor logpushThread;
    private final LogpushCounters counters;
    private List<byte[]> open = new ArrayList<>();
    private long openBytes;
    private long openSinceMillis;
    private boolean inFlight;
    private long retryAtMillis;
    private JobSpool.Spooled failed;
    private boolean failedMayHaveArrived;
    private boolean closed;
    private Instant lastComplete;
    private Instant lastError;
    private String errorMessage;
    private long delivered;
    private long dropped;
    private long duplicates;
    private long version;

    /** @param destination null when the node refuses the job's destination, {@code refusal} saying why */
    JobPipeline(LogpushJobs.Job job, LogDestination destination, String refusal, JobSpool spool, Backoff backoff,
            Clock clock, Executor logpushThread, LogpushCounters counters) {
        this.job = job;
        this.destination = destination;
        this.refusal = refusal;
        this.formatter = new RecordFormatter(job.outputOptions());
        this.limits = BatchLimits.of(job);
        this.spool = spool;
        this.backoff = backoff;
        this.clock = clock;
        this.logpushThread = logpushThread;
        this.counters = counters;
        counters.spoolBytes.addAndGet(spool.bytes());
        if (destination == null) {
            lastError = clock.instant();
            errorMessage = refusal;
        }
    }

    LogpushJobs.Job job() {
        return job;
    }

    /**
     * The job changed (its zone, fields, filter, limits or destination): the open batch is sealed as it was
     * written, and what follows is written, batched and sent the new way. The spool, the totals and a
     * delivery in flight carry on (its answer still counts), so a change neither loses nor duplicates.
     *
     * @param choice the new destination, or null when the destination and output options are unchanged
     */
    void reconfigure(LogpushJobs.Job changed, DestinationFactory.Choice choice) {
        seal();
        job = changed;
        formatter = new RecordFormatter(changed.outputOptions());
        limits = BatchLimits.of(changed);
        if (choice != null) {
            if (destination != null) {
                destination.close();
            }
            destination = choice.destination();
            refusal = choice.refusal();
            if (destination == null) {
                lastError = clock.instant();
                errorMessage = refusal;
            }
            failed = null;
            retryAtMillis = 0;
            backoff.reset();
        }
        version++;
        deliverNext();
    }

    /** A record of the job's zone: kept when the filter passes and the sample keeps it. */
    void offer(ExchangeRecord record) {
        if (destination == null) {
            return;
        }
        RecordValues values = new RecordValues(record, job.outputOptions().timestampFormat());
        if (!job.filter().matches(values) || !Sampling.keep(job.id(), record.rayId(), job.outputOptions().sampleRate())) {
            return;
        }
        byte[] line = formatter.format(values);
        if (open.isEmpty()) {
            openSinceMillis = clock.millis();
        }
        open.add(line);
        openBytes += line.length;
        if (limits.full(open.size(), openBytes)) {
            seal();
        }
    }

    /** Seals the open batch when its interval passed, then delivers what waits. */
    void tick() {
        if (!open.isEmpty() && clock.millis() - openSinceMillis >= limits.interval().toMillis()) {
            seal();
        }
        deliverNext();
    }

    /** The open batch goes to the spool (then to the destination). */
    void seal() {
        if (open.isEmpty()) {
            return;
        }
        List<byte[]> lines = open;
        open = new ArrayList<>();
        openBytes = 0;
        long before = spool.bytes();
        try {
            long overflow = spool.write(lines);
            if (overflow > 0) {
                dropped += overflow;
                counters.spoolOverflow.addAndGet(overflow);
                version++;
            }
        } catch (IOException e) {
            log.warn("logpush job {}: cannot spool a batch of {} record(s): {}", job.id(), lines.size(), e.toString());
            dropped += lines.size();
            counters.refused.addAndGet(lines.size());
            version++;
        }
        counters.spoolBytes.addAndGet(spool.bytes() - before);
        deliverNext();
    }

    private void deliverNext() {
        if (closed || destination == null || inFlight || clock.millis() < retryAtMillis) {
            return;
        }
        JobSpool.Spooled batch = spool.oldest();
        if (batch == null) {
            return;
        }
        List<byte[]> lines;
        try {
            lines = spool.read(batch);
        } catch (IOException | RuntimeException unreadable) {
            log.warn("logpush job {}: dropping unreadable spooled batch {}: {}", job.id(), batch.file(), unreadable.toString());
            forget(batch);
            dropped += batch.records();
            counters.refused.addAndGet(batch.records());
            version++;
            deliverNext();
            return;
        }
        if (batch.equals(failed)) {
            counters.retried.addAndGet(batch.records());
            if (failedMayHaveArrived) {
                duplicates += batch.records();
                version++;
            }
        }
        inFlight = true;
        try {
            destination.deliver(new LogBatch(job.id(), job.zoneId(), lines))
                    .whenComplete((ok, error) -> onThread(() -> answered(batch, error)));
        } catch (RuntimeException e) {
            answered(batch, e);
        }
    }

    private void answered(JobSpool.Spooled batch, Throwable error) {
        inFlight = false;
        if (closed) {
            return;
        }
        version++;
        if (error == null) {
            forget(batch);
            delivered += batch.records();
            counters.delivered.addAndGet(batch.records());
            lastComplete = clock.instant();
            lastError = null;
            errorMessage = null;
            failed = null;
            backoff.reset();
            deliverNext();
            return;
        }
        LogDeliveryException failure = DeliveryFailures.of(error);
        lastError = clock.instant();
        errorMessage = failure.getMessage();
        if (!failure.retryable()) {
            log.warn("logpush job {}: destination refused a batch of {} record(s) for good: {}", job.id(),
                    batch.records(), failure.getMessage());
            forget(batch);
            dropped += batch.records();
            counters.refused.addAndGet(batch.records());
            failed = null;
            deliverNext();
            return;
        }
        failed = batch;
        failedMayHaveArrived = DeliveryFailures.mayHaveArrived(failure);
        Duration wait = backoff.next();
        retryAtMillis = clock.millis() + wait.toMillis();
        log.debug("logpush job {}: delivery failed ({}); retrying in {} ms", job.id(), failure.getMessage(), wait.toMillis());
    }

    private void forget(JobSpool.Spooled batch) {
        long before = spool.bytes();
        try {
            spool.remove(batch);
        } catch (IOException e) {
            log.warn("logpush job {}: cannot remove the delivered batch {}: {}", job.id(), batch.file(), e.toString());
        }
        counters.spoolBytes.addAndGet(spool.bytes() - before);
    }

    private void onThread(Runnable task) {
        try {
            logpushThread.execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            // the batch stays spooled for the next start
        }
    }

    /** Whether a shutdown need not wait: nothing open, and nothing spooled that could still go now. */
    boolean settled() {
        return open.isEmpty() && !inFlight && (spool.isEmpty() || destination == null || failed != null);
    }

    /**
     * Stops the job: its open batch is spooled for the job's next pipeline (a changed job, or the next start);
     * {@code discard}: the job is gone, and its spool is deleted.
     */
    void close(boolean discard) {
        if (!discard) {
            seal();
        }
        closed = true;
        if (destination != null) {
            destination.close();
        }
        counters.spoolBytes.addAndGet(-spool.bytes());
        if (discard) {
            try {
                spool.discard();
            } catch (IOException e) {
                log.warn("logpush job {}: cannot delete its spool: {}", job.id(), e.toString());
            }
        }
    }

    /** Changes to the outcome since start (the reporter sends a report when it moved). */
    long version() {
        return version;
    }

    LogpushReport.JobOutcome outcome() {
        return new LogpushReport.JobOutcome(job.id(), lastComplete, lastError, errorMessage, delivered, dropped, duplicates);
    }

    @Override
    public String toString() {
        return "JobPipeline{" + job + (refusal != null ? ", refused: " + refusal : "") + ", " + spool + "}";
    }
}

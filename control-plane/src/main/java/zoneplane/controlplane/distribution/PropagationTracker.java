package zoneplane.controlplane.distribution;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Answers "have all live nodes applied revision n yet?", and waits for it without polling hot: a
 * waiter re-checks the database only when a node report lands (on any replica, via
 * {@link NodeReportSignal}) or once a second (so nodes ageing out of "live" end a wait too).
 */
@Component
public class PropagationTracker {

    /** The outcome of a wait: whether every live node had the revision, and the count behind it. */
    public record Outcome(boolean complete, EdgeNodeRegistry.Progress progress) {}

    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EdgeNodeRegistry registry;
    private final NodeReportSignal reports;

    public PropagationTracker(EdgeNodeRegistry registry, NodeReportSignal reports) {
        this.registry = registry;
        this.reports = reports;
    }

    /**
     * Waits at most {@code timeout} until every live node reported {@code revision} or later. With no
     * live node at all the wait is complete at once (nothing is left to apply it).
     */
    public Outcome await(long revision, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long generation = reports.generation();
            EdgeNodeRegistry.Progress progress = registry.progress(revision);
            if (progress.complete()) {
                return new Outcome(true, progress);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new Outcome(false, progress);
            }
            reports.awaitAfter(generation, Math.min(remaining, RECHECK_NANOS));
        }
    }
}

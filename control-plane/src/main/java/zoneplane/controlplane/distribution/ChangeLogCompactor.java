package zoneplane.controlplane.distribution;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Bounds the retained history: every {@code compaction-interval} deletes changes that are both
 * outside the newest {@code retain-revisions} and older than {@code retain-for}, records the new
 * retention mark (which makes 410 exact), and forgets nodes unseen for {@code node-forget-after}.
 * Every replica runs it; the retention row lock makes concurrent runs harmless.
 */
@Component
public class ChangeLogCompactor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeLogCompactor.class);

    private final ChangeLogStore store;
    private final EdgeNodeRegistry nodes;
    private final DistributionProperties properties;
    private ScheduledExecutorService timer;

    public ChangeLogCompactor(ChangeLogStore store, EdgeNodeRegistry nodes, DistributionProperties properties) {
        this.store = store;
        this.nodes = nodes;
        this.properties = properties;
    }

    /** One compaction pass; public so operators' tooling and tests can run it on demand. */
    public ChangeLogStore.Compaction compactNow() {
        ChangeLogStore.Compaction result = store.compact(properties.retainRevisions(), properties.retainFor().toSeconds());
        int forgotten = nodes.forgetNotSeenFor(properties.nodeForgetAfter().toSeconds());
        if (result.deleted() > 0 || forgotten > 0) {
            log.info("compacted change log through revision {} ({} changes deleted), forgot {} nodes",
                    result.compactedThrough(), result.deleted(), forgotten);
        }
        return result;
    }

    private void runSafely() {
        try {
            compactNow();
        } catch (RuntimeException e) {
            // The next pass retries; nothing is lost by skipping one.
            log.warn("change log compaction failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zoneplane-compaction");
            t.setDaemon(true);
            return t;
        });
        long period = properties.compactionInterval().toMillis();
        timer.scheduleWithFixedDelay(this::runSafely, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    @Override
    public String toString() {
        return "ChangeLogCompactor{every=" + properties.compactionInterval() + ", keep=" + properties.retainRevisions()
                + " revisions and " + properties.retainFor() + "}";
    }
}

package zoneplane.controlplane.ratelimit;

import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Drops buckets that are full again (a token that has been quiet for a while, a token whose limit
 * changed), so the table holds only tokens in active use. Replicas may run it at once: rows are
 * claimed with SKIP LOCKED. Bounded per run.
 */
@Component
@ConditionalOnWebApplication
class ExpiredBucketCleaner {

    static final int BATCH = 1000;
    static final int MAX_BATCHES = 20;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    ExpiredBucketCleaner(PostgreSQLSelectForUpdateBasedProxyManager<String> buckets) {
        this.buckets = buckets;
    }

    @Scheduled(fixedDelayString = "${zoneplane.rate-limit.cleanup-interval:1m}", initialDelayString = "${zoneplane.rate-limit.cleanup-interval:1m}")
    int removeExpired() {
        int removed = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int batch = buckets.removeExpired(BATCH);
            removed += batch;
            if (batch < BATCH) {
                break;
            }
        }
        return removed;
    }
}

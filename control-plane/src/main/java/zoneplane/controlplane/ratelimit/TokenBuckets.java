package zoneplane.controlplane.ratelimit;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import java.util.concurrent.ConcurrentMap;

/**
 * One long-lived, batching bucket proxy per token bucket. Without batching, every request of a busy
 * token ran its own {@code SELECT ... FOR UPDATE} transaction on the same bucket row, so concurrent
 * requests queued on that row lock while each held a pooled connection (PATCH throughput fell several
 * times over with the limiter on: {@code bench/README.md}, "Figures behind the code"). Bucket4j's batching sends the requests that arrive while one round trip is in
 * flight together in the next one: the same exact counts, far fewer transactions. The optimization
 * lives in the proxy object, so proxies are kept (bounded: past {@link #MAX_BUCKETS} tokens the least
 * used are dropped, which costs such a token one more round trip, never a wrong count).
 */
final class TokenBuckets {

    static final int MAX_BUCKETS = 100_000;

    private final ProxyManager<String> store;
    private final ConcurrentMap<String, Bucket> proxies = Caffeine.newBuilder().maximumSize(MAX_BUCKETS).<String, Bucket>build().asMap();

    TokenBuckets(ProxyManager<String> store) {
        this.store = store;
    }

    /**
     * Takes one token from the bucket of {@code key}, created in the store with {@code limit}'s
     * configuration when it has no row (a token's first request, or its first after the row expired).
     *
     * <p>Bucket4j's batching sends the requests that queued behind a round trip together. When that
     * round trip found no row, the requests merged behind it fail together with "bucket does not
     * exist" while the first one creates the row: they would pass uncounted (the filter lets requests
     * through when the store fails). Each of them takes its token again, through a proxy that creates
     * the row if it is still missing.
     */
    ConsumptionProbe tryConsume(String key, RateLimitProperties.Limit limit) {
        try {
            return of(key, limit).tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException failure) {
            if (!missingBucket(failure)) {
                throw failure;
            }
            return store.builder().build(key, () -> RateLimitFilter.configuration(limit)).tryConsumeAndReturnRemaining(1);
        }
    }

    private static boolean missingBucket(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BucketNotFoundException) {
                return true;
            }
        }
        return false;
    }

    /** The batching bucket proxy of {@code key}, created in the store with {@code limit}'s configuration when new. */
    private Bucket of(String key, RateLimitProperties.Limit limit) {
        return proxies.computeIfAbsent(key, k -> store.builder()
                .withOptimization(Optimizations.batching())
                .build(k, () -> RateLimitFilter.configuration(limit)));
    }
}

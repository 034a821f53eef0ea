package zoneplane.controlplane.ratelimit;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The per-token API rate limit (SPEC §3.3), {@code zoneplane.rate-limit.*}.
 *
 * @param enabled {@code ZONEPLANE_RATE_LIMIT_ENABLED}, default true
 * @param requests requests per {@code period} and token ({@code ZONEPLANE_RATE_LIMIT_REQUESTS}, default 1200,
 *     as Cloudflare's API), in fixed windows starting at the token's first request
 * @param period {@code ZONEPLANE_RATE_LIMIT_PERIOD}, default 5m
 * @param overrides other limits by token id, by account id (for all its tokens), or under the key
 *     {@code operator} for the bootstrap token: {@code zoneplane.rate-limit.overrides.<key>.requests}
 *     and {@code .period}; a token's own entry wins over its account's
 * @param cleanupInterval how often buckets that are full again are dropped from the database
 */
@ConfigurationProperties("zoneplane.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1200") long requests,
        @DefaultValue("5m") Duration period,
        @DefaultValue Map<String, Limit> overrides,
        @DefaultValue("1m") Duration cleanupInterval) {

    public RateLimitProperties {
        overrides = Map.copyOf(overrides);
        new Limit(requests, period);
        if (cleanupInterval.isNegative() || cleanupInterval.isZero()) {
            throw new IllegalArgumentException("zoneplane.rate-limit.cleanup-interval must be positive");
        }
    }

    /** A budget of {@code requests} per {@code period} (default 5m), given back whole at the end of each window. */
    public record Limit(long requests, @DefaultValue("5m") Duration period) {
        public Limit {
            if (requests < 1) {
                throw new IllegalArgumentException("a rate limit allows at least 1 request, not " + requests);
            }
            if (period == null || period.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("a rate limit period is at least 1s");
            }
        }
    }

    public Limit defaultLimit() {
        return new Limit(requests, period);
    }
}

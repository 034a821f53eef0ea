package zoneplane.controlplane.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.FilterErrors;
import zoneplane.controlplane.auth.Caller;

/**
 * Takes one request from the caller's bucket (its account's, shared by all its tokens; see
 * {@link RateLimits}; shared by all replicas through PostgreSQL)
 * before the request reaches a controller. The budget is a fixed window, as Cloudflare describes
 * its own ("1200 per 5 minutes; over it, calls are blocked until the window ends"): the whole
 * budget comes back at once, {@code period} after the window began, so X-RateLimit-Remaining is
 * a plain countdown. Every authenticated answer carries
 * {@code X-RateLimit-Limit} and {@code X-RateLimit-Remaining}; when the bucket is empty the request
 * is answered 429 (code 971) with {@code Retry-After} (seconds until one request is available,
 * rounded up) and {@code X-RateLimit-Reset} (RFC 1123 date at which the full budget is back, as
 * Cloudflare documents it). Requests without a caller (public paths, or refused by authentication)
 * are not counted here: failed authentications are limited per client address by
 * {@link ClientAddressLimitFilter}, before any token lookup.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

    static final String LIMIT = "X-RateLimit-Limit";
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String RESET = "X-RateLimit-Reset";

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final RateLimits limits;
    private final TokenBuckets buckets;
    private final FilterErrors errors;
    private final BucketStoreOutageLog outage = new BucketStoreOutageLog(Clock.systemUTC(), Duration.ofMinutes(1));

    RateLimitFilter(RateLimits limits, ProxyManager<String> buckets, FilterErrors errors) {
        this.limits = limits;
        this.buckets = new TokenBuckets(buckets);
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = Caller.of(request);
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        RateLimitProperties.Limit limit = limits.limitFor(caller.get());
        ConsumptionProbe probe;
        try {
            probe = buckets.tryConsume(limits.bucketKey(caller.get(), limit), limit);
        } catch (RuntimeException unavailable) {
            // The buckets live in PostgreSQL. When it cannot be reached the request is let through
            // uncounted: it then fails on its own database work with the outage answer (503), instead
            // of the limiter's failure hiding why. Logged without a stack trace, and at most once a minute.
            outage.failed().ifPresent(requests -> log.warn("rate limit not applied to {} request(s), the bucket store failed: {}",
                    requests, unavailable.toString()));
            chain.doFilter(request, response);
            return;
        }
        if (outage.recovered()) {
            log.info("rate limiting applies again: the bucket store answers");
        }
        response.setHeader(LIMIT, Long.toString(limit.requests()));
        response.setHeader(REMAINING, Long.toString(probe.getRemainingTokens()));
        response.setHeader(RESET, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.now().plusNanos(probe.getNanosToWaitForReset()).atOffset(ZoneOffset.UTC)));
        if (!probe.isConsumed()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(probe.getNanosToWaitForRefill())));
            errors.answer(request, response, new ApiException(ApiErrorCode.RATE_LIMITED,
                    "Rate limited: at most " + limit.requests() + " requests per " + limit.period().toSeconds()
                            + " s for " + (limits.owner(caller.get()).startsWith("account:") ? "this account (all its tokens together)"
                            : "this token") + "; retry after the Retry-After seconds"));
            return;
        }
        chain.doFilter(request, response);
    }

    static BucketConfiguration configuration(RateLimitProperties.Limit limit) {
        return BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.requests()).refillIntervally(limit.requests(), limit.period()))
                .build();
    }

    /** Whole seconds, rounded up, never 0: a client that waits that long gets a request through. */
    static long retryAfterSeconds(long nanosToWait) {
        return Math.max(1, (nanosToWait + Duration.ofSeconds(1).toNanos() - 1) / Duration.ofSeconds(1).toNanos());
    }

    @Override
    public String toString() {
        return "RateLimitFilter[" + limits + "]";
    }
}

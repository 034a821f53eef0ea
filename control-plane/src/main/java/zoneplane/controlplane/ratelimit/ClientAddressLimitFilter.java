package zoneplane.controlplane.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.FilterErrors;
import zoneplane.controlplane.auth.BootstrapToken;
import zoneplane.controlplane.auth.Caller;
import zoneplane.controlplane.auth.PublicPaths;
import zoneplane.controlplane.auth.RequestPathGuard;
import zoneplane.controlplane.auth.TokenDigest;

/**
 * Limits failed authentications per client address, so that unauthenticated and bad-token traffic
 * (which spends no account's budget: it has no account) cannot load the database with token
 * lookups. Runs just before authentication. A request that authentication refuses (no credentials,
 * a malformed token, an unknown, revoked or expired one) takes one from its address's bucket
 * afterwards; once the bucket is empty, the address's requests are answered 429 (code 971, with
 * {@code Retry-After}) before any token is looked up, until the window ends (fixed windows, as
 * the per-account limit).
 *
 * <p>Not limited: paths that need no token (health probes, the OpenAPI document, {@code /internal/**},
 * whose node token is checked elsewhere), the actuator (scrapes, probes) and the operator's bootstrap
 * token (checked in memory, no lookup). Buckets are kept in memory per replica (counting failures in
 * PostgreSQL would be the very load this prevents), bounded to {@link #MAX_ADDRESSES} addresses; so
 * the limit is per replica. The address is the one the servlet container reports (behind a proxy, set
 * {@code server.forward-headers-strategy} so it is the visitor's).
 */
public final class ClientAddressLimitFilter extends OncePerRequestFilter {

    static final int MAX_ADDRESSES = 100_000;
    private static final String BEARER = "bearer ";

    private final RateLimitProperties.Limit limit;
    private final PublicPaths publicPaths;
    private final BootstrapToken bootstrap;
    private final FilterErrors errors;
    private final Cache<String, Bucket> buckets;

    ClientAddressLimitFilter(RateLimitProperties.Limit limit, PublicPaths publicPaths, BootstrapToken bootstrap,
            FilterErrors errors) {
        this.limit = limit;
        this.publicPaths = publicPaths;
        this.bootstrap = bootstrap;
        this.errors = errors;
        this.buckets = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES).expireAfterAccess(limit.period().multipliedBy(2)).build();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = RequestPathGuard.path(request);
        if (publicPaths.matches(path) || path.startsWith("/actuator/") || presentsBootstrapToken(request)) {
            chain.doFilter(request, response);
            return;
        }
        String address = request.getRemoteAddr();
        Bucket bucket = buckets.getIfPresent(address);
        if (bucket != null && bucket.getAvailableTokens() <= 0) {
            long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RateLimitFilter.retryAfterSeconds(nanos)));
            errors.answer(request, response, new ApiException(ApiErrorCode.RATE_LIMITED, "Rate limited: more than "
                    + limit.requests() + " failed authentications per " + limit.period().toSeconds()
                    + " s from this address; retry after the Retry-After seconds"));
            return;
        }
        chain.doFilter(request, response);
        if (Caller.of(request).isEmpty()) {
            // not public and no caller: authentication refused the request
            buckets.get(address, key -> Bucket.builder()
                    .addLimit(bandwidth -> bandwidth.capacity(limit.requests()).refillIntervally(limit.requests(), limit.period()))
                    .build()).tryConsume(1);
        }
    }

    private boolean presentsBootstrapToken(HttpServletRequest request) {
        List<String> headers = Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
        if (headers.size() != 1 || !headers.get(0).regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String secret = headers.get(0).substring(BEARER.length()).strip();
        return TokenDigest.wellFormed(secret) && bootstrap.matches(TokenDigest.sha256(secret));
    }

    @Override
    public String toString() {
        return "ClientAddressLimitFilter[" + limit.requests() + " failed authentications per " + limit.period() + "]";
    }
}

package zoneplane.controlplane.auth;

import zoneplane.controlplane.database.DatabaseFailures;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import zoneplane.controlplane.api.ApiError;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.DatabaseOutage;
import zoneplane.controlplane.api.FilterErrors;

/**
 * Authenticates every request outside {@link PublicPaths} by its {@code Authorization: Bearer}
 * token and leaves the {@link Caller} in the request ({@link Caller#REQUEST_ATTRIBUTE}). Refusals
 * follow Cloudflare's API, so its SDKs and scripts see the errors they expect, and all carry
 * {@code WWW-Authenticate: Bearer} (RFC 6750):
 * <ul>
 *   <li>no {@code Authorization} header: 400, code 9106 "Missing X-Auth-Key, X-Auth-Email or
 *       Authorization headers";</li>
 *   <li>one that is not {@code Bearer <token>} with a token of RFC 6750 characters (or several):
 *       400, code 6003 "Invalid request headers" with {@code error_chain} 6111 "Invalid format for
 *       Authorization header";</li>
 *   <li>a well-formed token that is unknown, revoked or expired: 401, code 1000 "Invalid API
 *       Token" on {@code /user/tokens/verify}, code 10000 "Authentication error" everywhere else.
 *       The three get the same answer, so it is no oracle.</li>
 * </ul>
 * Actuator endpoints other than health are the operator's. The token itself is never logged or
 * kept: only its SHA-256 is computed and looked up, and the digests are compared in constant time.
 * The token id (never the secret) goes into the log context as {@code token_id}.
 */
public final class BearerAuthenticationFilter extends OncePerRequestFilter {

    private static final String REALM = "Bearer realm=\"zoneplane\"";
    private static final String BEARER = "bearer ";
    /** Management endpoints (metrics, info) are the operator's: they span every tenant. */
    private static final String OPERATOR_ONLY = "/actuator/";
    private static final String VERIFY_PATH = "/user/tokens/verify";

    private final BootstrapToken bootstrap;
    private final TokenCredentials tokens;
    private final PublicPaths publicPaths;
    private final FilterErrors errors;
    private final Clock clock;

    public BearerAuthenticationFilter(BootstrapToken bootstrap, TokenCredentials tokens, PublicPaths publicPaths,
            FilterErrors errors, Clock clock) {
        this.bootstrap = bootstrap;
        this.tokens = tokens;
        this.publicPaths = publicPaths;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (publicPaths.matches(RequestPathGuard.path(request))) {
            chain.doFilter(request, response);
            return;
        }
        Caller caller;
        try {
            caller = authenticate(request);
        } catch (ApiException refused) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge(refused.code()));
            errors.answer(request, response, refused);
            return;
        } catch (RuntimeException lookupFailed) {
            if (!DatabaseFailures.isOutage(lookupFailed)) {
                throw lookupFailed;
            }
            // The token could not be looked up: 503, without the container's stack trace per request.
            errors.answer(request, response, DatabaseOutage.unavailable(lookupFailed));
            return;
        }
        if (!caller.isOperator() && RequestPathGuard.path(request).startsWith(OPERATOR_ONLY)) {
            errors.answer(request, response, new ApiException(ApiErrorCode.FORBIDDEN, "Operator token required"));
            return;
        }
        request.setAttribute(Caller.REQUEST_ATTRIBUTE, caller);
        MDC.put("token_id", caller.tokenId());
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("token_id");
        }
    }

    private Caller authenticate(HttpServletRequest request) {
        String secret = bearerSecret(request);
        byte[] digest = TokenDigest.sha256(secret);
        if (bootstrap.matches(digest)) {
            return Caller.operator();
        }
        Optional<StoredToken> found = tokens.findByDigest(digest);
        Instant now = clock.instant();
        if (found.isEmpty() || !MessageDigest.isEqual(found.get().digest(), digest) || !found.get().usableAt(now)) {
            throw VERIFY_PATH.equals(RequestPathGuard.path(request))
                    ? new ApiException(ApiErrorCode.INVALID_API_TOKEN, "Invalid API Token")
                    : new ApiException(ApiErrorCode.AUTHENTICATION_ERROR, "Authentication error: invalid API token (unknown, revoked or expired)");
        }
        StoredToken token = found.get();
        tokens.markUsed(token, now);
        return Caller.token(token.id(), token.accountId(), token.permissions(), token.zones());
    }

    private static String bearerSecret(HttpServletRequest request) {
        List<String> headers = Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
        if (headers.isEmpty()) {
            throw missingCredentials();
        }
        String header = headers.get(0);
        if (headers.size() > 1 || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw malformed();
        }
        String secret = header.substring(BEARER.length()).strip();
        if (!TokenDigest.wellFormed(secret)) {
            throw malformed();
        }
        return secret;
    }

    /** Cloudflare's answer to a request without credentials (also used where a caller is unexpectedly missing). */
    public static ApiException missingCredentials() {
        return new ApiException(ApiErrorCode.MISSING_CREDENTIALS, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
    }

    private static ApiException malformed() {
        return new ApiException(ApiErrorCode.INVALID_REQUEST_HEADERS, "Invalid request headers", List.of(new ApiError(
                ApiErrorCode.INVALID_AUTHORIZATION_FORMAT.code(), "Invalid format for Authorization header")));
    }

    /** RFC 6750 §3: no error code when nothing was presented, else what was wrong with it. */
    private static String challenge(ApiErrorCode refusal) {
        return switch (refusal) {
            case MISSING_CREDENTIALS -> REALM;
            case INVALID_REQUEST_HEADERS -> REALM + ", error=\"invalid_request\"";
            default -> REALM + ", error=\"invalid_token\"";
        };
    }

    @Override
    public String toString() {
        return "BearerAuthenticationFilter[" + bootstrap + ", public " + publicPaths + "]";
    }
}

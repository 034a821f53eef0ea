package zoneplane.controlplane.auth;

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
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;

/**
 * Authenticates every request outside {@link PublicPaths} by its {@code Authorization: Bearer}
 * token and leaves the {@link Caller} in the request ({@link Caller#REQUEST_ATTRIBUTE}). A missing,
 * malformed, unknown, revoked or expired token is answered 401 (code 10000) with
 * {@code WWW-Authenticate: Bearer} before anything else runs; unknown, revoked and expired get the
 * same message, so the answer is no oracle. Actuator endpoints other than health are the operator's. The token itself is never logged or kept: only its
 * SHA-256 is computed and looked up, and the digests are compared in constant time. The token id
 * (never the secret) goes into the log context as {@code token_id}.
 */
public final class BearerAuthenticationFilter extends OncePerRequestFilter {

    private static final String REALM = "Bearer realm=\"zoneplane\"";
    private static final String BEARER = "bearer ";
    /** Management endpoints (metrics, info) are the operator's: they span every tenant. */
    private static final String OPERATOR_ONLY = "/actuator/";

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
            boolean presented = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, presented ? REALM + ", error=\"invalid_token\"" : REALM);
            errors.answer(request, response, refused);
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
            throw invalid("Invalid API token (unknown, revoked or expired)");
        }
        StoredToken token = found.get();
        tokens.markUsed(token, now);
        return Caller.token(token.id(), token.accountId(), token.permissions(), token.zones());
    }

    private static String bearerSecret(HttpServletRequest request) {
        List<String> headers = Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
        if (headers.isEmpty()) {
            throw invalid("Missing Authorization header: send Authorization: Bearer <API token>");
        }
        String header = headers.get(0);
        if (headers.size() > 1 || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw invalid("Malformed Authorization header: expected Bearer <API token>");
        }
        String secret = header.substring(BEARER.length()).strip();
        if (!TokenDigest.wellFormed(secret)) {
            throw invalid("Malformed Authorization header: expected Bearer <API token>");
        }
        return secret;
    }

    private static ApiException invalid(String message) {
        return new ApiException(ApiErrorCode.AUTHENTICATION_ERROR, message);
    }

    @Override
    public String toString() {
        return "BearerAuthenticationFilter[" + bootstrap + ", public " + publicPaths + "]";
    }
}

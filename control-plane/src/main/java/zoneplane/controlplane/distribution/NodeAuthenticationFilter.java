package zoneplane.controlplane.distribution;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /internal/**}: the request must carry {@code Authorization: Bearer <node token>}.
 * The comparison is constant-time over SHA-256 digests, so neither the token's content nor its
 * length leaks through timing. Errors use the Cloudflare envelope with code 10000, like the API's.
 */
final class NodeAuthenticationFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";
    private static final String UNAUTHORIZED_BODY =
            "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error: a valid node token is required\"}],"
                    + "\"messages\":[],\"result\":null}";

    private final byte[] expectedDigest;

    NodeAuthenticationFilter(NodeTokenProperties properties) {
        this.expectedDigest = properties.configured() ? sha256(properties.nodeToken()) : null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (authenticated(request.getHeader("Authorization"))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"zoneplane-nodes\"");
        response.setContentType("application/json");
        response.getOutputStream().write(UNAUTHORIZED_BODY.getBytes(StandardCharsets.UTF_8));
    }

    private boolean authenticated(String header) {
        if (expectedDigest == null || header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(header.substring(PREFIX.length()).trim()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "NodeAuthenticationFilter{token=" + (expectedDigest == null ? "<unset: all refused>" : "<redacted>") + "}";
    }
}

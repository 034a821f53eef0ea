package zoneplane.controlplane.distribution;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Guards the node-facing controllers: the request must carry {@code Authorization: Bearer <node
 * token>}. It is an interceptor on the handlers, not a filter on a URL pattern, so whatever path
 * reaches them ({@code /internal/…}, {@code /client/v4/internal/…}, percent-encoded variants) is
 * checked. The comparison is constant-time over SHA-256 digests, so neither the token's content nor
 * its length leaks through timing. With no token configured every node request is refused.
 */
public final class NodeAuthentication implements HandlerInterceptor {

    private static final String PREFIX = "Bearer ";
    private static final String UNAUTHORIZED_BODY =
            "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error: a valid node token is required\"}],"
                    + "\"messages\":[],\"result\":null}";

    private final byte[] expectedDigest;

    NodeAuthentication(NodeTokenProperties properties) {
        this.expectedDigest = properties.configured() ? sha256(properties.nodeToken()) : null;
    }

    /** Whether {@code handler} is one of the node-facing controllers this guards. */
    static boolean guards(Object handler) {
        if (!(handler instanceof HandlerMethod)) {
            return false;
        }
        Class<?> type = ((HandlerMethod) handler).getBeanType();
        return type == ChangesController.class || type == NodesController.class || type.isAnnotationPresent(NodeFacing.class);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        if (!guards(handler) || authenticated(request.getHeader("Authorization"))) {
            return true;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"zoneplane-nodes\"");
        response.setContentType("application/json");
        response.getOutputStream().write(UNAUTHORIZED_BODY.getBytes(StandardCharsets.UTF_8));
        return false;
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
        return "NodeAuthentication{token=" + (expectedDigest == null ? "<unset: all refused>" : "<redacted>") + "}";
    }
}

package zoneplane.controlplane.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.FilterErrors;

/**
 * Refuses (400) request paths that are not in canonical form: dot segments, empty segments, path
 * parameters ({@code ;}), backslashes, control characters and encoded dots, slashes, backslashes or
 * percent signs. The container maps such paths after normalizing them while
 * {@code getRequestURI()} keeps them raw, so a check on the raw path (e.g. "is this a public path?")
 * could be fooled by {@code /swagger-ui/../zones}. After this filter, raw and mapped paths agree.
 * The API's own identifiers never need any of these characters.
 */
public final class RequestPathGuard extends OncePerRequestFilter {

    private static final String[] FORBIDDEN = {"//", "/./", "/../", ";", "\\", "%2e", "%2f", "%5c", "%25", "%00", "%3b"};

    private final FilterErrors errors;

    public RequestPathGuard(FilterErrors errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!canonical(path(request))) {
            errors.answer(request, response, new ApiException(ApiErrorCode.INVALID_REQUEST, "Malformed request path"));
            return;
        }
        chain.doFilter(request, response);
    }

    /** The request's path below the context path, raw (not decoded, not normalized). */
    public static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    static boolean canonical(String rawPath) {
        if (!rawPath.startsWith("/") || rawPath.endsWith("/.") || rawPath.endsWith("/..")) {
            return false;
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c < 0x21 || c == 0x7f) {
                return false;
            }
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        for (String bad : FORBIDDEN) {
            if (lower.contains(bad)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "RequestPathGuard[canonical paths only]";
    }
}

package zoneplane.controlplane.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hardening headers on every answer, set before the chain runs so that error answers (401, 429,
 * container errors) carry them too: {@code X-Content-Type-Options: nosniff},
 * {@code Referrer-Policy: no-referrer}, {@code X-Frame-Options: DENY}. API answers (everything
 * but Swagger UI and the dashboard's static assets) also get {@code Cache-Control: no-store}
 * (they hold tenant data and must not sit in shared caches) and a CSP that forbids any active
 * content, since the API only ever answers JSON.
 */
public final class SecurityHeadersFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        if (!userInterface(RequestPathGuard.path(request))) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        }
        chain.doFilter(request, response);
    }

    private static boolean userInterface(String path) {
        return path.equals("/swagger-ui.html") || path.startsWith("/swagger-ui/") || path.equals("/dashboard")
                || path.startsWith("/dashboard/");
    }

    @Override
    public String toString() {
        return "SecurityHeadersFilter[nosniff, no-referrer, DENY, API: no-store + CSP none]";
    }
}

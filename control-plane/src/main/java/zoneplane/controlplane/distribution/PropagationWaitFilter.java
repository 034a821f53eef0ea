package zoneplane.controlplane.distribution;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import zoneplane.controlplane.api.ZoneplaneHeaders;

/**
 * {@code Prefer: wait=<seconds>} on any change request (SPEC §3.4), as a decorator around the API's
 * handlers: it holds the handler's response back (headers and body), and when the handler answered
 * 2xx with {@code Zoneplane-Revision: n} it waits until every live data-plane node reported n or the
 * wait (capped at {@code zoneplane.distribution.max-prefer-wait}) runs out. It then adds
 * {@code Zoneplane-Propagation: complete|partial}, {@code Zoneplane-Propagation-Nodes: applied/live}
 * and {@code Preference-Applied: wait=<seconds>} (RFC 7240) and releases the response. A change that
 * created no revision (an idempotent PATCH) or an error answers at once. The request thread is held
 * for the wait; it is bounded by the cap.
 */
public final class PropagationWaitFilter extends OncePerRequestFilter {

    private static final Set<String> CHANGE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final PropagationTracker tracker;
    private final Duration cap;

    PropagationWaitFilter(PropagationTracker tracker, Duration cap) {
        this.tracker = tracker;
        this.cap = cap;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !CHANGE_METHODS.contains(request.getMethod()) || requestedWait(request.getHeaders("Prefer")) < 0;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long seconds = Math.min(requestedWait(request.getHeaders("Prefer")), cap.toSeconds());
        ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, held);
            long revision = revision(held);
            if (revision > 0 && held.getStatus() >= 200 && held.getStatus() < 300) {
                PropagationTracker.Outcome outcome = tracker.await(revision, Duration.ofSeconds(seconds));
                held.setHeader(ZoneplaneHeaders.PROPAGATION, outcome.complete() ? "complete" : "partial");
                held.setHeader("Zoneplane-Propagation-Nodes", outcome.progress().applied() + "/" + outcome.progress().live());
                held.setHeader("Preference-Applied", "wait=" + seconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            held.setHeader(ZoneplaneHeaders.PROPAGATION, "partial");
        } finally {
            held.copyBodyToResponse();
        }
    }

    private static long revision(HttpServletResponse response) {
        String header = response.getHeader(ZoneplaneHeaders.REVISION);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The seconds of the {@code wait} preference (RFC 7240: comma-separated preferences, each
     * optionally with {@code ;} parameters), or -1 when absent or not a non-negative integer.
     */
    static long requestedWait(java.util.Enumeration<String> headers) {
        while (headers != null && headers.hasMoreElements()) {
            for (String preference : headers.nextElement().split(",")) {
                String token = preference.split(";", 2)[0].trim();
                int eq = token.indexOf('=');
                if (eq > 0 && token.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("wait")) {
                    String value = token.substring(eq + 1).trim().replace("\"", "");
                    if (value.matches("\\d{1,9}")) {
                        return Long.parseLong(value);
                    }
                }
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "PropagationWaitFilter{cap=" + cap + "}";
    }
}

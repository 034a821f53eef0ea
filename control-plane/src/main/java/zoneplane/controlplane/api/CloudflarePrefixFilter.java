package zoneplane.controlplane.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;
import zoneplane.controlplane.ControlPlaneEndpoints;

/**
 * Serves the whole API identically under {@code /client/v4} (where the Cloudflare SDKs send their
 * requests) by presenting {@code /client/v4/zones/…} to everything behind this filter as
 * {@code /zones/…}. Controllers, the OpenAPI document and metrics therefore know one path per
 * endpoint. Runs first, so every later filter sees the canonical path too.
 */
public final class CloudflarePrefixFilter extends OncePerRequestFilter {

    private static final String PREFIX = ControlPlaneEndpoints.CLOUDFLARE_PREFIX;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(PREFIX) || path.startsWith(PREFIX + "/")) {
            String stripped = path.length() == PREFIX.length() ? "/" : path.substring(PREFIX.length());
            chain.doFilter(new Unprefixed(request, stripped), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    /**
     * The request as if it had been sent to {@code path} (the DispatcherServlet is mapped at "/").
     * Only for the original dispatch: during a forward the container's own wrapper, which it puts
     * beneath this one, must decide the path, or a forward would see the old path again.
     */
    private static final class Unprefixed extends HttpServletRequestWrapper {

        private final String path;

        Unprefixed(HttpServletRequest request, String path) {
            super(request);
            this.path = path;
        }

        @Override
        public String getRequestURI() {
            if (!original()) {
                return super.getRequestURI();
            }
            return getContextPath() + path;
        }

        @Override
        public StringBuffer getRequestURL() {
            if (!original()) {
                return super.getRequestURL();
            }
            StringBuffer url = new StringBuffer(super.getRequestURL());
            String original = super.getRequestURI();
            url.replace(url.length() - original.length(), url.length(), getRequestURI());
            return url;
        }

        @Override
        public String getServletPath() {
            return original() ? path : super.getServletPath();
        }

        @Override
        public String getPathInfo() {
            return original() ? null : super.getPathInfo();
        }

        private boolean original() {
            return getDispatcherType() == DispatcherType.REQUEST;
        }
    }

    @Override
    public String toString() {
        return "CloudflarePrefixFilter[" + PREFIX + " -> /]";
    }
}

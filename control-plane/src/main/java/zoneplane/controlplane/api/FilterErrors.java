package zoneplane.controlplane.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers an {@link ApiException} raised in a servlet filter (before any controller runs) through
 * Spring MVC's exception resolvers, i.e. through the one {@code ApiExceptionHandler}: filters never
 * build envelopes themselves. Headers the filter set beforehand (WWW-Authenticate, Retry-After)
 * stay on the response.
 */
@Component
public class FilterErrors {

    private final ObjectProvider<HandlerExceptionResolver> resolver;

    // Looked up lazily: filters are created while the web server starts, before MVC is configured.
    FilterErrors(@Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> resolver) {
        this.resolver = resolver;
    }

    public void answer(HttpServletRequest request, HttpServletResponse response, ApiException error) {
        if (resolver.getObject().resolveException(request, response, null, error) == null) {
            throw new IllegalStateException("no exception handler answered " + error.code());
        }
    }
}

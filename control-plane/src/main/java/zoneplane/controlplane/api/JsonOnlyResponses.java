package zoneplane.controlplane.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The public API answers JSON only (SPEC §3), so its responses are fixed to
 * {@code application/json} before the handler runs: Spring then writes JSON whatever the Accept
 * header asked for, instead of an empty 406. Limited to {@link #API_PATHS} (where the pipeline
 * registers it), so that actuator (Prometheus text), Swagger UI and the internal distribution
 * streams keep their own types.
 */
public final class JsonOnlyResponses implements HandlerInterceptor {

    /** The API's own paths: the only ones this interceptor is registered on. */
    public static final String[] API_PATHS = {"/zones", "/zones/**", "/accounts", "/accounts/**", "/user/**"};

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        return true;
    }

    @Override
    public String toString() {
        return "JsonOnlyResponses";
    }
}

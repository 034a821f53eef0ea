package zoneplane.controlplane.auth;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.PathIdentifiers;

/**
 * Applies {@link AccessPolicy} to every controller call of an authenticated request, before the
 * controller (and its body binding) runs: controllers stay free of permission checks, and a new
 * endpoint is the operator's until the table says otherwise. A path identifier that cannot name
 * anything is refused first (400, code 7003, {@link PathIdentifiers}), for every caller. Refusals are thrown as
 * {@link ApiException}, so they leave through the one exception handler.
 */
public final class AccessPolicyInterceptor implements HandlerInterceptor {

    private final AccessPolicy policy;

    AccessPolicyInterceptor(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Optional<Caller> caller = Caller.of(request);
        if (!(handler instanceof HandlerMethod) || request.getDispatcherType() != DispatcherType.REQUEST || caller.isEmpty()) {
            // static resources, error rendering, and public paths the filter let through without a caller
            return true;
        }
        PathIdentifiers.requireRoutable(request.getRequestURI().substring(request.getContextPath().length()), uriVariables(request));
        String pattern = (String) request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        Optional<AccessRule> rule = policy.ruleFor(request.getMethod(), pattern);
        if (rule.isEmpty()) {
            if (!caller.get().isOperator()) {
                throw new ApiException(ApiErrorCode.FORBIDDEN, "Operator token required");
            }
            return true;
        }
        rule.get().check(caller.get(), uriVariables(request));
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> uriVariables(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return variables instanceof Map ? (Map<String, String>) variables : Map.of();
    }

    @Override
    public String toString() {
        return "AccessPolicyInterceptor[" + policy + "]";
    }
}

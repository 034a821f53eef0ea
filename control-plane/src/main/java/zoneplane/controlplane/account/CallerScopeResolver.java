package zoneplane.controlplane.account;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.auth.BearerAuthenticationFilter;
import zoneplane.controlplane.auth.Caller;

/**
 * Supplies the {@link AccountScope} of the authenticated caller to controller methods that declare
 * one: the operator sees every account, a token its own account (only its listed zones, when it
 * lists some). A request without a caller never gets a scope: it is refused as unauthenticated.
 */
final class CallerScopeResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == AccountScope.class;
    }

    @Override
    public AccountScope resolveArgument(MethodParameter parameter, ModelAndViewContainer mav,
            NativeWebRequest request, WebDataBinderFactory binderFactory) {
        Caller caller = Caller.of(request.getNativeRequest(HttpServletRequest.class)).orElseThrow(BearerAuthenticationFilter::missingCredentials);
        if (caller.isOperator()) {
            return AccountScope.unrestricted();
        }
        return caller.zones().allZones() ? AccountScope.of(caller.accountId())
                : AccountScope.of(caller.accountId(), caller.zones().zoneIds());
    }
}

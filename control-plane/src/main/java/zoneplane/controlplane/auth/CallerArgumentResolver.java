package zoneplane.controlplane.auth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;

/**
 * Supplies the authenticated {@link Caller} to controller methods that declare one. Should a
 * controller that needs a caller ever be reached without one (its path wrongly public), the request
 * is refused as unauthenticated: failing closed, never running anonymously.
 */
final class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        HttpServletRequest servlet = request.getNativeRequest(HttpServletRequest.class);
        return Caller.of(servlet).orElseThrow(BearerAuthenticationFilter::missingCredentials);
    }
}

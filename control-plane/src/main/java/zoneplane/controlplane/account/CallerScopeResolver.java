package zoneplane.controlplane.account;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Supplies the {@link AccountScope} of the caller to controller methods that declare one. There is
 * no authentication yet, so every caller is the operator; the token issue replaces the body of
 * {@link #resolveArgument} with "the scope of the request's verified token".
 */
final class CallerScopeResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == AccountScope.class;
    }

    @Override
    public AccountScope resolveArgument(MethodParameter parameter, ModelAndViewContainer mav,
            NativeWebRequest request, WebDataBinderFactory binderFactory) {
        return AccountScope.unrestricted();
    }
}

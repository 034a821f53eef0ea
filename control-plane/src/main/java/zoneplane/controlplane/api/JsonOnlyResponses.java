package zoneplane.controlplane.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The public API answers JSON only (SPEC §3), so its responses are fixed to
 * {@code application/json} before the handler runs: Spring then writes JSON whatever the Accept
 * header asked for, instead of an empty 406. Limited to the API's own paths, so that actuator
 * (Prometheus text), Swagger UI and the internal distribution streams keep their own types.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyResponses implements WebMvcConfigurer {

    static final String[] API_PATHS = {"/zones", "/zones/**", "/accounts", "/accounts/**", "/user/**"};

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                return true;
            }
        }).addPathPatterns(API_PATHS);
    }
}

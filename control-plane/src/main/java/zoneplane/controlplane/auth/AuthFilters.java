package zoneplane.controlplane.auth;

import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import zoneplane.controlplane.api.ZoneplaneHeaders;

/**
 * The request-security filters, in order, after the API's prefix and body-limit filters: hardening
 * headers (so every answer, errors included, has them), CORS (so a browser preflight is answered
 * before authentication, which it cannot pass), canonical-path check, request-syntax check (HTTP/0.9,
 * Content-Type, query string), then authentication. The
 * rate limiter ({@code ratelimit} feature) runs right after authentication.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class AuthFilters {

    static final int SECURITY_HEADERS_ORDER = Ordered.HIGHEST_PRECEDENCE + 21;
    static final int CORS_ORDER = Ordered.HIGHEST_PRECEDENCE + 22;
    static final int PATH_GUARD_ORDER = Ordered.HIGHEST_PRECEDENCE + 23;
    static final int SYNTAX_GUARD_ORDER = Ordered.HIGHEST_PRECEDENCE + 24;
    /** Public so that later filters (rate limiting) can order themselves after it. */
    public static final int AUTHENTICATION_ORDER = Ordered.HIGHEST_PRECEDENCE + 30;

    /** Response headers a browser client may read: revision, ETag, rate limit budget, request id. */
    static final List<String> EXPOSED_HEADERS = List.of(ZoneplaneHeaders.REVISION, ZoneplaneHeaders.PROPAGATION, HttpHeaders.ETAG,
            HttpHeaders.RETRY_AFTER, "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Request-Id");

    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter() {
        FilterRegistrationBean<SecurityHeadersFilter> registration = new FilterRegistrationBean<>(new SecurityHeadersFilter());
        registration.setOrder(SECURITY_HEADERS_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!properties.allowedOrigins().isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(properties.allowedOrigins());
            cors.setAllowedMethods(List.of("GET", "POST", "PATCH", "PUT", "DELETE"));
            cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.IF_MATCH,
                    "Prefer", "X-Request-Id"));
            cors.setExposedHeaders(EXPOSED_HEADERS);
            cors.setAllowCredentials(false);
            cors.setMaxAge(600L);
            source.registerCorsConfiguration("/**", cors);
        }
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setOrder(CORS_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestPathGuard> requestPathGuard(FilterErrors errors) {
        FilterRegistrationBean<RequestPathGuard> registration = new FilterRegistrationBean<>(new RequestPathGuard(errors));
        registration.setOrder(PATH_GUARD_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSyntaxGuard> requestSyntaxGuard(FilterErrors errors) {
        FilterRegistrationBean<RequestSyntaxGuard> registration = new FilterRegistrationBean<>(new RequestSyntaxGuard(errors));
        registration.setOrder(SYNTAX_GUARD_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BearerAuthenticationFilter> bearerAuthenticationFilter(BootstrapToken bootstrap,
            TokenCredentials tokens, AuthProperties properties, FilterErrors errors) {
        FilterRegistrationBean<BearerAuthenticationFilter> registration = new FilterRegistrationBean<>(
                new BearerAuthenticationFilter(bootstrap, tokens, new PublicPaths(properties.anonymousMetrics()), errors, Clock.systemUTC()));
        registration.setOrder(AUTHENTICATION_ORDER);
        return registration;
    }
}

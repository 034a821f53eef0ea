package zoneplane.controlplane.auth;

import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import zoneplane.controlplane.api.FilterErrors;
import zoneplane.controlplane.api.ZoneplaneHeaders;

/**
 * The request-security decorators: hardening headers, CORS, the canonical-path and request-syntax
 * guards, bearer authentication and the access-policy interceptor. Their order in the chain (and
 * why) is {@code pipeline.RequestPipeline}'s.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class AuthFilters {

    /** Response headers a browser client may read: revision, ETag, rate limit budget, request id. */
    static final List<String> EXPOSED_HEADERS = List.of(ZoneplaneHeaders.REVISION, ZoneplaneHeaders.PROPAGATION, HttpHeaders.ETAG,
            HttpHeaders.RETRY_AFTER, "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Request-Id");

    @Bean
    SecurityHeadersFilter securityHeadersFilter() {
        return new SecurityHeadersFilter();
    }

    @Bean
    CorsFilter corsFilter(CorsProperties properties) {
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
        return new CorsFilter(source);
    }

    @Bean
    RequestPathGuard requestPathGuard(FilterErrors errors) {
        return new RequestPathGuard(errors);
    }

    @Bean
    RequestSyntaxGuard requestSyntaxGuard(FilterErrors errors) {
        return new RequestSyntaxGuard(errors);
    }

    @Bean
    BearerAuthenticationFilter bearerAuthenticationFilter(BootstrapToken bootstrap, TokenCredentials tokens,
            AuthProperties properties, FilterErrors errors) {
        return new BearerAuthenticationFilter(bootstrap, tokens, new PublicPaths(properties.anonymousMetrics()), errors,
                Clock.systemUTC());
    }

    @Bean
    AccessPolicyInterceptor accessPolicyInterceptor(AccessPolicy policy) {
        return new AccessPolicyInterceptor(policy);
    }
}

package zoneplane.controlplane.pipeline;

import jakarta.servlet.Filter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Conventions;
import org.springframework.core.Ordered;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import zoneplane.controlplane.api.CloudflarePrefixFilter;
import zoneplane.controlplane.api.JsonOnlyResponses;
import zoneplane.controlplane.api.RequestBodyLimitFilter;
import zoneplane.controlplane.audit.RequestIdFilter;
import zoneplane.controlplane.auth.AccessPolicyInterceptor;
import zoneplane.controlplane.auth.BearerAuthenticationFilter;
import zoneplane.controlplane.auth.RequestPathGuard;
import zoneplane.controlplane.auth.RequestSyntaxGuard;
import zoneplane.controlplane.auth.SecurityHeadersFilter;
import zoneplane.controlplane.distribution.NodeAuthentication;
import zoneplane.controlplane.distribution.PropagationWaitFilter;
import zoneplane.controlplane.ratelimit.ClientAddressLimitFilter;
import zoneplane.controlplane.ratelimit.RateLimitFilter;
import zoneplane.controlplane.ratelimit.RateLimitProperties;

/**
 * Every decorator a request passes before a controller, in one place and in order. Each feature
 * builds its own filter or interceptor as a bean; only this class says where it runs. Outermost
 * first (Spring Boot's own two at the top and the request-context filter after ours are shown for
 * completeness; they keep Boot's orders):
 *
 * <pre>
 * characterEncodingFilter        (Boot, HIGHEST_PRECEDENCE)
 * webMvcObservationFilter        (Boot, HIGHEST_PRECEDENCE + 1): http.server.requests metrics
 * CloudflarePrefixFilter         {@link #CLOUDFLARE_PREFIX}: /client/v4/x → /x, so all below see canonical paths
 * RequestBodyLimitFilter         {@link #BODY_LIMIT}: bodies bounded before anything reads them (413)
 * RequestIdFilter                {@link #REQUEST_ID}: X-Request-Id and the log context, so even a refusal has an id
 * PropagationWaitFilter          {@link #PROPAGATION_WAIT}: Prefer: wait holds the finished response, headers included
 * SecurityHeadersFilter          {@link #SECURITY_HEADERS}: hardening headers on every answer, errors included
 * CorsFilter                     {@link #CORS}: a browser preflight is answered before authentication, which it cannot pass
 * RequestPathGuard               {@link #PATH_GUARD}: non-canonical paths refused (400)
 * RequestSyntaxGuard             {@link #SYNTAX_GUARD}: HTTP/0.9, Content-Type, query string (400/415)
 * ClientAddressLimitFilter       {@link #CLIENT_ADDRESS_LIMIT}: failed authentications per address (429), before authentication
 * BearerAuthenticationFilter     {@link #AUTHENTICATION}: the Caller from the bearer token (400/401)
 * RateLimitFilter                {@link #RATE_LIMIT}: per-token budget (429), needs the Caller
 * requestContextFilter           (Boot, -105)
 * DispatcherServlet, then the MVC interceptors:
 *   JsonOnlyResponses            {@link #JSON_ONLY_INTERCEPTOR}: API paths answer application/json
 *   AccessPolicyInterceptor      {@link #ACCESS_POLICY_INTERCEPTOR}: the endpoint's permission (403/404), path ids (400)
 *   NodeAuthentication           {@link #NODE_AUTHENTICATION_INTERCEPTOR}: the node token on the node-facing controllers (401)
 *   (Spring MVC's ConversionServiceExposingInterceptor, ResourceUrlProviderExposingInterceptor)
 * controller
 * </pre>
 *
 * <p>No two share an order, so the chain is never Spring's choice. The two rate-limit filters are
 * registered but disabled when {@code zoneplane.rate-limit.enabled} is false. {@code
 * RequestPipelineTest} pins this list.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class RequestPipeline implements WebMvcConfigurer {

    public static final int CLOUDFLARE_PREFIX = Ordered.HIGHEST_PRECEDENCE + 10;
    public static final int BODY_LIMIT = CLOUDFLARE_PREFIX + 1;
    public static final int REQUEST_ID = BODY_LIMIT + 1;
    public static final int PROPAGATION_WAIT = REQUEST_ID + 1;
    public static final int SECURITY_HEADERS = PROPAGATION_WAIT + 1;
    public static final int CORS = SECURITY_HEADERS + 1;
    public static final int PATH_GUARD = CORS + 1;
    public static final int SYNTAX_GUARD = PATH_GUARD + 1;
    public static final int CLIENT_ADDRESS_LIMIT = SYNTAX_GUARD + 1;
    public static final int AUTHENTICATION = CLIENT_ADDRESS_LIMIT + 1;
    public static final int RATE_LIMIT = AUTHENTICATION + 1;

    /** Before Spring MVC's own two (conversion service, resource URLs), which take the default order 0. */
    public static final int JSON_ONLY_INTERCEPTOR = Ordered.HIGHEST_PRECEDENCE + 1;
    public static final int ACCESS_POLICY_INTERCEPTOR = JSON_ONLY_INTERCEPTOR + 1;
    public static final int NODE_AUTHENTICATION_INTERCEPTOR = ACCESS_POLICY_INTERCEPTOR + 1;

    private final JsonOnlyResponses jsonOnly;
    private final AccessPolicyInterceptor accessPolicy;
    private final NodeAuthentication nodeAuthentication;

    RequestPipeline(JsonOnlyResponses jsonOnly, AccessPolicyInterceptor accessPolicy, NodeAuthentication nodeAuthentication) {
        this.jsonOnly = jsonOnly;
        this.accessPolicy = accessPolicy;
        this.nodeAuthentication = nodeAuthentication;
    }

    @Bean
    static FilterRegistrationBean<CloudflarePrefixFilter> cloudflarePrefixRegistration(CloudflarePrefixFilter filter) {
        return at(CLOUDFLARE_PREFIX, filter);
    }

    @Bean
    static FilterRegistrationBean<RequestBodyLimitFilter> bodyLimitRegistration(RequestBodyLimitFilter filter) {
        return at(BODY_LIMIT, filter);
    }

    @Bean
    static FilterRegistrationBean<RequestIdFilter> requestIdRegistration(RequestIdFilter filter) {
        return at(REQUEST_ID, filter);
    }

    @Bean
    static FilterRegistrationBean<PropagationWaitFilter> propagationWaitRegistration(PropagationWaitFilter filter) {
        return at(PROPAGATION_WAIT, filter);
    }

    @Bean
    static FilterRegistrationBean<SecurityHeadersFilter> securityHeadersRegistration(SecurityHeadersFilter filter) {
        return at(SECURITY_HEADERS, filter);
    }

    @Bean
    static FilterRegistrationBean<CorsFilter> corsRegistration(CorsFilter filter) {
        return at(CORS, filter);
    }

    @Bean
    static FilterRegistrationBean<RequestPathGuard> pathGuardRegistration(RequestPathGuard filter) {
        return at(PATH_GUARD, filter);
    }

    @Bean
    static FilterRegistrationBean<RequestSyntaxGuard> syntaxGuardRegistration(RequestSyntaxGuard filter) {
        return at(SYNTAX_GUARD, filter);
    }

    @Bean
    static FilterRegistrationBean<ClientAddressLimitFilter> clientAddressLimitRegistration(ClientAddressLimitFilter filter,
            RateLimitProperties rateLimits) {
        FilterRegistrationBean<ClientAddressLimitFilter> registration = at(CLIENT_ADDRESS_LIMIT, filter);
        registration.setEnabled(rateLimits.enabled());
        return registration;
    }

    @Bean
    static FilterRegistrationBean<BearerAuthenticationFilter> authenticationRegistration(BearerAuthenticationFilter filter) {
        return at(AUTHENTICATION, filter);
    }

    @Bean
    static FilterRegistrationBean<RateLimitFilter> rateLimitRegistration(RateLimitFilter filter, RateLimitProperties rateLimits) {
        FilterRegistrationBean<RateLimitFilter> registration = at(RATE_LIMIT, filter);
        registration.setEnabled(rateLimits.enabled());
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(jsonOnly).addPathPatterns(JsonOnlyResponses.API_PATHS).order(JSON_ONLY_INTERCEPTOR);
        registry.addInterceptor(accessPolicy).order(ACCESS_POLICY_INTERCEPTOR);
        registry.addInterceptor(nodeAuthentication).order(NODE_AUTHENTICATION_INTERCEPTOR);
    }

    /** The filter at {@code order}, named after its class ({@code requestIdFilter}) in the container and the logs. */
    private static <F extends Filter> FilterRegistrationBean<F> at(int order, F filter) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        registration.setName(Conventions.getVariableName(filter));
        return registration;
    }
}

package zoneplane.controlplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.AbstractFilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializerBeans;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.handler.MappedInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import zoneplane.controlplane.api.JsonOnlyResponses;
import zoneplane.controlplane.auth.AccessPolicyInterceptor;
import zoneplane.controlplane.distribution.NodeAuthentication;
import zoneplane.testing.ApiClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;

/**
 * The request pipeline as {@link RequestPipeline}'s javadoc lists it: the filters the embedded
 * server really runs, in the order it runs them, read from the application context the way Spring
 * Boot reads it to register them; the MVC interceptors in the handler mapping's order; and, over real
 * HTTP, the effects that only this order gives.
 */
class RequestPipelineTest extends ControlPlaneIntegrationTest {

    private static final String ZONE = "0123456789abcdef0123456789abcdef";

    @Autowired
    ListableBeanFactory beans;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    @Test
    void filtersAreRegisteredInTheDocumentedOrderEachWithAnOrderOfItsOwn() {
        List<String> names = new ArrayList<>();
        List<Integer> orders = new ArrayList<>();
        new ServletContextInitializerBeans(beans).forEach(initializer -> {
            if (initializer instanceof AbstractFilterRegistrationBean<?> filter && filter.isEnabled()) {
                names.add(filter.getFilterName());
                orders.add(filter.getOrder());
            }
        });
        assertThat(names).containsExactly(
                "characterEncodingFilter",
                "webMvcObservationFilter",
                "cloudflarePrefixFilter",
                "requestBodyLimitFilter",
                "requestIdFilter",
                "propagationWaitFilter",
                "securityHeadersFilter",
                "corsFilter",
                "requestPathGuard",
                "requestSyntaxGuard",
                "clientAddressLimitFilter",
                "bearerAuthenticationFilter",
                "rateLimitFilter",
                "requestContextFilter");
        assertThat(orders).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void interceptorsRunInTheDocumentedOrderBeforeSpringsOwn() {
        List<Class<?>> types = Arrays.stream(handlerMapping.getAdaptedInterceptors())
                .map(RequestPipelineTest::unwrapped)
                .<Class<?>>map(Object::getClass)
                .limit(3)
                .toList();
        assertThat(types).containsExactly(JsonOnlyResponses.class, AccessPolicyInterceptor.class, NodeAuthentication.class);
    }

    @Test
    void prefixAndBodyLimitRunBeforeAuthentication() {
        String big = "{\"value\":\"" + "x".repeat(70 * 1024) + "\"}";
        ApiClient.Response answer = anonymous().patch("/client/v4/zones/" + ZONE + "/settings/ipv6", big);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.errorCode()).isEqualTo(9413);
    }

    @Test
    void aRefusedAuthenticationCarriesTheRequestIdAndHardeningHeaders() {
        ApiClient.Response answer = anonymous().withHeader("X-Request-Id", "pipeline-test-1").get("/client/v4/zones");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo(9106);
        assertThat(answer.header("X-Request-Id")).hasValue("pipeline-test-1");
        assertThat(answer.header("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void aPreflightIsAnsweredAfterTheRequestIdAndHeadersAndBeforeAuthentication() {
        ApiClient.Response answer = anonymous().withHeader("Origin", "https://admin.example.com")
                .withHeader("Access-Control-Request-Method", "PATCH")
                .withHeader("X-Request-Id", "pipeline-test-2")
                .send("OPTIONS", "/zones/" + ZONE + "/settings/ipv6", null, null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).hasValue("https://admin.example.com");
        assertThat(answer.header("X-Request-Id")).hasValue("pipeline-test-2");
        assertThat(answer.header("X-Content-Type-Options")).hasValue("nosniff");
    }

    private static HandlerInterceptor unwrapped(HandlerInterceptor interceptor) {
        return interceptor instanceof MappedInterceptor mapped ? mapped.getInterceptor() : interceptor;
    }
}

package zoneplane.controlplane.distribution;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Wires node authentication in front of the node-facing controllers and the Prefer: wait decorator. */
@Configuration(proxyBeanMethods = false)
class DistributionConfiguration implements WebMvcConfigurer {

    /** After the API's /client/v4 prefix and body-limit filters, before anything that writes a body. */
    static final int PREFER_WAIT_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    private final NodeTokenProperties tokens;

    DistributionConfiguration(NodeTokenProperties tokens) {
        this.tokens = tokens;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new NodeAuthentication(tokens));
    }

    @Bean
    static FilterRegistrationBean<PropagationWaitFilter> propagationWaitFilter(PropagationTracker tracker,
            DistributionProperties properties) {
        FilterRegistrationBean<PropagationWaitFilter> registration =
                new FilterRegistrationBean<>(new PropagationWaitFilter(tracker, properties.maxPreferWait()));
        registration.setOrder(PREFER_WAIT_ORDER);
        registration.setName("propagationWaitFilter");
        return registration;
    }
}

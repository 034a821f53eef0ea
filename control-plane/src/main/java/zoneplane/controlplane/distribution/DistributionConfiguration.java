package zoneplane.controlplane.distribution;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the distribution filters (kept apart from the components, see STACK.md's pitfall). */
@Configuration(proxyBeanMethods = false)
class DistributionConfiguration {

    @Bean
    FilterRegistrationBean<NodeAuthenticationFilter> nodeAuthenticationFilter(NodeTokenProperties tokens) {
        FilterRegistrationBean<NodeAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new NodeAuthenticationFilter(tokens));
        registration.addUrlPatterns("/internal/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setName("nodeAuthenticationFilter");
        return registration;
    }
}

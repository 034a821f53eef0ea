package zoneplane.controlplane.api;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers the API's servlet filters in a fixed order: the {@code /client/v4} prefix is removed
 * first (so every later filter and the metrics see canonical paths), then bodies are bounded.
 */
@Configuration(proxyBeanMethods = false)
class ApiFilters {

    static final int PREFIX_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
    static final int BODY_LIMIT_ORDER = PREFIX_ORDER + 1;

    @Bean
    FilterRegistrationBean<CloudflarePrefixFilter> cloudflarePrefixFilter() {
        FilterRegistrationBean<CloudflarePrefixFilter> registration = new FilterRegistrationBean<>(new CloudflarePrefixFilter());
        registration.setOrder(PREFIX_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ApiProperties properties) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(properties.maxBodySize().toBytes()));
        registration.setOrder(BODY_LIMIT_ORDER);
        return registration;
    }
}

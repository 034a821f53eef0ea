package zoneplane.controlplane.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's own request decorators: the {@code /client/v4} prefix filter, the body limit and the
 * JSON-only interceptor. Their place in the chain is {@code pipeline.RequestPipeline}'s.
 */
@Configuration(proxyBeanMethods = false)
class ApiFilters {

    @Bean
    CloudflarePrefixFilter cloudflarePrefixFilter() {
        return new CloudflarePrefixFilter();
    }

    @Bean
    RequestBodyLimitFilter requestBodyLimitFilter(ApiProperties properties) {
        return new RequestBodyLimitFilter(properties.maxBodySize().toBytes());
    }

    @Bean
    JsonOnlyResponses jsonOnlyResponses() {
        return new JsonOnlyResponses();
    }
}

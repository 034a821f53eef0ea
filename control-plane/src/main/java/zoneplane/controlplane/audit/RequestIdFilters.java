package zoneplane.controlplane.audit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link RequestIdFilter} bean; {@code pipeline.RequestPipeline} puts it before the security filters. */
@Configuration(proxyBeanMethods = false)
class RequestIdFilters {

    @Bean
    RequestIdFilter requestIdFilter() {
        return new RequestIdFilter();
    }
}

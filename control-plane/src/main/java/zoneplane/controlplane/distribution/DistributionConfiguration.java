package zoneplane.controlplane.distribution;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Node authentication in front of the node-facing controllers and the {@code Prefer: wait}
 * decorator; {@code pipeline.RequestPipeline} places both in the chain.
 */
@Configuration(proxyBeanMethods = false)
class DistributionConfiguration {

    @Bean
    NodeAuthentication nodeAuthentication(NodeTokenProperties tokens) {
        return new NodeAuthentication(tokens);
    }

    @Bean
    PropagationWaitFilter propagationWaitFilter(PropagationTracker tracker, DistributionProperties properties) {
        return new PropagationWaitFilter(tracker, properties.maxPreferWait());
    }
}
